import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
const t = new StdioClientTransport({ command: 'node', args: ['/work/main/bin/celigo-manage.js', 'mcp', ...process.argv.slice(2)], env: { ...process.env }, stderr: 'ignore' });
const c = new Client({ name: 'probe', version: '1' });
await c.connect(t);
const r = await c.listTools();
for (const tl of r.tools) {
  console.log(`## ${tl.name} (${Buffer.byteLength(JSON.stringify(tl))}, out ${tl.outputSchema ? JSON.stringify(tl.outputSchema).length : 0}): ${tl.description}`);
  for (const [k, v] of Object.entries(tl.inputSchema.properties ?? {})) console.log(`   ${k}${(tl.inputSchema.required??[]).includes(k)?'*':''}: ${v.type ?? ''}${v.enum ? ' [' + v.enum.join('|') + ']' : ''}${v.minimum!==undefined?` min${v.minimum}`:''}${v.maximum!==undefined?` max${v.maximum}`:''} — ${v.description ?? '(none)'}`);
}
await c.close();
