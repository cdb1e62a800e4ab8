// Template downloads. The real response of GET /integrations/{id}/template (and /flows/{id}/template) is
// unknown (celigo-api.md §11 "the exact template/download response": JSON with a signed URL, or a zip). The
// emulator answers {"signedURL": ...} pointing at /__emulator/downloads/{token}, which serves a JSON
// description of the resources (secrets masked).
import { iso } from './clock.js';
import { flowConnectionIds } from './clone.js';
import { flowResourceIds } from './flow-steps.js';
import { hex8, mix32 } from './rng.js';
import { masked } from './secrets.js';
import type { Rec, Store } from './store.js';

export function templateFor(store: Store, kind: 'integrations' | 'flows', rec: Rec, origin: string): { signedURL: string } {
  const flows = kind === 'flows' ? [rec] : [...store.flows.values()].filter((f) => f._integrationId === rec._id);
  const exportIds = new Set<string>();
  const importIds = new Set<string>();
  const connIds = new Set<string>();
  for (const f of flows) {
    const ids = flowResourceIds(f);
    ids.exports.forEach((x) => exportIds.add(x));
    ids.imports.forEach((x) => importIds.add(x));
    flowConnectionIds(store, f).forEach((x) => connIds.add(x));
  }
  const pick = (k: 'exports' | 'imports' | 'connections', ids: Set<string>) => [...ids].map((id) => store.get(k, id)).filter(Boolean);
  const doc = {
    format: 'celigo-emulator-template/1',
    generatedAt: iso(store.now()),
    ...(kind === 'integrations' ? { integration: rec } : {}),
    flows,
    exports: pick('exports', exportIds),
    imports: pick('imports', importIds),
    connections: pick('connections', connIds),
  };
  const token = `${kind === 'integrations' ? 'integration' : 'flow'}-${rec._id}-${hex8(mix32(store.downloads.size + 1))}`;
  store.downloads.set(token, JSON.stringify(masked(doc)));
  return { signedURL: `${origin}/__emulator/downloads/${token}` };
}
