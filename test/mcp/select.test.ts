// Tool selection: --toolsets, --tools, --exclude-tools, --read-only and their environment twins.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.js';
import { mergeSelection, selectTools, selectionFromEnv } from '../../src/operations/select.js';
import { fixtureTools } from '../helpers/mcp.js';

const all = fixtureTools();
const names = (o: Parameters<typeof selectTools>[1]) => selectTools(all, o).map((t) => t.name);

describe('selectTools', () => {
  it('keeps everything by default, in catalogue order', () => {
    expect(names({})).toEqual(all.map((t) => t.name));
    expect(names({ toolsets: ['all'] })).toEqual(all.map((t) => t.name));
  });

  it('filters by toolset, by name, and by both (union)', () => {
    expect(names({ toolsets: ['jobs'] })).toEqual(['report', 'slow']);
    expect(names({ tools: ['echo'] })).toEqual(['echo']);
    expect(names({ toolsets: ['jobs'], tools: ['echo'] })).toEqual(['echo', 'report', 'slow']);
    expect(names({ toolsets: ['all'], tools: ['echo'] })).toEqual(all.map((t) => t.name));
  });

  it('excludes tools whatever selected them', () => {
    expect(names({ toolsets: ['jobs'], excludeTools: ['slow'] })).toEqual(['report']);
  });

  it('--read-only keeps only tools whose readOnlyHint is true', () => {
    const ro = selectTools(all, { readOnly: true });
    expect(ro.map((t) => t.name)).not.toContain('delete_thing');
    expect(ro.every((t) => t.annotations.readOnlyHint)).toBe(true);
  });

  it('names the valid toolsets and tools when given an unknown one', () => {
    expect(() => selectTools(all, { toolsets: ['nope'] })).toThrow(UsageError);
    expect(() => selectTools(all, { toolsets: ['nope'] })).toThrow(/Unknown toolset: nope. Valid toolsets: integrations, flows/);
    try {
      selectTools(all, { tools: ['echoo'], excludeTools: ['nada'] });
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toMatch(/Unknown tools: echoo, nada. Valid tools: api_fails, crashes, delete_thing/);
      expect((e as UsageError).candidates).toContain('echo');
    }
  });
});

describe('selection from the environment', () => {
  it('reads the four variables', () => {
    expect(
      selectionFromEnv({
        CELIGO_MANAGE_TOOLSETS: 'flows, jobs',
        CELIGO_MANAGE_TOOLS: 'echo',
        CELIGO_MANAGE_EXCLUDE_TOOLS: 'slow,',
        CELIGO_MANAGE_READ_ONLY: '1',
      }),
    ).toEqual({ toolsets: ['flows', 'jobs'], tools: ['echo'], excludeTools: ['slow'], readOnly: true });
    expect(selectionFromEnv({ CELIGO_MANAGE_READ_ONLY: 'false' })).toEqual({ readOnly: false });
    expect(selectionFromEnv({})).toEqual({});
  });

  it('flags win over the environment, field by field', () => {
    const env = selectionFromEnv({ CELIGO_MANAGE_TOOLSETS: 'flows', CELIGO_MANAGE_READ_ONLY: '1', CELIGO_MANAGE_TOOLS: 'echo' });
    expect(mergeSelection({ toolsets: ['jobs'], readOnly: false }, env)).toEqual({
      toolsets: ['jobs'],
      tools: ['echo'],
      excludeTools: undefined,
      readOnly: false,
    });
  });
});
