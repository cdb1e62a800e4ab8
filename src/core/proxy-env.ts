// Which proxy a request to the API goes through, as the environment says: HTTPS_PROXY for https URLs,
// HTTP_PROXY for http ones (either case), ALL_PROXY for both, hosts in NO_PROXY reached directly
// (proxy-from-env reads them as curl and most tools do). This machine itself (localhost, 127.x, ::1: an
// emulator, a test server) is always reached directly, as Go's clients do: a proxy set for the company
// network would otherwise receive, and fail, every request to a local emulator. Credentials of a proxy go in its URL
// (http://user:password@proxy:8080) and are never shown: a proxy is named by its host and port only.
// The agents that go through it: core/proxy-agents.ts (loaded by the transport only).
import { getProxyForUrl } from 'proxy-from-env';

/** The proxy for `url` from the environment, or undefined when it is reached directly. */
export function proxyFor(url: URL): string | undefined {
  if (isLoopback(url.hostname)) return undefined;
  return getProxyForUrl(url.href) || undefined;
}

function isLoopback(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** A proxy as it may be shown: scheme, host and port, without credentials. */
export function proxyShown(proxy: string): string {
  if (!URL.canParse(proxy)) return 'the proxy of HTTPS_PROXY / HTTP_PROXY (not a URL)';
  const u = new URL(proxy);
  return `${u.protocol}//${u.host}`;
}
