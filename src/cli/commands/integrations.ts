import type { NounSpec } from '../spec.js';
import { LIMIT, opt } from '../spec.js';
import { arg, done, limitOf, optStr, readJsonFile } from './common.js';
import { UsageError } from '../../core/errors.js';
import { cliWords } from '../words.js';
import type { SetupReport, SetupSpec } from '../../ops/setup.js';
import type { Colors } from '../output.js';

function renderSetup(r: SetupReport, c: Colors): string {
  const lines = [`${r.status === 'done' ? c.green('✓') : c.red('✗')} ${cliWords(r.summary)}`, ''];
  for (const s of r.steps) {
    const mark = s.status === 'failed' ? c.red('✗') : s.status === 'skipped' ? c.dim('-') : c.green('✓');
    lines.push(`  ${mark} ${s.step}: ${s.status}${s.id ? c.dim(` ${s.id}`) : ''}${s.message ? ` (${cliWords(s.message)})` : ''}`);
  }
  if (r.preview?.missingSources?.length) lines.push('', c.yellow(`Source fields missing from the sample: ${r.preview.missingSources.join(', ')}`));
  if (r.status === 'failed') lines.push('', `To resume after fixing it, add to the spec: ${JSON.stringify({ resume: r.resume })}`);
  if (r.nextSteps.length) lines.push('', c.bold('Next'), ...r.nextSteps.map((n) => `  ${cliWords(n)}`));
  lines.push('', c.dim(`Backup: ${r.backupId}`));
  return lines.join('\n');
}

