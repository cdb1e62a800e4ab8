// Launched by replicas.test.ts (through vite-node): one replica of `celigo-manage mcp --http` in a process
// of its own, configured by its environment (account, CELIGO_MANAGE_DATABASE_URL), until stdin closes.
import { runMcp } from '../../src/mcp/main.js';

const mcp = await runMcp({ http: true, port: 0, env: process.env });
process.stdin.resume();
process.stdin.on('end', () => void mcp.close());
await mcp.closed;
process.exit(0);
