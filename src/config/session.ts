// Opens a client for a front end: against a profile, or (--demo) against an in-process emulator.
import { CeligoClient } from '../core/client.js';
import { resolveProfile } from './profiles.js';

export interface SessionOptions {
  demo?: boolean;
  profile?: string;
  readOnly?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Emulator options for --demo (tests use a manual clock or a seed). */
  emulator?: Record<string, unknown>;
}

export interface Session {
  api: CeligoClient;
  close(): Promise<void>;
  /** "demo" or the profile name. */
  label: string;
  production: boolean;
  /** Base URL of the in-process emulator in demo mode. */
  emulatorUrl?: string;
}

export function isReadOnlyEnv(env: NodeJS.ProcessEnv): boolean {
  const v = env.CELIGO_MANAGE_READ_ONLY;
  return !!v && !/^(0|false|no|off)$/i.test(v);
}

export async function openSession(opts: SessionOptions = {}): Promise<Session> {
  const env = opts.env ?? process.env;
  const readOnly = opts.readOnly ?? isReadOnlyEnv(env);
  if (opts.demo) {
    const { startEmulator, DEMO_TOKEN } = await import('../emulator/index.js');
    // No socket: the client calls the emulator in process (a one-shot command then pays for neither a
    // listening server nor HTTP parsing). Tests that need a real port pass emulator: { listen: true }.
    const emu = await startEmulator({ port: 0, seed: 'demo', quiet: true, listen: false, ...(opts.emulator ?? {}) });
    const api = new CeligoClient({ baseUrl: emu.baseUrl, token: DEMO_TOKEN, readOnly, fetch: emu.fetch });
    return { api, close: () => emu.close(), label: 'demo', production: false, emulatorUrl: emu.baseUrl };
  }
  const p = resolveProfile({ profile: opts.profile, env });
  const api = new CeligoClient({ baseUrl: p.baseUrl, token: p.token, readOnly });
  return { api, close: async () => {}, label: p.name, production: p.production };
}
