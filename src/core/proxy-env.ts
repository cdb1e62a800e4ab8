// Which proxy a request to the API goes through, as the environment says: HTTPS_PROXY for https URLs,
// HTTP_PROXY for http ones (either case), ALL_PROXY for both, hosts in NO_PROXY reached directly
// (proxy-from-env reads them as curl and most tools do). This machine itself (localhost, 127.x, ::1: an
// emulator, a test server) is always reached directly, as Go's clients do: a proxy set for the company
// network would otherwise receive, and fail, every request to a local emulator. Credentials of a proxy go in its URL
// (http://user:password@proxy:8080) and are never shown: a proxy is named by its host and port only.
// The agents that go through it: core/proxy-agents.ts (loaded by the transport only).
import { getProxyForUrl } from 'proxy-from-env';
import { UsageError } from './errors.js';
import { isLoopbackName } from './loopback.js';

/** The proxy for `url` from the environment, or undefined when it is reached directly. */
export function proxyFor(url: URL): string | undefined {
  if (isLoopbackName(url.hostname)) return undefined;
  return getProxyForUrl(url.href) || undefined;
}

/** A proxy as it may be shown: scheme, host and port, without credentials. */
export function proxyShown(proxy: string): string {
  if (!URL.canParse(proxy)) return '(not a URL)';
  const u = new URL(proxy);
  return `${u.protocol}//${u.host}`;
}

/**
 * Refuses, before any request, a proxy the environment names for `baseUrl` that is not a URL: read as a
 * network error, it was tried seven times and reported as unreachable.
 */
export function checkProxy(baseUrl: string): void {
  if (!URL.canParse(baseUrl)) return;
  const proxy = proxyFor(new URL(baseUrl));
  if (proxy !== undefined && !URL.canParse(proxy)) {
    throw new UsageError('HTTPS_PROXY (or HTTP_PROXY) is not a URL: give the proxy as http://host:port (http://user:password@host:port if it asks for credentials), or unset it.');
  }
}
