// A server that withholds tools (read-only, --toolsets, the default's opt-in tools) still confirms by
// elicitation on both revisions: the answer to a withheld tool must not disturb the SDK's own handling of
// request state and input-required rounds (the first wrapper ran it twice and broke 2026-07-28 rounds).
import { describe, expect, it } from 'vitest';
import { ERAS, connectInMemory, fixtureTools, textOf } from '../helpers/mcp.js';

describe('withheld tools and confirmation rounds', () => {
  it.each(ERAS)('a destructive call is confirmed by elicitation (%s) while a withheld tool answers why', async (era) => {
    const tools = fixtureTools();
    const conn = await connectInMemory({
      era,
      elicit: { action: 'accept', content: { confirm: true } },
      server: { tools, known: [...tools.map((t) => t.name), 'withheld_tool'], withheldReason: (n) => `${n} is not served here` },
    });
    try {
      const r = await conn.client.callTool({ name: 'delete_thing', arguments: { id: `w-${era}` } });
      expect(textOf(r)).toBe(`deleted w-${era}`);
      expect(conn.asked).toHaveLength(1);
      const w = await conn.client.callTool({ name: 'withheld_tool', arguments: {} });
      expect(w.isError).toBe(true);
      expect(textOf(w)).toBe('withheld_tool is not served here');
    } finally {
      await conn.close();
    }
  });
});
