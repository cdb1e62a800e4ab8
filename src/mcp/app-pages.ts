// The latest page of each MCP App tool (text/html;profile=mcp-app), kept for its resource to serve. On a
// team server each person's are their own (issue 18): one person's health check is never shown to another.
import { currentActor } from '../app/actor.js';

/** Latest pages kept at most (people × app tools); the oldest goes first. */
const APP_PAGES_MAX = 200;

/**
 * The latest page of an MCP App tool is each person's own (issue 18: on a team server, one person's
 * health check is not shown to another): kept by the actor's subject and the app's URI.
 */
export function keepAppPage(latest: Map<string, string>, uri: string, html: string): void {
  const key = `${currentActor().subject}\n${uri}`;
  latest.delete(key);
  latest.set(key, html);
  if (latest.size > APP_PAGES_MAX) latest.delete(latest.keys().next().value!);
}

/** The current actor's latest page of the app at `uri`. */
export function latestAppPage(latest: Map<string, string>, uri: string): string | undefined {
  return latest.get(`${currentActor().subject}\n${uri}`);
}
