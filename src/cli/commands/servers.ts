// Long-running commands: the MCP server and the emulator. They own their output (stdout is the MCP
// protocol on stdio), and stop cleanly on Ctrl-C.
import type { NounSpec, RunContext } from '../spec.js';
import type { CheckRecordingResult } from '../../emulator/check-recording.js';
import { renderTable } from '../output.js';
import { opt } from '../spec.js';
import { optStr } from './common.js';
import { UsageError } from '../../core/errors.js';

function list(v: unknown): string[] | undefined {
  return typeof v === 'string' ? v.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
}

function port(v: unknown, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`Invalid port "${String(v)}": give 0-65535.`);
  return n;
}

export const mcp: NounSpec = {
  name: 'mcp',
  command: {
    name: 'mcp',
    server: true,
    summary: 'Run the MCP server for AI agents (stdio by default, or Streamable HTTP)',
    options: [
      opt('--http', 'Serve Streamable HTTP on /mcp instead of stdio'),
      opt('--port <port>', 'HTTP port (default 8765)'),
      opt('--host <host>', 'HTTP host (env CELIGO_MANAGE_HTTP_HOST; default 127.0.0.1)'),
      opt('--toolsets <list>', 'Only these toolsets, comma-separated (env CELIGO_MANAGE_TOOLSETS)'),
      opt('--tools <list>', 'Only these tools, comma-separated (env CELIGO_MANAGE_TOOLS)'),
      opt('--exclude-tools <list>', 'Never these tools (env CELIGO_MANAGE_EXCLUDE_TOOLS)'),
    ],
    details: 'Global flags that apply: --demo, --profile, --read-only (keeps only read-only tools and blocks every change), --record FILE.',
    examples: ['mcp --demo', 'mcp --read-only --toolsets integrations,flows,jobs', 'mcp --http --port 8765 --profile sandbox'],
    async run(rc) {
      const { runMcp } = await import('../../mcp/main.js');
      const server = await runMcp({
        http: !!rc.opts.http,
        port: rc.opts.port !== undefined ? port(rc.opts.port, 8765) : undefined,
        host: optStr(rc, 'host'),
        demo: !!rc.global.demo,
        profile: rc.global.profile,
        readOnly: rc.global.readOnly ? true : undefined,
        record: rc.global.record,
        toolsets: list(rc.opts.toolsets),
        tools: list(rc.opts.tools),
        excludeTools: list(rc.opts.excludeTools),
        signal: rc.signal,
        env: rc.io.env,
        log: (line) => void rc.io.stderr.write(`celigo-manage mcp: ${line}\n`),
      });
      // Serves until stdin closes (stdio), Ctrl-C, or the caller's signal.
      await server.closed;
      const code = 0;
      return typeof code === 'number' ? code : 0;
    },
  },
};

function printCheck(rc: RunContext, r: CheckRecordingResult, seed: string): void {
  const n = r.differences.length;
  rc.out.object(r as unknown as Record<string, unknown>, {
    human: (c) => {
      const skipped = r.skipped ? `; ${r.skipped} skipped: retried attempts, or pages past the end of the emulator's list` : '';
      const head = `Replayed ${r.replayed} of ${r.exchanges} recorded requests against a fresh emulator (seed ${seed}${skipped}): ` + (n ? c.red(`${n} difference${n === 1 ? '' : 's'}`) : c.green('0 differences'));
      const cols = ['endpoint', 'difference', 'count', 'first'];
      const headers = { count: 'times', first: 'first at' };
      const parts = [head];
      if (n) parts.push(renderTable(r.differences as unknown as Record<string, unknown>[], cols, c, rc.out.width, headers));
      if (r.notReplayed.length) {
        const m = r.notReplayed.reduce((a, d) => a + d.count, 0);
        parts.push(c.yellow(`Not replayed (${m}): ids that no earlier answer bound and no object of their kind could stand in for`), renderTable(r.notReplayed as unknown as Record<string, unknown>[], cols, c, rc.out.width, headers));
      }
      if (n) parts.push(c.dim('"recorded vs emulator"; missing = only in the recording, extra = only in the emulator\'s answer. "first at" is the exchange number (n) in the file.'));
      return parts.join('\n\n');
    },
  });
}

