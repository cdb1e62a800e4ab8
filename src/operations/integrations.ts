// Integrations: list, get, create, clone, tag (add_tag_to_integration, in the tags toolset) and set up end
// to end (setup_integration, in workflows: integrations-setup.ts). list, clone, tag and setup take more at a
// terminal than their tools take (terminal-input.ts): they are declared with the terminal's input, their
// tools are toolView of them, and src/cli/commands/integrations.ts derives their commands from these
// declarations.
import { z } from 'zod';
import { sourceTargetPairs } from '../ops/util.js';
import { INTEGRATION_FIELDS, type IntegrationRow } from '../ops/read/integrations.js';
import { atLeast, idOrName } from './args.js';
import { json, listArgs, listResult, objectResult, READ } from './format.js';
import { setupIntegrationOperation, setupToolInput } from './integrations-setup.js';
import { toolView } from './terminal-input.js';
import { defineOperation, entry, type Operation, type Terminal, type ToolResult } from './types.js';

const readOps = () => import('../ops/read/integrations.js');
const changeOps = () => import('../ops/changes.js');

const CREATE = { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true } as const;

/** The model's view of a change: a heading, then the result as compact JSON. */
function changed(heading: string, r: object): ToolResult {
  return { text: `${heading}\n${json(r)}`, structured: { ...r } };
}

/** The person's view of a change: a tick and a headline, then the result (all of it as JSON with --json). */
function changedForTerminal(t: Terminal, headline: string, r: Record<string, unknown>): void {
  if (t.jsonMode) {
    t.object(r);
    return;
  }
  const { summary: _summary, ...rest } = r;
  t.print(`${t.c.green('✓')} ${headline}`);
  t.print('');
  t.object(rest);
}

const listToolInput = {
  name: z.string().optional().describe('Name contains, e.g. "netsuite"'),
  tag: z.string().optional().describe('Only integrations with this tag, e.g. "critical"'),
  ...listArgs(),
};

const listIntegrations = defineOperation({
  name: 'list_integrations',
  toolset: 'integrations',
  title: 'List integrations',
  description: 'Integrations with flow counts, open errors and tag.',
  input: {
    name: listToolInput.name,
    tag: listToolInput.tag,
    errors: z.boolean().optional().describe('Count open errors (default true)'),
    fields: listToolInput.fields,
    limit: atLeast(1).optional().describe('Rows to show'),
    cursor: listToolInput.cursor,
  },
  annotations: READ,
  cli: {
    noun: 'integrations',
    verb: 'list',
    summary: 'List integrations with flow counts, open errors and their tag',
    flags: {
      name: { flags: '--name <text>', description: 'Only names containing this text' },
      tag: { description: 'Only integrations with this tag (case-insensitive)' },
      errors: { flags: '--no-errors', description: 'Skip open-error counts (faster on large accounts)' },
      fields: { hidden: true },
      limit: { flags: '--limit <n>', description: 'Show at most N rows (default: 50 on a terminal, all when piped or with --json)' },
      cursor: { hidden: true },
    },
    examples: ['integrations list', 'integrations list --tag critical', 'integrations list --json id,name,openErrors'],
  },
  // Open errors cost a request per integration: read for the rows shown only (a page of a large account's list).
  run: async (ctx, input) => (await readOps()).listIntegrations(ctx, { name: input.name, tag: input.tag, errors: input.errors, errorsFor: ctx.rowsShown?.(input) }),
  forModel: (rows: IntegrationRow[], input) => listResult('integrations', rows, input, INTEGRATION_FIELDS),
  forTerminal(rows, t, input) {
    t.expectFields(INTEGRATION_FIELDS);
    const columns = ['id', 'name', 'status', 'flows', 'enabledFlows', ...(input.errors !== false ? ['openErrors'] : []), 'tag'];
    t.list(rows, { noun: 'integrations', fields: INTEGRATION_FIELDS, columns, limit: input.limit });
  },
});

const getIntegration = defineOperation({
  name: 'get_integration',
  toolset: 'integrations',
  title: 'Get an integration',
  description: 'One integration: settings, flows, schedules, open errors.',
  input: { integration: idOrName('Integration') },
  annotations: READ,
  cli: {
    noun: 'integrations',
    verb: 'get',
    summary: 'Show an integration with its flows and open errors',
    args: ['integration'],
    flags: { integration: { description: 'Integration id or name' } },
    examples: ['integrations get "Shopify - NetSuite Orders"', 'integrations get 5f1a… --json'],
  },
  run: async (ctx, input) => (await readOps()).getIntegration(ctx, input.integration),
  forModel: (r) => objectResult(`Integration ${JSON.stringify(r.integration.name)} (${r.integration._id}), ${r.flows.length} flows:`, r),
  forTerminal(r, t) {
    const i = r.integration;
    t.object(
      { id: i._id, name: i.name, description: i.description, tag: i.tag, lastModified: i.lastModified, flows: r.flows },
      { fields: ['id', 'name', 'description', 'tag', 'lastModified', 'flows'] },
    );
  },
});

