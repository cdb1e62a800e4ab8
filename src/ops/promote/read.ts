// Reading one side of a promotion (issue 16): an integration, its flows, the exports and imports its
// flows use, and the account's connections, through that account's own profile and token.
import type { CeligoClient } from '../../core/client.js';
import type { Connection, Flow, Integration } from '../../core/schemas.js';
import { flowSteps } from '../../core/flows.js';
import { UsageError } from '../../core/errors.js';
import { resolveIntegration } from '../resolve.js';

export type Doc = Record<string, unknown> & { _id: string; name?: string; lastModified?: string };
export type StepKind = 'export' | 'import';

export interface Side {
  /** The profile name. */
  label: string;
  api: CeligoClient;
  production: boolean;
  integration: Integration;
  flows: Flow[];
  /** Exports and imports the flows use, by id. */
  steps: Map<string, { kind: StepKind; doc: Doc }>;
  connections: Connection[];
}

/** What a promotion remembers in the target integration's state: which source object is which target object. */
export const MATCHES_KEY = 'celigo-manage.promote';
export interface StoredMatches {
  /** Source integration id. */
  source: string;
  /** Source id -> target id, for flows, exports and imports. */
  ids: Record<string, string>;
}

export interface Account {
  api: CeligoClient;
  label: string;
  production: boolean;
}

/** The flows of an integration and every step they use (steps outside its lists are read one by one). */
export async function readSide(account: Account, integration: Integration, signal?: AbortSignal): Promise<Side> {
  const { api } = account;
  const [flows, exps, imps, connections] = await Promise.all([
    api.integrations.flows(integration._id, { signal }),
    api.integrations.exports(integration._id, { signal }),
    api.integrations.imports(integration._id, { signal }),
    api.connections.list({}, { signal }),
  ]);
  const steps = new Map<string, { kind: StepKind; doc: Doc }>();
  for (const e of exps) steps.set(e._id, { kind: 'export', doc: e as Doc });
  for (const i of imps) steps.set(i._id, { kind: 'import', doc: i as Doc });
  for (const f of flows) {
    for (const st of flowSteps(f)) {
      if (steps.has(st.id)) continue;
      const doc = (st.kind === 'export' ? await api.exports.get(st.id, { signal }) : await api.imports.get(st.id, { signal })) as Doc;
      steps.set(st.id, { kind: st.kind, doc });
    }
  }
  return { label: account.label, api, production: account.production, integration, flows, steps, connections };
}

/** The source integration (by id or name), and the target's of the same name (or the one the last promotion matched). */
export async function findIntegrations(source: Account, target: Account, query: string, signal?: AbortSignal): Promise<{ from: Integration; to: Integration; stored?: StoredMatches }> {
  const from = await resolveIntegration(source.api, query);
  const all = await target.api.integrations.list({}, { signal });
  const named = all.filter((i) => i.name === from.name);
  if (!named.length) {
    throw new UsageError(
      `"${target.label}" has no integration named "${from.name}". A promotion carries changes to an integration that exists on both sides: ` +
        `create it in "${target.label}" first (clone_integration or setup_integration there), then promote.`,
    );
  }
  // The one whose state says a promotion matched it to this source integration, else the only one of that name.
  for (const cand of named) {
    const stored = await target.api.state.get<StoredMatches>(MATCHES_KEY, { resourceType: 'integrations', id: cand._id }, { signal });
    if (stored?.source === from._id) return { from, to: cand, stored };
  }
  if (named.length > 1) {
    throw new UsageError(`"${target.label}" has ${named.length} integrations named "${from.name}" (${named.map((i) => i._id).join(', ')}); rename one so the promotion knows which to change.`);
  }
  return { from, to: named[0] };
}
