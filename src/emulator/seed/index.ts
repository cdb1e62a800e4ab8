// Builds a fresh store for a seed name (and, for the large seed, a scale).
import type { Clock } from '../clock.js';
import { hash32 } from '../rng.js';
import { Store } from '../store.js';
import { seedDemo } from './demo.js';
import { seedEmpty } from './empty.js';
import { seedSandbox } from './sandbox.js';
import { MAX_LARGE_HISTORY_DAYS, MAX_LARGE_SCALE, seedLarge } from './large.js';

export type SeedName = 'demo' | 'empty' | 'large' | 'sandbox';
export const SEED_NAMES: readonly SeedName[] = ['demo', 'empty', 'large', 'sandbox'];
export { MAX_LARGE_HISTORY_DAYS, MAX_LARGE_SCALE };

/** Why a scale cannot be used with a seed, or undefined when it can. */
export function scaleProblem(name: string, scale: number): string | undefined {
  if (!Number.isInteger(scale) || scale < 1 || scale > MAX_LARGE_SCALE) return `scale must be a whole number from 1 to ${MAX_LARGE_SCALE} (got ${scale})`;
  if (scale !== 1 && name !== 'large') return `scale applies to the large seed only (got seed ${name}, scale ${scale})`;
  return undefined;
}

/**
 * `scale` N (large only): N times the integrations, flows, jobs, errors and connections; 1 is the pinned
 * store. `historyDays` (large only, default 1): days of run history, so more jobs on the same flows.
 */
export function seedStore(name: SeedName, clock: Clock, scale = 1, historyDays = 1): Store {
  const problem = scaleProblem(name, scale);
  if (problem) throw new Error(problem);
  if (!Number.isInteger(historyDays) || historyDays < 1 || historyDays > MAX_LARGE_HISTORY_DAYS) throw new Error(`history days must be a whole number from 1 to ${MAX_LARGE_HISTORY_DAYS} (got ${historyDays})`);
  if (historyDays !== 1 && name !== 'large') throw new Error(`history days apply to the large seed only (got seed ${name})`);
  const store = new Store(clock, name, hash32(`celigo-emulator:${name}`), scale);
  if (name === 'demo') seedDemo(store);
  else if (name === 'sandbox') seedSandbox(store);
  else if (name === 'large') seedLarge(store, scale, historyDays);
  else seedEmpty(store);
  return store;
}
