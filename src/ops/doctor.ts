// `celigo-manage doctor`: checks, on the user's own account, each API fact that celigo-api.md marks
// uncertain (core/forms.ts), with the smallest reads that tell. Nothing is written: the front end opens a
// read-only session, and every probe is a GET or a POST that only reads. The report holds shapes only
// (key names, types, status codes), so it can be attached to a bug report.
import { describeError } from '../core/errors.js';
import { proxyFor, proxyShown } from '../core/proxy-env.js';
import { DEFAULT_FORMS, FORM_ROWS, type ApiForms, type FormId } from '../core/forms.js';
import type { OpContext } from './context.js';
import { findFacts, probes, type ProbeEnv, type ProbeVerdict } from './doctor-probes.js';

export interface DoctorRow {
  id: FormId;
  title: string;
  expected: string;
  other: string;
  result: ProbeVerdict;
  detail: string;
  observed: Record<string, unknown>;
}

export interface DoctorReport {
  format: 'celigo-manage-doctor';
  version: 1;
  checkedAt: string;
  /** The API host, e.g. api.integrator.io (which region); never a token or an account id. */
  host: string;
  /** The proxy the requests went through (HTTPS_PROXY / HTTP_PROXY), by scheme, host and port only. */
  proxy?: string;
  rows: DoctorRow[];
  counts: Record<ProbeVerdict, number>;
  /** The forms the client should use on this account (DEFAULT_FORMS where nothing differs). */
  forms: ApiForms;
  requests: number;
  summary: string;
}

export async function runDoctor(ctx: OpContext): Promise<DoctorReport> {
  const api = ctx.api;
  const now = ctx.now?.() ?? new Date();
  const before = api.http.stats.requests;
  const env: ProbeEnv = { api, since: new Date(now.getTime() - 7 * 86_400_000).toISOString(), signal: ctx.signal, facts: {}, headers: new Set() };
  await findFacts(env).catch(() => undefined);
  const table = probes();
  // Run in this order: jobs-without-type finds a flow with errors for errors-next-page, and every
  // answer's headers are seen before rate-limit-headers looks at them.
  const order: FormId[] = ['jobs-without-type', ...FORM_ROWS.map((r) => r.id).filter((id) => id !== 'jobs-without-type' && id !== 'rate-limit-headers'), 'rate-limit-headers'];
  const rows: DoctorRow[] = [];
  let forms: ApiForms = { ...DEFAULT_FORMS };
  for (const [i, id] of order.entries()) {
    ctx.signal?.throwIfAborted();
    const row = FORM_ROWS.find((r) => r.id === id)!;
    await ctx.progress?.({ done: i, total: order.length, message: row.title });
    try {
      const out = await table[id](env);
      rows.push({ ...row, result: out.result, detail: out.detail, observed: out.observed });
      if (out.learn) forms = { ...forms, ...out.learn };
    } catch (err) {
      if (ctx.signal?.aborted) throw err;
      rows.push({ ...row, result: 'could not tell', detail: `the read failed: ${describeError(err).slice(0, 200)}`, observed: {} });
    }
  }
  rows.sort((a, b) => FORM_ROWS.findIndex((r) => r.id === a.id) - FORM_ROWS.findIndex((r) => r.id === b.id));
  const counts: Record<ProbeVerdict, number> = { holds: 0, differs: 0, 'could not tell': 0 };
  for (const r of rows) counts[r.result]++;
  const learned = (Object.keys(forms) as (keyof ApiForms)[]).filter((k) => forms[k] !== DEFAULT_FORMS[k]);
  const proxy = proxyFor(new URL(api.http.baseUrl));
  const summary =
    `${rows.length} checks: ${counts.holds} hold, ${counts.differs} differ, ${counts['could not tell']} could not tell.` +
    (learned.length ? ` From now on the client uses ${learned.map((k) => `${k}=${forms[k]}`).join(', ')} on this account.` : '');
  return {
    format: 'celigo-manage-doctor',
    version: 1,
    checkedAt: now.toISOString(),
    host: new URL(api.http.baseUrl).host,
    ...(proxy ? { proxy: proxyShown(proxy) } : {}),
    rows,
    counts,
    forms,
    requests: api.http.stats.requests - before,
    summary,
  };
}
