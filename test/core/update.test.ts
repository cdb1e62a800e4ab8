import { describe, it, expect } from 'vitest';
import { readModifyWrite, maskedPaths, stripReadOnly } from '../../src/core/update.js';
import { ConflictError, UsageError } from '../../src/core/errors.js';

describe('readModifyWrite', () => {
  it('applies the change to the whole current object and strips read-only fields', async () => {
    const current = { _id: 'f', name: 'a', lastModified: '1', pageGenerators: [{ _exportId: 'e' }], createdAt: 'c' };
    let put: Record<string, unknown> | undefined;
    await readModifyWrite(
      { resource: 'flow', id: 'f', get: async () => structuredClone(current), put: async (b) => ((put = b), { ...current, ...b }) },
      (f) => {
        f.name = 'b';
      },
    );
    expect(put).toEqual({ name: 'b', pageGenerators: [{ _exportId: 'e' }] });
  });

  it('refuses to send a masked secret back and writes nothing', async () => {
    let wrote = false;
    type Conn = { _id: string; name: string; lastModified?: string; http: unknown };
    const err = await readModifyWrite<Conn>(
      { resource: 'connection', id: 'c', get: async () => ({ _id: 'c', name: 'x', http: { auth: { token: { token: '******' } } } }), put: async () => ((wrote = true), {} as never) },
      (c) => {
        c.name = 'y';
      },
    ).catch((e) => e);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toContain('http.auth.token.token');
    expect(wrote).toBe(false);
  });

  it('detects a concurrent edit between read and write', async () => {
    let n = 0;
    let wrote = false;
    const err = await readModifyWrite(
      { resource: 'flow', id: 'f', get: async () => ({ _id: 'f', lastModified: String(n++) }), put: async () => ((wrote = true), {} as never) },
      () => {},
    ).catch((e) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect(wrote).toBe(false);
  });

  it('honours expectLastModified from an earlier preview', async () => {
    const err = await readModifyWrite(
      { resource: 'flow', id: 'f', get: async () => ({ _id: 'f', lastModified: '2' }), put: async () => ({}) as never },
      () => {},
      { expectLastModified: '1' },
    ).catch((e) => e);
    expect(err).toBeInstanceOf(ConflictError);
  });

  it('finds masked paths and strips read-only fields', () => {
    expect(maskedPaths({ a: { b: ['x', '******'] } })).toEqual(['a.b.1']);
    expect(stripReadOnly({ _id: '1', lastModified: 'x', name: 'n' })).toEqual({ name: 'n' });
  });
});
