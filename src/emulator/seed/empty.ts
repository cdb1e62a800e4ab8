// The empty account: no resources, no history. Tokens still work.
import type { Store } from '../store.js';

export function seedEmpty(_store: Store): void {
  // Nothing to create.
}
