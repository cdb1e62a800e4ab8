// setup_integration: a new integration end to end (ops/setup.ts). The tool takes the spec's fields; the
// command takes the whole spec from a file (--spec, read at the terminal by src/cli/commands/integrations.ts)
// with --enable and --resume over it. Declared with the command's input; the tool is toolView of it.
import { z } from 'zod';
import { sampleFieldsLine } from '../ops/mapping/preview.js';
import { compact } from '../ops/project.js';
import type { SetupReport } from '../ops/setup.js';
import { truncate } from '../ops/util.js';
import { mappingField } from './args.js';
import { tsv } from './format.js';
import { defineOperation, type Colors } from './types.js';

// Records, not objects with every key declared: the tool stays small in tools/list. The keys are named in
// the descriptions, and parseSetupSpec (ops/setup-plan.ts) refuses any other key by name.
const source = z.record(z.string(), z.unknown()).describe(
  '{connection} or {type,name,config}; HTTP adds relativeURI, query (SOQL/SQL for Salesforce/databases), e.g. {"connection":"Zendesk","relativeURI":"/api/v2/users.json"}',
);
const destination = z.record(z.string(), z.unknown()).describe('{connection} or {type,name,config}; HTTP: relativeURI, e.g. "/crm/v3/objects/contacts"');

export const setupToolInput = {
  name: z.string().min(1).max(100).optional().describe('Name of the new integration (or flow), e.g. "Zendesk - HubSpot"'),
  integration: z.string().optional().describe('Add the flow to this existing integration, e.g. "Shopify - NetSuite"'),
  recordType: z.string().min(1).describe('Record type, e.g. "customer"'),
  source,
  destination,
  mappings: z.array(z.object(mappingField)).optional().describe('Destination field from source field or fixed value'),
  schedule: z.string().optional().describe('Cron, UTC, e.g. "? 0 2 ? * *"'),
  enable: z.boolean().optional().describe('Enable if both connections test OK'),
  resume: z.record(z.string(), z.string()).optional().describe('The resume ids a failed attempt returned'),
  confirm: z.string().optional().describe('Preview token'),
};

const hidden = { hidden: true } as const;

function renderSetup(r: SetupReport, c: Colors): string {
  const mark = r.status === 'done' ? c.green('✓') : r.status === 'pending' ? c.yellow('…') : c.red('✗');
  const lines = [`${mark} ${r.summary}`, ''];
  for (const s of r.steps) {
    const mark = s.status === 'failed' ? c.red('✗') : s.status === 'skipped' ? c.dim('-') : c.green('✓');
    lines.push(`  ${mark} ${s.step}: ${s.status}${s.id ? c.dim(` ${s.id}`) : ''}${s.message ? ` (${s.message})` : ''}`);
  }
  if (r.preview?.missingSources?.length) lines.push('', c.yellow(`Source fields missing from the sample: ${r.preview.missingSources.join(', ')}`));
  if (r.preview?.sampleFields) lines.push(c.dim(sampleFieldsLine(r.preview.sampleFields)));
  if (r.backupId) lines.push('', c.dim(`Backup: ${r.backupId}`));
  return lines.join('\n');
}

export const setupIntegrationOperation = defineOperation({
  name: 'setup_integration',
  toolset: 'workflows',
  title: 'Set up an integration',
  description: 'Create an integration end to end: tested connections, export, import with mapping, disabled flow, preview. Resumable.',
  input: {
    // Only the command takes it, read from a file: the tool takes the spec's fields.
    spec: z.record(z.string(), z.unknown()).optional().describe('The spec; its fields are those of the tool'),
    ...z.object(setupToolInput).partial().shape,
  },
  annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
  cli: {
    noun: 'integrations',
    verb: 'setup',
    summary: 'Set up a whole integration from a spec: connections (tested), export, import with mapping, flow',
    flags: {
      spec: { flags: '--spec <file>', description: 'The spec file ("-" for stdin): name, integration, source, destination, recordType, mappings, schedule' },
      integration: { description: 'Add the flow to this existing integration (id or name) instead of creating one' },
      enable: { description: 'Enable the flow at the end (it is created disabled)' },
      resume: { description: 'The resume ids a failed setup printed (over those of the spec)' },
      name: hidden,
      recordType: hidden,
      source: hidden,
      destination: hidden,
      mappings: hidden,
      schedule: hidden,
    },
    details:
      'Spec example: {"name":"SF to NS","source":{"connection":"Salesforce"},"destination":{"connection":"NetSuite"},"recordType":"Account","mappings":[{"generate":"companyname","extract":"Name"}]}. ' +
      'An HTTP end needs its path: "source":{"connection":"Zendesk","relativeURI":"/api/v2/users.json","query":"role=end-user"}; "query" is SOQL for Salesforce and SQL for a database. ' +
      'A failed step stops, says what exists so far, and prints the resume ids to pass back (with --resume, or as "resume" in the spec).',
    examples: ['integrations setup --spec sf-to-ns.json', 'integrations setup --spec sf-to-ns.json --enable --yes'],
  },
  async run(ctx, input) {
    const { spec, confirm: _confirm, ...given } = input;
    const [{ setupIntegration }, { parseSetupSpec }] = await Promise.all([import('../ops/setup.js'), import('../ops/setup-plan.js')]);
    return setupIntegration(ctx, parseSetupSpec({ ...spec, ...compact(given) }));
  },
  forModel(r) {
    const steps = tsv(r.steps.map((s) => ({ step: s.step, status: s.status, id: s.id, note: truncate(s.message, 140) })));
    const text = [r.summary, steps, r.preview?.sampleFields && sampleFieldsLine(r.preview.sampleFields)].filter(Boolean).join('\n');
    return { text, structured: { ...r } };
  },
  forTerminal: (r, t) => t.object({ ...r }, { human: (c) => renderSetup(r, c) }),
});
