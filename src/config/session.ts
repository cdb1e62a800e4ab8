// Opens a client for a front end: against a profile, or (--demo) against an in-process emulator.
import { CeligoClient } from '../core/client.js';
import type { HttpOptions } from '../core/http.js';
import { resolveProfile } from './profiles.js';
import { readOnlyFromEnv } from './env-flags.js';

export interface SessionOptions {
  demo?: boolean;
  profile?: string;
  readOnly?: boolean;
  env?: NodeJS.ProcessEnv;
  /** Emulator options for --demo (tests use a manual clock or a seed). */
  emulator?: Record<string, unknown>;
  /** Write every API exchange of the session, redacted, to this file (core/recording.ts). */
  record?: string;
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


export async function openSession(opts: SessionOptions = {}): Promise<Session> {
  const env = opts.env ?? process.env;
  const readOnly = opts.readOnly ?? readOnlyFromEnv(env);
  if (opts.demo) {
    const { startEmulator, DEMO_TOKEN } = await import('../emulator/index.js');
    // No socket: the client calls the emulator in process (a one-shot command then pays for neither a
    // listening server nor HTTP parsing). Tests that need a real port pass emulator: { listen: true }.
    const emu = await startEmulator({ port: 0, seed: 'demo', quiet: true, listen: false, ...(opts.emulator ?? {}) });
    const rec = await recorder(opts.record, emu.baseUrl, DEMO_TOKEN).catch(async (err: unknown) => {
      await emu.close();
      throw err;
    });
    const api = new CeligoClient({ baseUrl: emu.baseUrl, token: DEMO_TOKEN, readOnly, fetch: emu.fetch, onExchange: rec?.onExchange });
    return { api, close: () => (rec?.close(), emu.close()), label: 'demo', production: false, emulatorUrl: emu.baseUrl };
  }
  const p = resolveProfile({ profile: opts.profile, env });
  const rec = await recorder(opts.record, p.baseUrl, p.token);
  const api = new CeligoClient({ baseUrl: p.baseUrl, token: p.token, readOnly, onExchange: rec?.onExchange, forms: p.forms });
  return { api, close: async () => rec?.close(), label: p.name, production: p.production };
}

/** The recorder for --record, loaded only when one is asked for. */
async function recorder(file: string | undefined, baseUrl: string, token: string): Promise<{ onExchange: NonNullable<HttpOptions['onExchange']>; close(): void } | undefined> {
  if (!file) return undefined;
  const [{ Recorder }, { UsageError }] = await Promise.all([import('../core/recording.js'), import('../core/errors.js')]);
  try {
    return new Recorder({ file, baseUrl, secrets: [token] });
  } catch (err) {
    throw new UsageError(`Cannot write the recording to ${file}: ${(err as Error).message.replace(/^\w+: /, '')}`);
  }
}