const createIntegration = defineOperation({
  name: 'create_integration',
  toolset: 'integrations',
  title: 'Create an integration',
  description: 'An empty integration. With connections and a flow: setup_integration.',
  input: { name: z.string().describe('Name, e.g. "Stripe - NetSuite Payments"'), description: z.string().optional().describe('Free text shown in integrator.io, e.g. "Nightly order sync"') },
  annotations: CREATE,
  cli: {
    noun: 'integrations',
    verb: 'create',
    summary: 'Create an empty integration',
    args: ['name'],
    flags: {
      name: { description: 'Name of the new integration' },
      description: { flags: '--description <text>' },
    },
    examples: ['integrations create "Salesforce to NetSuite"', 'integrations create Sandbox --description "Try changes here" --yes'],
  },
  run: async (ctx, input) => (await changeOps()).createIntegration(ctx, input),
  forModel: (r) => changed('Created.', r),
  forTerminal: (r, t) => changedForTerminal(t, `Created integration "${r.name}" (${r.id}).`, { ...r }),
});

const cloneToolInput = { integration: idOrName('Integration'), name: z.string().describe('Name of the copy, e.g. "Orders (sandbox)"') };

/** "source=target" pairs (ids or names) as a connection map. */
function connectionMap(pairs: readonly string[]): Record<string, string> {
  return Object.fromEntries(sourceTargetPairs(pairs, '--connection', ', e.g. "NetSuite Production=NetSuite Sandbox"'));
}

const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;

// The tool always reuses the source's connections: the default tools/list has no room for a map.
const cloneIntegration = defineOperation({
  name: 'clone_integration',
  toolset: 'integrations',
  title: 'Clone an integration',
  description: 'Copy an integration with its flows, exports and imports (same connections).',
  input: {
    ...cloneToolInput,
    // Only the command takes it (the tool reuses the source's connections): see the note above.
    connection: z.array(z.string()).optional().describe('Make the copy use another connection (ids or names; repeatable); the others are reused'),
  },
  annotations: CREATE,
  cli: {
    noun: 'integrations',
    verb: 'clone',
    summary: 'Copy an integration with its flows, exports and imports under a new name',
    args: ['integration', 'name'],
    flags: {
      integration: { description: 'Source integration id or name' },
      name: { description: 'Name of the copy' },
      connection: { flags: '--connection <source=target>' },
    },
    examples: [
      'integrations clone "Shopify - NetSuite Orders" "Shopify - NetSuite Orders (copy)"',
      'integrations clone "Shopify - NetSuite Orders" "Orders (sandbox)" --connection "NetSuite Production=NetSuite Sandbox"',
    ],
  },
  async run(ctx, input) {
    const map = connectionMap(input.connection ?? []);
    return (await changeOps()).cloneIntegration(ctx, { integration: input.integration, name: input.name, connectionMap: map });
  },
  forModel: (r) => changed('Cloned.', r),
  forTerminal(r, t) {
    const made = Object.entries(r.created).map(([model, n]) => plural(n, model.toLowerCase())).join(', ');
    changedForTerminal(t, `Cloned as "${r.name}" (${r.id}): ${made}. Backup ${r.backupId}.`, { ...r });
  },
});

const tagToolInput = { integration: idOrName('Integration'), tag: z.string().describe('Tag text, e.g. "critical"') };

const addTagToIntegration = defineOperation({
  name: 'add_tag_to_integration',
  toolset: 'tags',
  title: 'Set an integration\'s tag',
  description: 'Set an integration\'s tag. Celigo keeps ONE tag per integration: replacing any existing tag.',
  input: {
    integration: tagToolInput.integration,
    // The command may remove the tag instead (--remove); the tool only sets one.
    tag: tagToolInput.tag.optional(),
    remove: z.boolean().optional().describe('Remove the integration\'s tag instead of setting one'),
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  cli: {
    noun: 'integrations',
    verb: 'tag',
    summary: 'Set an integration\'s tag (Celigo keeps ONE tag per integration: this replaces any existing tag)',
    args: ['integration', 'tag'],
    flags: {
      integration: { description: 'Integration id or name' },
      tag: { description: 'The tag, e.g. critical (required unless --remove)' },
    },
    details:
      'The tag is the integration\'s own `tag` field, shown on its tile in integrator.io; the previous tag is backed up (restore with: backups restore). ' +
      'Error tags (tags list) label errors, not integrations.',
    examples: ['integrations tag "Shopify - NetSuite Orders" critical', 'integrations tag "Shopify - NetSuite Orders" --remove'],
  },
  run: async (ctx, input) => (await changeOps()).addTagToIntegration(ctx, input),
  forModel: (r) => changed(r.summary, r),
  forTerminal: (r, t) => changedForTerminal(t, r.summary, { ...r }),
});

/**
 * The declarations with their terminal input, where it is wider than the tool's; src/cli/commands/integrations.ts
 * derives these commands from them.
 */
export const integrationCommandOperations: Operation[] = [
  entry(listIntegrations),
  entry(cloneIntegration),
  entry(addTagToIntegration),
  entry(setupIntegrationOperation),
];

export const integrationOperations: Operation[] = [
  toolView(listToolInput, listIntegrations),
  entry(getIntegration),
  entry(createIntegration),
  toolView(cloneToolInput, cloneIntegration),
  toolView(tagToolInput, addTagToIntegration),
  toolView(setupToolInput, setupIntegrationOperation),
];
