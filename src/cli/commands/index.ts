// The command index, in help order: each noun's name and summary, and how to load it. Only the noun a
// command line names is imported (one file per noun, handlers importing ops lazily), so `--help` and
// every command start fast.
import type { LoadedNoun, NounEntry } from '../spec.js';
import { nounWith } from '../nouns.js';

export const NOUN_INDEX: readonly NounEntry[] = [
{ name: 'integrations', summary: 'List, inspect, create, clone and tag integrations', load: async () => (await import('./integrations.js')).integrations() },
  { name: 'flows', summary: 'List, inspect, run, enable, disable and change flows', load: async () => (await import('./flows.js')).flowsNoun() },
  { name: 'connections', summary: 'List, inspect, test and create connections', load: async () => (await import('./connections-exports.js')).connectionsNoun() },
  { name: 'jobs', summary: 'List and inspect flow runs; retry one failed job, or all in a scope', load: () => nounWith('jobs') },
  { name: 'errors', summary: 'List, retry and clear the open errors of flows', load: () => nounWith('errors') },
  { name: 'exports', summary: 'List and inspect exports, and run one', load: async () => (await import('./connections-exports.js')).exportsNoun() },
  { name: 'imports', summary: 'List and inspect imports', load: () => nounWith('imports') },
  { name: 'mapping', summary: 'Show and safely change the field mapping of a flow\'s import', load: async () => (await import('./mapping.js')).mappingNoun() },
  { name: 'tags', summary: 'Integration tags in use, and the error tags (set an integration\'s one tag with: integrations tag)', load: () => nounWith('tags') },
  { name: 'lookup-caches', summary: 'List lookup caches with their sizes, and read the keys and values of one', load: () => nounWith('lookup-caches') },
  { name: 'health', summary: 'Daily health check: verdict per integration, failed jobs, error trend, run times, connections', load: () => nounWith('health') },
  { name: 'troubleshoot', summary: 'Why a job, flow or integration fails: errors by pattern, likely cause, the fix, what changed', load: () => nounWith('troubleshoot') },
  { name: 'backups', summary: 'List, diff and restore the backups taken before every change, read the change log (who changed what), import local backups into a team database, and prune old ones', load: async () => (await import('./backups.js')).backupsNoun() },
  { name: 'doctor', summary: 'Check, read-only, how your account\'s API answers where the API reference is uncertain', load: async () => (await import('./doctor.js')).doctor },
  { name: 'profiles', summary: 'Named accounts: region or base URL, the variable holding the token, production flag', load: async () => (await import('./profiles.js')).profiles },
  { name: 'mcp', summary: 'Run the MCP server for AI agents (stdio by default, or Streamable HTTP)', load: async () => (await import('./servers.js')).mcp },
  { name: 'emulator', summary: 'Run the integrator.io emulator (a stateful fake API for tests and demos)', load: async () => (await import('./servers.js')).emulator },
  { name: 'api', summary: 'Make a raw API call (GET lists are read to the end)', load: async () => (await import('./api.js')).apiNoun },
  { name: 'completion', summary: 'Print a shell completion script (bash or zsh)', load: async () => (await import('./completion.js')).completion },
];

/** Loads the named nouns (all when no names are given), with their summaries. */
export async function loadNouns(names?: readonly string[]): Promise<LoadedNoun[]> {
  const entries = names ? NOUN_INDEX.filter((e) => names.includes(e.name)) : NOUN_INDEX;
  return Promise.all(entries.map(async (e) => ({ ...(await e.load()), summary: e.summary })));
}
