// scratch: not committed
import { spawn } from 'node:child_process';
import { spawnEmulator } from './lib.mjs';
const CHILD = new URL('./latency-child.mjs', import.meta.url).pathname;
const scales = (process.env.SCALES ?? '1,10').split(',').map(Number);
const ops = (process.env.OPS ?? 'health').split(',');
const modes = (process.env.MODES ?? 'sliced').split(',');
for (const scale of scales) {
  const emu = await spawnEmulator({ seed: 'large', scale });
  const now = await emu.now();
  for (const op of ops) for (const mode of modes) {
    const out = await new Promise((res) => {
      const c = spawn(process.execPath, ['--expose-gc', ...(process.env.FLAGS ?? '').split(' ').filter(Boolean), CHILD, JSON.stringify({ baseUrl: emu.baseUrl, now, mode, op })], { stdio: ['ignore', 'pipe', 'inherit'] });
      let o = ''; c.stdout.on('data', (d) => (o += d)); c.on('exit', () => (process.env.DUMP && console.error(o), 0) || res(o.trim().split('\n').at(-1)));
    });
    const r = JSON.parse(out);
    console.log(`x${scale} ${op} ${mode} wall ${(r.wallMs/1000).toFixed(2)}s RT ${r.critical} req ${r.requests} rss ${r.rssMb.toFixed(0)} MB live ${r.liveMb?.toFixed(0)} ${r.summary}`);
  }
  await emu.close();
}
