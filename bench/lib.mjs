// Small helpers shared by the benchmarks. Benchmarks print numbers; they never fail on a time.
import { performance } from 'node:perf_hooks';

export function quantile(sorted, q) {
  if (!sorted.length) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.round(q * (sorted.length - 1))));
  return sorted[i];
}

export function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  return { n: s.length, median: quantile(s, 0.5), p95: quantile(s, 0.95), p99: quantile(s, 0.99), min: s[0], max: s[s.length - 1] };
}

export async function time(fn) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

export const fmt = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : String(n));

/**
 * The emulator in its own process, so that its CPU does not compete with the code being measured
 * (two cores here). Controlled through /__emulator/*. `scale` sizes the large seed (1 to 20).
 */
export async function spawnEmulator({ seed = 'demo', rateLimit = 'off', scale = 1, historyDays = 1 } = {}) {
  const { spawn } = await import('node:child_process');
  const script = new URL('./emulator-process.mjs', import.meta.url).pathname;
  const child = spawn(process.execPath, [script, seed, rateLimit, String(scale), String(historyDays)], { stdio: ['ignore', 'pipe', 'inherit'] });
  // Never leave the child behind, whatever happens to the benchmark (and no listener left once it is closed).
  const killChild = () => child.kill();
  process.once('exit', killChild);
  const url = await new Promise((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d) => {
      buf += d;
      const m = /^URL (\S+)$/m.exec(buf);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`emulator exited ${code}`)));
  });
  const control = async (method, path, body) => {
    const r = await fetch(url + '/__emulator' + path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
    return r.status === 204 ? undefined : r.json();
  };
  return {
    url,
    baseUrl: url + '/v1',
    /** The emulator's process id (its memory: /proc/<pid>/status). */
    pid: child.pid,
    setFaults: (f) => control('POST', '/faults', f),
    requestLog: () => control('GET', '/requests'),
    clearRequestLog: () => control('DELETE', '/requests'),
    now: async () => (await control('GET', '/clock')).now,
    close: () => new Promise((resolve) => {
      process.off('exit', killChild);
      child.once('exit', resolve);
      child.kill();
    }),
  };
}
