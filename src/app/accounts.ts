// Other accounts of a session, by profile name (issue 16: a promotion reads one account and writes
// another). Each is opened once, through its own profile and token, and closed with the session. In
// --demo there are two: "demo" (the session's own) and "sandbox", a second emulator seeded with the demo
// company's sandbox account.
import { CeligoClient } from '../core/client.js';
import { UsageError } from '../core/errors.js';
import type { RateGate } from '../core/rate-gate.js';
import { resolveProfile } from '../config/profiles.js';

/** An account as an operation uses it: its client, and what decides confirmations and redaction. */
export interface Account {
  api: CeligoClient;
  /** The profile name ("demo", "sandbox" in --demo). */
  label: string;
  production: boolean;
  /** Values no output may show: its token. */
  secrets: string[];
}

export interface AccountsOptions {
  self: Account;
  demo?: { emulator: Record<string, unknown>; readOnly: boolean; maxWaitMs?: number };
  env: NodeJS.ProcessEnv;
  readOnly: boolean;
  maxWaitMs?: number;
  /** The rate gate of an account by base URL and token (app/rate-gates.ts); undefined: none. */
  rateGate?: (baseUrl: string, token: string) => RateGate | undefined;
}

/** The demo's second account. */
export const DEMO_SANDBOX = 'sandbox';

export function accountsOf(o: AccountsOptions): { account(name: string): Promise<Account>; close(): Promise<void> } {
  const open = new Map<string, Promise<Account>>();
  const closers: (() => Promise<void>)[] = [];
  const openDemo = async (name: string): Promise<Account> => {
    if (name !== DEMO_SANDBOX) throw new UsageError(`With --demo the accounts are "${o.self.label}" and "${DEMO_SANDBOX}"; got "${name}".`);
    const { startEmulator, DEMO_TOKEN } = await import('../emulator/index.js');
    const emu = await startEmulator({ port: 0, quiet: true, listen: false, ...o.demo!.emulator, seed: 'sandbox' });
    closers.push(() => emu.close());
    const api = new CeligoClient({ baseUrl: emu.baseUrl, token: DEMO_TOKEN, readOnly: o.demo!.readOnly, fetch: emu.fetch, maxWaitMs: o.demo!.maxWaitMs, rateGate: o.rateGate?.(emu.baseUrl, DEMO_TOKEN) });
    return { api, label: DEMO_SANDBOX, production: false, secrets: [DEMO_TOKEN] };
  };
  const openProfile = async (name: string): Promise<Account> => {
    const p = resolveProfile({ profile: name, env: o.env });
    const api = new CeligoClient({ baseUrl: p.baseUrl, token: p.token, readOnly: o.readOnly, forms: p.forms, maxWaitMs: o.maxWaitMs, rateGate: o.rateGate?.(p.baseUrl, p.token) });
    return { api, label: p.name, production: p.production, secrets: [p.token] };
  };
  return {
    account(name) {
      const n = name.trim();
      if (!n) throw new UsageError('Name the profile of the account (e.g. "sandbox", "production").');
      if (n === o.self.label) return Promise.resolve(o.self);
      let a = open.get(n);
      if (!a) open.set(n, (a = o.demo ? openDemo(n) : openProfile(n)));
      return a;
    },
    async close() {
      await Promise.all(closers.map((c) => c().catch(() => {})));
    },
  };
}
