// Pins the seeded stores: a hash of every collection, so refactoring a seed cannot change what it builds
// (ids come from a counter and the rng is seeded, so any reordering of calls shows up here).
// If a seed is changed on purpose, print the new hashes (PRINT_SEED_HASHES=1) and update them below.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/emulator/index.js';
import { renderError } from '../../src/emulator/flow-errors.js';
import { renderJob } from '../../src/emulator/job-table.js';
import { type SeedName, seedStore } from '../../src/emulator/seed/index.js';
import { KINDS, type Store } from '../../src/emulator/store.js';
import { START } from '../helpers/emulator.js';

/** JSON with Maps and Sets as arrays of their entries, in insertion order (key order is part of what is pinned). */
const json = (v: unknown): string =>
  JSON.stringify(v, (_k, x: unknown) => (x instanceof Map ? [...x.entries()] : x instanceof Set ? [...x] : x));

function hashes(store: Store): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (name: string, items: Iterable<unknown>): void => {
    const h = createHash('sha256');
    for (const it of items) h.update(json(it)).update('\n');
    out[name] = h.digest('hex').slice(0, 16);
  };
  for (const kind of KINDS) put(kind, store.map(kind).values());
  put('scripts', store.scripts.values());
  put('jobs', (function* () {
    for (const j of store.jobs.all) yield { ...renderJob(j), children: j.children?.map((c) => c._id), parent: j.parent?._id, pending: j.timeline?.length };
  })());
  put('errors', (function* () {
    for (const flowId of store.flows.keys()) {
      for (const [stepId, s] of store.errors.stepsOf(flowId) ?? []) {
        yield { flowId, stepId, open: s.open.map((e) => ({ ...renderError(e, false), at: e.at, retryJobId: e.retryJobId })), resolved: s.resolved.map((e) => renderError(e, true)) };
      }
    }
  })());
  put('audit', store.audit.query({}));
  put('hidden', [store.hidden]);
  put('state', [store.globalState, store.scopedState]);
  put('misc', [store.counts(), store.errors.totals(), store.ids.counters(), store.jobs.active.size]);
  return out;
}

const PINNED: Record<Exclude<SeedName, 'empty' | 'sandbox'>, Record<string, string>> = {
  demo: {
    integrations: '49cab6d44a0e1e9e', flows: '27d1787b1c2f5cdb', exports: '201921d3cb896deb', imports: 'fbdc6cff78d868fa',
    connections: '6795008527eb79ca', tags: '526afdc01fb0cb10', scripts: 'd75a48b1ec2a8823', jobs: '023565c46e6db339',
    errors: '2d258a22ae99537c', audit: '4f8d985d72456453', hidden: 'e5f515026381a082', state: '756473848e61e7ce', misc: '54f4f35f86ed60dd',
  },
  large: {
    integrations: '3c762ebcbf333cbe', flows: '50ff4644dfa348b5', exports: '43f81c72186b6d63', imports: '5ac0d7b21bb5994d',
    connections: '9ea7f10d13cda14d', tags: 'e3b0c44298fc1c14', scripts: 'e3b0c44298fc1c14', jobs: '9944b278c7ab5c3c',
    errors: '940c2c29d6953ffa', audit: 'e3b0c44298fc1c14', hidden: 'b5e00d211399df6b', state: '20717f031de6ec6d', misc: '32b1a8f047da0c82',
  },
};

describe('seeds are pinned', () => {
  for (const name of ['demo', 'large'] as const) {
    it(`${name}: every collection hashes as recorded`, () => {
      const got = hashes(seedStore(name, new ManualClock(START)));
      if (process.env.PRINT_SEED_HASHES) console.log(name, JSON.stringify(got, null, 2));
      expect(got).toEqual(PINNED[name]);
    });
  }
});
