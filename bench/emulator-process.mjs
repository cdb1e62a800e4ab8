// Child process for benchmarks: an emulator with a seed; prints "URL <url>" when ready.
import { startEmulator } from '../dist/emulator/index.js';

const [seed = 'demo', rl = 'off', scale = '1', historyDays = '1'] = process.argv.slice(2);
const rateLimit = rl === 'off' ? false : { capacity: Number(rl.split(',')[0]), refillPerSec: Number(rl.split(',')[1]) };
const emu = await startEmulator({ port: 0, seed, scale: Number(scale), historyDays: Number(historyDays), rateLimit, quiet: true });
process.stdout.write(`URL ${emu.url}\n`);
process.on('SIGTERM', () => emu.close().then(() => process.exit(0)));
