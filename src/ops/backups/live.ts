// Reading the live object a backup item stands for (any resource type, or a state key).
import { CeligoApiError } from '../../core/errors.js';
import type { OpContext } from '../context.js';
import type { BackupType, ItemType } from './store.js';

export type Live = Record<string, unknown> & { _id?: string; name?: string; lastModified?: string };

/** The resource API a backup type reads and writes through. */
export function apiFor(ctx: OpContext, type: Exclude<BackupType, 'state'>) {
  const { api } = ctx;
  switch (type) {
    case 'integration': return api.integrations;
    case 'flow': return api.flows;
    case 'export': return api.exports;
    case 'import': return api.imports;
    case 'connection': return api.connections;
    case 'tag': return api.tags;
  }
}

/** A state item's id as key and scope: `<resourceType>/<id>/<key>` for a scoped key, else a global key. */
export function stateScope(id: string): { key: string; scope?: { resourceType: 'integrations' | 'flows' | 'exports' | 'imports' | 'connections'; id: string } } {
  const m = /^(integrations|flows|exports|imports|connections)\/([^/]+)\/(.+)$/.exec(id);
  return m ? { key: m[3], scope: { resourceType: m[1] as 'integrations', id: m[2] } } : { key: id };
}

/** The live object, or undefined when it does not exist (404). */
export async function readLive(ctx: OpContext, type: Exclude<ItemType, 'connectionRef'>, id: string): Promise<Live | undefined> {
  try {
    if (type === 'state') {
      const { key, scope } = stateScope(id);
      const v = await ctx.api.state.get(key, scope, { signal: ctx.signal });
      return v === undefined ? undefined : { value: v };
    }
    return (await apiFor(ctx, type).get(id, { signal: ctx.signal })) as Live;
  } catch (err) {
    if (err instanceof CeligoApiError && err.status === 404) return undefined;
    throw err;
  }
}
