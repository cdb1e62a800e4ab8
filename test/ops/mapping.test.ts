import { describe, expect, it } from 'vitest';
import { listMappings, mappingFormat } from '../../src/ops/mapping/formats.js';
import { applyMappingChanges } from '../../src/ops/mapping/apply.js';
import { previewMapping, readPath } from '../../src/ops/mapping/preview.js';
import { UsageError } from '../../src/core/errors.js';

const m1 = {
  _id: 'i1',
  name: 'NS orders',
  adaptorType: 'NetSuiteDistributedImport',
  mapping: {
    fields: [{ extract: 'id', generate: 'externalid' }, { generate: 'orderstatus', hardCodedValue: 'B' }],
    lists: [{ generate: 'item', fields: [{ extract: 'line_items[*].sku', generate: 'item' }, { extract: 'line_items[*].quantity', generate: 'quantity' }] }],
  },
};
const m2 = {
  _id: 'i2',
  name: 'HTTP',
  adaptorType: 'HTTPImport',
  mappings: [
    { generate: 'customer', dataType: 'object', status: 'Active', mappings: [{ generate: 'email', dataType: 'string', extract: '$.customer.email', status: 'Active' }] },
    { generate: 'lines', dataType: 'objectarray', buildArrayHelper: [{ extract: '$.items[*]', mappings: [{ generate: 'sku', dataType: 'string', extract: '$.items.sku' }] }] },
  ],
};
const record = { id: 'A1', customer: { email: 'a@b.c' }, items: [{ sku: 'S1' }, { sku: 'S2' }], line_items: [{ sku: 'S1', quantity: 2 }, { sku: 'S2', quantity: 5 }] };

describe('mapping formats', () => {
  it('detects 1.0 and 2.0, and defaults by adaptor', () => {
    expect(mappingFormat(m1)).toBe('1.0');
    expect(mappingFormat(m2)).toBe('2.0');
    expect(mappingFormat({ adaptorType: 'SalesforceImport' })).toBe('1.0');
    expect(mappingFormat({ adaptorType: 'HTTPImport' })).toBe('2.0');
  });
  it('lists fields with full paths', () => {
    expect(listMappings(m1).map((f) => f.generate)).toEqual(['externalid', 'orderstatus', 'item.item', 'item.quantity']);
    expect(listMappings(m2).map((f) => f.generate)).toEqual(['customer.email', 'lines.sku']);
  });
});

describe('applyMappingChanges (Mapper 1.0)', () => {
  it('adds, changes and removes fields, including list fields, without touching the input', () => {
    const before = structuredClone(m1);
    const { doc, format, applied } = applyMappingChanges(m1, [
      { op: 'add', generate: 'memo', extract: '$.note' },
      { op: 'change', generate: 'orderstatus', extract: 'status' },
      { op: 'remove', generate: 'externalid' },
      { op: 'change', generate: 'item.quantity', hardCodedValue: '1' },
    ]);
    expect(format).toBe('1.0');
    expect(m1).toEqual(before);
    expect(doc.mapping.fields).toEqual([{ generate: 'orderstatus', extract: 'status' }, { generate: 'memo', extract: 'note' }]);
    expect(doc.mapping.lists[0].fields[1]).toEqual({ generate: 'quantity', hardCodedValue: '1' });
    expect(applied.map((a) => a.op)).toEqual(['add', 'change', 'remove', 'change']);
    expect(applied[1]).toMatchObject({ before: '"B" (fixed)', after: 'status' });
  });
  it('refuses impossible changes with a message that names the field', () => {
    expect(() => applyMappingChanges(m1, [{ op: 'add', generate: 'externalid', extract: 'x' }])).toThrow(/already mapped/);
    expect(() => applyMappingChanges(m1, [{ op: 'change', generate: 'nope', extract: 'x' }])).toThrow(/not mapped/);
    expect(() => applyMappingChanges(m1, [{ op: 'remove', generate: 'nope' }])).toThrow(UsageError);
    expect(() => applyMappingChanges(m1, [{ op: 'add', generate: 'x' }])).toThrow(/extract/);
    expect(() => applyMappingChanges(m1, [{ op: 'add', generate: 'x', extract: 'a', hardCodedValue: 'b' }])).toThrow(/not both/);
  });
});

describe('applyMappingChanges (Mapper 2.0)', () => {
  it('adds into nested objects (creating parents) and into array items', () => {
    const { doc } = applyMappingChanges(m2, [
      { op: 'add', generate: 'customer.name', extract: 'customer.name' },
      { op: 'add', generate: 'shipping.city', extract: 'ship.city' },
      { op: 'add', generate: 'lines.qty', extract: '$.items.qty' },
      { op: 'change', generate: 'customer.email', hardCodedValue: 'x@y.z' },
    ]);
    const flat = listMappings(doc);
    expect(flat).toContainEqual({ generate: 'customer.name', extract: '$.customer.name', dataType: 'string' });
    expect(flat).toContainEqual({ generate: 'shipping.city', extract: '$.ship.city', dataType: 'string' });
    expect(flat).toContainEqual({ generate: 'lines.qty', extract: '$.items.qty', dataType: 'string' });
    expect(flat).toContainEqual({ generate: 'customer.email', hardCodedValue: 'x@y.z', dataType: 'string' });
  });
  it('will not change an object mapping as if it were a field', () => {
    expect(() => applyMappingChanges(m2, [{ op: 'change', generate: 'customer', extract: 'x' }])).toThrow(/object or array/);
  });
});

describe('previewMapping', () => {
  it('maps a record through Mapper 1.0 fields and lists', () => {
    const p = previewMapping(m1, record);
    expect(p.output).toEqual({ externalid: 'A1', orderstatus: 'B', item: [{ item: 'S1', quantity: 2 }, { item: 'S2', quantity: 5 }] });
    expect(p.missingSources).toEqual([]);
  });
  it('maps a record through Mapper 2.0 objects and arrays', () => {
    const p = previewMapping(m2, record);
    expect(p.output).toEqual({ customer: { email: 'a@b.c' }, lines: [{ sku: 'S1' }, { sku: 'S2' }] });
    expect(p.missingSources).toEqual([]);
  });
  it('flags source fields the record does not have', () => {
    const { doc } = applyMappingChanges(m1, [{ op: 'add', generate: 'lastname', extract: 'last_name' }]);
    const p = previewMapping(doc, record);
    expect(p.missingSources).toEqual(['last_name']);
    expect(p.fields.find((f) => f.generate === 'lastname')).toMatchObject({ missing: true });
    expect(p.output).not.toHaveProperty('lastname');
  });
  it('reads paths with indexes and wildcards', () => {
    expect(readPath(record, 'line_items[1].quantity')).toBe(5);
    expect(readPath(record, '$.items[*].sku')).toEqual(['S1', 'S2']);
    expect(typeof readPath(record, 'nope.x')).toBe('symbol');
  });
});