export const integrations: NounSpec = {
  name: 'integrations',
  verbs: [
    {
      name: 'list',
      summary: 'List integrations with flow counts, open errors and their tag',
      options: [opt('--name <text>', 'Only names containing this text'), opt('--tag <tag>', 'Only integrations with this tag (case-insensitive)'), opt('--no-errors', 'Skip open-error counts (faster on large accounts)'), LIMIT],
      examples: ['integrations list', 'integrations list --tag critical', 'integrations list --json id,name,openErrors'],
      async run(rc) {
        const { listIntegrations, INTEGRATION_FIELDS } = await import('../../ops/read/integrations.js');
        rc.out.expectFields(INTEGRATION_FIELDS);
        const rows = await listIntegrations(await rc.ctx(), { name: optStr(rc, 'name'), tag: optStr(rc, 'tag'), errors: rc.opts.errors !== false });
        rc.out.list(rows, { noun: 'integrations', fields: INTEGRATION_FIELDS, columns: ['id', 'name', 'status', 'flows', 'enabledFlows', ...(rc.opts.errors !== false ? ['openErrors'] : []), 'tag'], limit: limitOf(rc) });
      },
    },
    {
      name: 'get',
      summary: 'Show an integration with its flows and open errors',
      args: ['<integration>'],
      argHelp: { integration: 'Integration id or name' },
      examples: ['integrations get "Shopify - NetSuite Orders"', 'integrations get 5f1a… --json'],
      async run(rc) {
        const { getIntegration } = await import('../../ops/read/integrations.js');
        const r = await getIntegration(await rc.ctx(), arg(rc, 0));
        const i = r.integration;
        rc.out.object(
          { id: i._id, name: i.name, description: i.description, tag: i.tag, lastModified: i.lastModified, flows: r.flows },
          { fields: ['id', 'name', 'description', 'tag', 'lastModified', 'flows'] },
        );
      },
    },
    {
      name: 'create',
      summary: 'Create an empty integration',
      args: ['<name>'],
      argHelp: { name: 'Name of the new integration' },
      options: [opt('--description <text>', 'Description')],
      mutating: true,
      examples: ['integrations create "Salesforce to NetSuite"', 'integrations create Sandbox --description "Try changes here" --yes'],
      async run(rc) {
        const { createIntegration } = await import('../../ops/changes.js');
        const r = await createIntegration(await rc.ctx(), { name: arg(rc, 0), description: optStr(rc, 'description') });
        done(rc, `Created integration "${r.name}" (${r.id}).`, r);
      },
    },
    {
      name: 'clone',
      summary: 'Copy an integration with its flows, exports and imports under a new name',
      args: ['<integration>', '<name>'],
      argHelp: { integration: 'Source integration id or name', name: 'Name of the copy' },
      options: [opt('--connection <source=target>', 'Make the copy use another connection (ids or names; repeatable); the others are reused', { repeat: true })],
      mutating: true,
      examples: [
        'integrations clone "Shopify - NetSuite Orders" "Shopify - NetSuite Orders (copy)"',
        'integrations clone "Shopify - NetSuite Orders" "Orders (sandbox)" --connection "NetSuite Production=NetSuite Sandbox"',
      ],
      async run(rc) {
        const { cloneIntegration } = await import('../../ops/changes.js');
        const connectionMap: Record<string, string> = {};
        for (const pair of (rc.opts.connection as string[] | undefined) ?? []) {
          const at = pair.indexOf('=');
          if (at <= 0 || at === pair.length - 1) throw new UsageError(`--connection takes source=target, e.g. "NetSuite Production=NetSuite Sandbox"; got "${pair}".`);
          connectionMap[pair.slice(0, at).trim()] = pair.slice(at + 1).trim();
        }
        const r = await cloneIntegration(await rc.ctx(), { integration: arg(rc, 0), name: arg(rc, 1), connectionMap });
        done(rc, `Cloned as "${r.name}" (${r.id}): ${Object.entries(r.created).map(([m, n]) => `${n} ${m.toLowerCase()}${n === 1 ? '' : 's'}`).join(', ')}. Backup ${r.backupId}.`, r);
      },
    },
    {
      name: 'tag',
      summary: 'Set an integration\'s tag (Celigo keeps ONE tag per integration: this replaces any existing tag)',
      args: ['<integration>', '[tag]'],
      argHelp: { integration: 'Integration id or name', tag: 'The tag, e.g. critical (required unless --remove)' },
      options: [opt('--remove', 'Remove the integration\'s tag instead of setting one')],
      details: 'The tag is the integration\'s own `tag` field, shown on its tile in integrator.io; the previous tag is backed up (restore with: backups restore). Error tags (tags list) label errors, not integrations.',
      mutating: true,
      examples: ['integrations tag "Shopify - NetSuite Orders" critical', 'integrations tag "Shopify - NetSuite Orders" --remove'],
      async run(rc) {
        const { addTagToIntegration } = await import('../../ops/changes.js');
        const r = await addTagToIntegration(await rc.ctx(), { integration: arg(rc, 0), tag: arg(rc, 1), remove: rc.opts.remove === true });
        done(rc, r.summary, r);
      },
    },
    {
      name: 'setup',
      summary: 'Set up a whole integration from a spec: connections (tested), export, import with mapping, flow',
      options: [opt('--spec <file>', 'The spec as JSON ("-" for stdin): name, source, destination, recordType, mappings, schedule'), opt('--enable', 'Enable the flow at the end (it is created disabled)')],
      details: 'Spec example: {"name":"SF to NS","source":{"connection":"Salesforce"},"destination":{"connection":"NetSuite"},"recordType":"Account","mappings":[{"generate":"companyname","extract":"Name"}]}. A failed step stops, says what exists so far, and prints the "resume" block to add to the spec.',
      mutating: true,
      examples: ['integrations setup --spec sf-to-ns.json', 'integrations setup --spec sf-to-ns.json --enable --yes'],
      async run(rc) {
        const file = optStr(rc, 'spec');
        if (!file) throw new UsageError('Give the spec with --spec FILE (see: celigo-manage integrations setup --help).');
        const spec = (await readJsonFile(rc, file, 'setup spec')) as SetupSpec;
        if (!spec || typeof spec !== 'object' || Array.isArray(spec)) throw new UsageError('The setup spec must be a JSON object.');
        if (rc.opts.enable) spec.enable = true;
        const { setupIntegration } = await import('../../ops/setup.js');
        const r = await setupIntegration(await rc.ctx(), spec);
        rc.out.object(r as unknown as Record<string, unknown>, { human: (c) => renderSetup(r, c) });
        return r.status === 'done' ? 0 : 1;
      },
    },
  ],
};