export const emulator: NounSpec = {
  name: 'emulator',
  command: {
    name: 'emulator',
    server: true,
    summary: 'Run the integrator.io emulator (a stateful fake API for tests and demos)',
    options: [
      opt('--port <port>', 'Port (default 7777; 0 picks a free one)'),
      opt('--host <host>', 'Host (default 127.0.0.1)'),
      opt('--seed <seed>', 'Data to start with: demo, large, empty, sandbox (the demo company\'s sandbox account; default demo)'),
      opt('--scale <n>', 'With --seed large: N times its integrations, flows, jobs, errors and connections, 1-20 (default 1)'),
      opt('--rate-limit <spec>', '"<capacity>,<refillPerSec>" leaky bucket, or "off" (default: like the real API)'),
      opt('--fault-rate <p>', 'Fraction of requests that fail with 5xx, 0-1'),
      opt('--latency-ms <ms>', 'Added latency per request'),
      opt('--check-recording <file>', 'Do not serve: replay a recording (made with --record) against a fresh emulator and list where its answers differ'),
    ],
    details:
      'With --check-recording FILE it serves nothing: it starts a fresh emulator (--seed, default demo; no rate limit unless --rate-limit is given), ' +
      'replays the recorded requests in order and lists each endpoint whose status or answer shape differs (missing key, extra key, type). ' +
      'Exit code 0 with "0 differences", 1 when there are differences.',
    examples: [
      'emulator',
      'emulator --port 7777 --seed large --latency-ms 20',
      'emulator --seed large --scale 10',
      'emulator --fault-rate 0.1 --rate-limit 100,100',
      'emulator --check-recording health.rec.jsonl',
    ],
    async run(rc) {
      const num = (k: string, what: string, min: number, max: number) => {
        const v = rc.opts[k];
        if (v === undefined) return undefined;
        const n = Number(v);
        if (!Number.isFinite(n) || n < min || n > max) throw new UsageError(`Invalid ${what} "${String(v)}": give a number from ${min} to ${max}.`);
        return n;
      };
      const rateLimit = optStr(rc, 'rateLimit');
      const recording = optStr(rc, 'checkRecording');
      if (recording !== undefined) {
        const { checkRecordingFile } = await import('../../emulator/check-recording.js');
        let result: Awaited<ReturnType<typeof checkRecordingFile>>;
        try {
          result = await checkRecordingFile(recording, {
            seed: optStr(rc, 'seed'),
            scale: optStr(rc, 'scale'),
            rateLimit,
            faultRate: num('faultRate', '--fault-rate', 0, 1),
            latencyMs: num('latencyMs', '--latency-ms', 0, 600_000),
          });
        } catch (err) {
          throw new UsageError((err as Error).message);
        }
        printCheck(rc, result, optStr(rc, 'seed') ?? 'demo');
        return result.differences.length ? 1 : 0;
      }
      const { runEmulatorCommand } = await import('../../emulator/index.js');
      let emu: Awaited<ReturnType<typeof runEmulatorCommand>>;
      try {
        emu = await runEmulatorCommand({
          port: rc.opts.port !== undefined ? port(rc.opts.port, 7777) : 7777,
          host: optStr(rc, 'host'),
          seed: optStr(rc, 'seed'),
          scale: optStr(rc, 'scale'),
          rateLimit,
          faultRate: num('faultRate', '--fault-rate', 0, 1),
          latencyMs: num('latencyMs', '--latency-ms', 0, 600_000),
        });
      } catch (err) {
        // Bad --seed, --scale or --rate-limit values come back as plain errors with a usable message.
        if (err instanceof Error && /^--/.test(err.message)) throw new UsageError(err.message);
        throw err;
      }
      // Serve until Ctrl-C (or the caller's signal), then close cleanly.
      await new Promise<void>((resolve) => {
        if (rc.signal.aborted) return resolve();
        rc.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      await emu.close();
      const code = 0;
      return typeof code === 'number' ? code : 0;
    },
  },
};
