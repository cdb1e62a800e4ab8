// Mapping previews name the sample's source fields in their text, not only in the structured part (issue 12
// item 6): a model fixing a mapping needs to see which fields it can map from.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO } from '../../src/emulator/seed/demo.js';
import { catalogue } from '../../src/operations/catalogue.js';
import { sampleFields, sampleFieldsLine } from '../../src/ops/mapping/preview.js';
import { demoEnv, type Env } from '../helpers/demo-env.js';

const tool = (name: string) => catalogue().find((t) => t.name === name)!;
const ZENDESK_USER_FIELDS = 'id, name, first_name, last_name, email, phone, organization.name, role, updated_at';

describe('the sample source fields', () => {
  it('are leaf paths in record order: nested objects dotted, arrays of objects by their first item', () => {
    const record = { id: 1, customer: { first_name: 'Ava', address: { city: 'Austin' } }, line_items: [{ sku: 'A', qty: 1 }], tags: ['x'], empty: {}, none: null };
    expect(sampleFields(record)).toEqual(['id', 'customer.first_name', 'customer.address.city', 'line_items[*].sku', 'line_items[*].qty', 'tags', 'empty', 'none']);
  });

  it.each([
    { name: 'a few', fields: ['id', 'email'], line: 'Source fields in the sample (2): id, email.' },
    { name: 'none', fields: [], line: 'Source fields in the sample: none (the record is empty).' },
    { name: 'more than are shown', fields: Array.from({ length: 45 }, (_, i) => `f${i}`), line: `Source fields in the sample (45): ${Array.from({ length: 30 }, (_, i) => `f${i}`).join(', ')}, … and 15 more.` },
  ])('read compactly in a line: $name', ({ fields, line }) => {
    expect(sampleFieldsLine(fields)).toBe(line);
  });
});

describe('mapping previews on the demo account', () => {
  let env: Env;
  beforeAll(async () => {
    env = await demoEnv();
  });
  afterAll(() => env.close());

  it('get_mapping with a sample lists its fields in the text', async () => {
    const sample = { id: 7, email: 'a@b.c', organization: { name: 'Acme' }, extra_field: 'x' };
    const r = await tool('get_mapping').handler({ flow: DEMO.mappingEditedFlow, sample }, env.ctx);
    expect(r.text).toContain('Source fields in the sample (4): id, email, organization.name, extra_field.');
    expect((r.structured as { preview: { sampleFields: string[] } }).preview.sampleFields).toEqual(['id', 'email', 'organization.name', 'extra_field']);
  });

  it('get_mapping without a sample previews on one read from the export (the agent benchmark had none to give)', async () => {
    const r = await tool('get_mapping').handler({ flow: DEMO.mappingEditedFlow }, env.ctx);
    expect(r.text).toContain(`Source fields in the sample (9): ${ZENDESK_USER_FIELDS}.`);
    expect(r.structured).toMatchObject({ sample: 'export' });
  });

  it('update_mapping dry run, on a sample from the export, lists its fields in the text', async () => {
    const r = await tool('update_mapping').handler({ flow: DEMO.mappingEditedFlow, changes: [{ op: 'add', generate: 'LastName', extract: 'surname' }], dryRun: true }, env.ctx);
    expect(r.text).toContain('source field surname (for LastName) is not in the sample record');
    expect(r.text).toContain(`Source fields in the sample (9): ${ZENDESK_USER_FIELDS}.`);
  });

  it('update_mapping on a production profile: the plan confirmed lists them too', async () => {
    const plans: string[][] = [];
    const ctx = { ...env.ctx, production: true, confirm: async (p: { details: string[] }) => (plans.push(p.details), true) };
    const r = await tool('update_mapping').handler({ flow: DEMO.mappingEditedFlow, changes: [{ op: 'add', generate: 'Department', extract: 'organization.name' }] }, ctx);
    expect(r.isError, r.text).toBe(false);
    expect(r.text).toContain(`Source fields in the sample (9): ${ZENDESK_USER_FIELDS}.`);
    expect(plans.at(-1)).toContain(`Source fields in the sample (9): ${ZENDESK_USER_FIELDS}.`);
  });
});
