// MCP over stdio: stdout carries only protocol frames; everything else goes to stderr.
// stdin passes through guardStdin first, so a malformed line gets a JSON-RPC error instead of silence.
import type { Transport, McpServer } from '@modelcontextprotocol/server';

export interface StdioHandle {
  close(): Promise<void>;
  /** Resolves when the client closed its end (stdin reached end-of-file). */
  closed: Promise<void>;
}

/** A log line from an error whose message may be a multi-line dump (zod issues). */
export function oneLine(message: string, max = 300): string {
  const flat = message.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

export async function startStdio(
  factory: () => McpServer,
  opts: { log?: (line: string) => void; transport?: Transport } = {},
): Promise<StdioHandle> {
  const { serveStdio, StdioServerTransport } = await import('@modelcontextprotocol/server/stdio');
  let transport = opts.transport;
  let unguard = () => {};
  if (!transport) {
    const { guardStdin } = await import('./stdio-guard.js');
    const guarded = guardStdin({ reply: (frame) => void process.stdout.write(frame), log: opts.log });
    process.stdin.pipe(guarded);
    unguard = () => {
      process.stdin.unpipe(guarded);
      process.stdin.pause();
    };
    transport = new StdioServerTransport(guarded, process.stdout);
  }
  const handle = serveStdio(factory, {
    transport,
    onerror: (err) => opts.log?.(`stdio: ${oneLine(err.message)}`),
  });
  const closed = new Promise<void>((resolve) => {
    if (opts.transport) return; // the caller owns a custom transport's lifetime
    process.stdin.once('end', () => resolve());
    process.stdin.once('close', () => resolve());
  });
  return {
    close: async () => {
      await handle.close();
      unguard();
    },
    closed,
  };
}
