// `celigo-manage doctor`: a read-only check of the account's API against the facts celigo-api.md marks
// uncertain, a shapes-only JSON report to attach to a bug report, and the forms the client should use.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { UsageError } from '../../core/errors.js';
import type { NounSpec } from '../spec.js';
import { opt } from '../spec.js';
import { optStr } from './common.js';

export const doctor: NounSpec = {
  name: 'doctor',
  command: {
    name: 'doctor',
    summary: 'Check, read-only, how your account\'s API answers where the API reference is uncertain',
    options: [opt('--report <file>', 'Where to write the JSON report (default: <home>/doctor/<time>.json)')],
    details:
      'Every check is a read (GET, or a POST that only reads) on a read-only client: nothing is changed. ' +
      'Each row says whether the account holds to what celigo-manage expects, differs, or could not tell. ' +
      'The report holds key names, types and status codes only: no values, records or tokens. ' +
      'Where the account uses the other form of a request (array filters, list paging), the profile remembers it and every later command uses it.',
    examples: ['doctor', '--demo doctor --json summary,counts', 'doctor --report celigo-doctor.json'],
    async run(rc) {
      const file = optStr(rc, 'report');
      if (file !== undefined && (file.trim() === '' || file.startsWith('-'))) throw new UsageError('--report needs a file name (e.g. --report celigo-doctor.json).');
      rc.global.readOnly = true; // the session's client refuses anything that is not a read
      const ctx = await rc.ctx();
      const { runDoctor } = await import('../../ops/doctor.js');
      const report = await runDoctor(ctx);
      const path = file ?? join(rc.home(), 'doctor', `${report.checkedAt.replace(/[:.]/g, '-')}.json`);
      try {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, JSON.stringify(report, null, 2) + '\n');
      } catch (err) {
        throw new UsageError(`Cannot write the report to ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`);
      }
      let remembered = '';
      if (!rc.global.demo) {
        const { resolveProfile, rememberForms } = await import('../../config/profiles.js');
        const p = resolveProfile({ profile: rc.global.profile, env: rc.io.env });
        rememberForms(p.name, p.baseUrl, report.forms, rc.io.env);
        remembered = ` (kept in profile "${p.name}")`;
      }
      rc.out.object({ ...report, reportFile: path } as unknown as Record<string, unknown>, {
        human: (c) => {
          const mark = { holds: c.green('holds'), differs: c.yellow('differs'), 'could not tell': c.dim('could not tell') } as const;
          const rows = report.rows.map((r) => ({ check: r.title, result: mark[r.result], detail: r.detail }));
          return [
            c.bold(`API checks on ${report.host}`) + c.dim(`${report.proxy ? ` through the proxy ${report.proxy}` : ''} (${report.requests} reads, nothing changed)`),
            rc.out.table(rows, ['check', 'result', 'detail']),
            '',
            report.summary.replace(/\.$/, '') + (report.summary.includes('uses') ? remembered : '') + '.',
            c.dim(`Report (shapes only, no data): ${path}`),
          ].join('\n');
        },
      });
      return 0;
    },
  },
};
