// Agents that send the API's requests through a proxy (core/proxy-env.ts says which). A company network
// that lets nothing out but through its proxy could not reach integrator.io before. An https request is
// tunnelled (CONNECT) and its TLS runs end to end with integrator.io: the proxy sees the host, never the
// token. A plain http URL (an emulator, a test server) is sent to the proxy as an absolute URI.
import type http from 'node:http';
import { HttpProxyAgent } from 'http-proxy-agent';
import { HttpsProxyAgent } from 'https-proxy-agent';

/** Kept-alive agents, one per proxy and protocol, for the process. */
const agents = new Map<string, http.Agent>();

/** An agent that sends requests for `secure` (https) or plain URLs through `proxy`. */
export function proxyAgent(proxy: string, secure: boolean): http.Agent {
  const key = `${secure ? 's' : 'p'} ${proxy}`;
  let agent = agents.get(key);
  if (!agent) {
    agent = secure ? new HttpsProxyAgent(proxy, { keepAlive: true, scheduling: 'lifo' }) : new HttpProxyAgent(proxy, { keepAlive: true, scheduling: 'lifo' });
    agents.set(key, agent);
  }
  return agent;
}
