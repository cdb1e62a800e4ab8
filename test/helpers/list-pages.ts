// Calling a list tool a page at a time over MCP, counting the requests one client method made meanwhile
// (the per-row reads a list must only make for the rows it shows).
import { vi } from 'vitest';
import type { connectInMemory } from './mcp.js';

export type Conn = Awaited<ReturnType<typeof connectInMemory>>;

export interface CountedPage {
  total: number;
  nextCursor?: string;
  rows: { id: string; openErrors?: number }[];
  /** Calls of the spied method during the call. */
  requests: number;
}

/** Calls `tool` with `args`, counting the calls of `target[method]` while it runs. */
export async function countedPage<T extends object>(conn: Conn, tool: string, args: Record<string, unknown>, target: T, method: keyof T & string): Promise<CountedPage> {
  const spy = vi.spyOn(target, method as never);
  try {
    const r = await conn.client.callTool({ name: tool, arguments: args }, { timeout: 120_000 });
    return { ...(r.structuredContent as Omit<CountedPage, 'requests'>), requests: spy.mock.calls.length };
  } finally {
    spy.mockRestore();
  }
}
