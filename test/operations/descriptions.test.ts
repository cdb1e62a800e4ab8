// Issue 12 items 4 and 5: every parameter of the default tools/list says what it takes (an example, an
// enum, or a yes/no with its meaning), numbers have bounds, time ranges say their time zone and whether
// the end is included, and the enums cover the values the data really has (error `source`).
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ERROR_SOURCES } from '../../src/core/schemas.js';
import { PATTERNS } from '../../src/emulator/behaviour.js';
import { catalogue } from '../../src/operations/catalogue.js';
import { selectTools } from '../../src/operations/select.js';

type Prop = { type?: string; description?: string; enum?: unknown[]; minimum?: number; maximum?: number; items?: Prop & { properties?: Record<string, Prop> } };

const tools = selectTools(catalogue(), {});
const props = tools.flatMap((t) => {
  const schema = z.toJSONSchema(z.object(t.input)) as { properties: Record<string, Prop> };
  return Object.entries(schema.properties).map(([k, p]) => [`${t.name}.${k}`, p] as const);
});

describe('parameter descriptions of the default configuration', () => {
  it.each(props)('%s says what it takes', (_where, p) => {
    expect(p.description?.length ?? 0).toBeGreaterThan(8);
    // Words like "Filter", "Columns" or "errorIds" alone told a model nothing.
    expect(p.description).not.toMatch(/^(Filter|Columns|errorIds|Tag|Name|Changes|Op)$/);
    if (p.type === 'integer' || p.type === 'number') {
      expect(p.minimum, 'a lower bound').toBeDefined();
      expect(p.maximum, 'an upper bound').toBeDefined();
    }
    if (p.type === 'string' && !p.enum) expect(p.description, 'an example or the values').toMatch(/e\.g\.|"[^"]+"|\b(id|token|nextCursor)\b/i);
  });

  it('time ranges say which time zone and that the end is excluded', () => {
    const ranges = props.filter(([w]) => w.endsWith('.range'));
    expect(ranges.length).toBeGreaterThanOrEqual(4);
    for (const [w, p] of ranges) expect(p.description, w).toMatch(/time zone.*end excluded/);
  });

  it('error source is an enum with every source the emulator produces ("application" is most errors)', () => {
    const source = props.find(([w]) => w === 'list_errors.source')![1];
    expect(source.enum).toEqual([...ERROR_SOURCES]);
    for (const p of Object.values(PATTERNS)) expect(ERROR_SOURCES, p.key).toContain(p.source);
  });

  it('connection types and job statuses are enums', () => {
    expect(props.find(([w]) => w === 'list_connections.type')![1].enum).toContain('netsuite');
    expect(props.find(([w]) => w === 'create_connection.type')![1].enum).toContain('http');
    expect(props.find(([w]) => w === 'list_jobs.status')![1].enum).toContain('failed');
  });
});

describe('one wait rule (issue 12 item 5)', () => {
  it('every wait says its default and the 50 s bound in the same words: workflows wait, single calls do not', () => {
    const waits = props.filter(([w]) => w.endsWith('.wait'));
    expect(waits.map(([w]) => w).sort()).toEqual(['retry_failed_jobs.wait', 'run_and_monitor.wait', 'trigger_export.wait', 'trigger_flow_run.wait']);
    for (const [w, p] of waits) {
      const byDefault = w.startsWith('run_and_monitor') || w.startsWith('retry_failed_jobs');
      expect(p.description, w).toBe(`Follow to the end (default ${byDefault}); pending after 50 s`);
    }
  });
});
