// Builds a fresh store for a seed name.
import type { Clock } from '../clock.js';
import { hash32 } from '../rng.js';
import { Store } from '../store.js';
import { seedDemo } from './demo.js';
import { seedEmpty } from './empty.js';
import { seedLarge } from './large.js';

export type SeedName = 'demo' | 'empty' | 'large';
export const SEED_NAMES: readonly SeedName[] = ['demo', 'empty', 'large'];

export function seedStore(name: SeedName, clock: Clock): Store {
  const store = new Store(clock, name, hash32(`celigo-emulator:${name}`));
  if (name === 'demo') seedDemo(store);
  else if (name === 'large') seedLarge(store);
  else seedEmpty(store);
  return store;
}
