// Which host names are this machine's own, for the client: a loopback API is reached directly (never
// through a proxy) and may be plain http (nothing crosses the network).
export function isLoopbackName(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}
