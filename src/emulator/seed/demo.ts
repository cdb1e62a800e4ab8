// The demo account: a realistic mid-size integrator.io account with a week of history.
// Facts tests may rely on are listed in ./README.md; keep the two in step.
import type { Store } from '../store.js';
import { DEMO_USER_ID } from '../tokens.js';
import { Builder } from './build.js';
import { seedDemoLookupCaches } from '../lookup-caches.js';
import { demoFlows, tuneDemoFlows } from './demo-flows.js';
import { seedDemoExtras, seedDemoHistory } from './demo-history.js';
import { type DemoCtx, demoConnections, demoErrorTags, demoExports, demoImports, demoIntegrations } from './demo-resources.js';

export { DEMO } from './demo-names.js';

/** Builds the demo account. Ids come from a counter and the rng is seeded: the order of these steps is the seed. */
export function seedDemo(store: Store): void {
  const now = store.now();
  const ctx: DemoCtx = { store, b: new Builder(store, DEMO_USER_ID), ago: (ms) => now - ms };
  const c = demoConnections(ctx);
  const I = demoIntegrations(ctx, c);
  const E = demoExports(ctx, c);
  const M = demoImports(ctx, c);
  const { F, planned } = demoFlows(ctx, I, E, M);
  tuneDemoFlows(ctx, I, E, M, F);
  demoErrorTags(ctx, M);
  seedDemoHistory(ctx, { c, E, M, F, planned });
  seedDemoExtras(ctx, c);
  // Outside the pinned collections, with fixed ids: adding them changed no pinned hash.
  seedDemoLookupCaches(store, DEMO_USER_ID);
}
