// MCP over stdio: stdout carries only protocol frames; everything else goes to stderr.
import type { Transport, McpServer } from '@modelcontextprotocol/server';

export interface StdioHandle {
  close(): Promise<void>;
  /** Resolves when the client closed its end (stdin reached end-of-file). */
  closed: Promise<void>;
}

export async function startStdio(
  factory: () => McpServer,
  opts: { log?: (line: string) => void; transport?: Transport } = {},
): Promise<StdioHandle> {
  const { serveStdio } = await import('@modelcontextprotocol/server/stdio');
  const handle = serveStdio(factory, {
    ...(opts.transport ? { transport: opts.transport } : {}),
    onerror: (err) => opts.log?.(`stdio: ${err.message}`),
  });
  const closed = new Promise<void>((resolve) => {
    if (opts.transport) return; // the caller owns a custom transport's lifetime
    process.stdin.once('end', () => resolve());
    process.stdin.once('close', () => resolve());
  });
  return { close: () => handle.close(), closed };
}
