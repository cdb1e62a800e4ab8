// The real catalogue through the MCP layer (skipped until src/tools/index.ts exports catalogue()).
import { describe, expect, it } from 'vitest';
import type { ToolDef } from '../../src/operations/tool.js';
import { ERAS, connectInMemory } from '../helpers/mcp.js';
import { hintsWithDefaults, wireAnnotations } from '../../src/mcp/register.js';

const mod = (await import('../../src/operations/catalogue.js').catch(() => undefined)) as { catalogue?: () => ToolDef[] } | undefined;
const catalogue = typeof mod?.catalogue === 'function' ? mod.catalogue() : undefined;

describe.skipIf(!catalogue)('the production catalogue over MCP', () => {
  it.each(ERAS)('lists every tool with valid names, hints meaning the catalogue hints and no top-level anyOf/oneOf (%s)', async (era) => {
    const conn = await connectInMemory({ era, server: { tools: catalogue! } });
    try {
      const listed = (await conn.client.listTools()).tools;
      expect(listed.map((t) => t.name)).toEqual(catalogue!.map((t) => t.name));
      for (const t of listed) {
        expect(t.name).toMatch(/^[a-z0-9_]{1,40}$/);
        // Hints equal to the spec's defaults are left out; with the defaults filled in, they are the catalogue's.
        const a = hintsWithDefaults(t.annotations);
        const own = catalogue!.find((c) => c.name === t.name)!.annotations;
        expect(a, t.name).toEqual(own.readOnlyHint ? { ...own, destructiveHint: false, idempotentHint: true } : own);
        expect(t.annotations ?? {}, t.name).toEqual(wireAnnotations(own));
        expect(t.inputSchema.type).toBe('object');
        expect(t.inputSchema).not.toHaveProperty('anyOf');
        expect(t.inputSchema).not.toHaveProperty('oneOf');
        // Destructive tools always take a confirm token; additive ones only on a production profile.
        if (a.destructiveHint && !a.readOnlyHint) expect(Object.keys(t.inputSchema.properties ?? {}), t.name).toContain('confirm');
      }
    } finally {
      await conn.close();
    }
  });

  it('on a production profile every mutating tool takes a confirm token', async () => {
    const conn = await connectInMemory({ era: 'legacy', server: { tools: catalogue!, production: true } });
    try {
      for (const t of (await conn.client.listTools()).tools) {
        if (!t.annotations?.readOnlyHint) expect(Object.keys(t.inputSchema.properties ?? {}), t.name).toContain('confirm');
      }
    } finally {
      await conn.close();
    }
  });
});
