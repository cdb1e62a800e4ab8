// Protocol tests: an SDK Client against our server factory in memory, on both protocol revisions.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProtocolError } from '@modelcontextprotocol/client';
import { selectTools } from '../../src/operations/select.js';
import { mintConfirmToken } from '../../src/mcp/confirm.js';
import { ERAS, SECRET, connectInMemory, fixtureTools, seen, textOf } from '../helpers/mcp.js';

type Conn = Awaited<ReturnType<typeof connectInMemory>>;

describe.each(ERAS)('protocol over memory, %s revision', (era) => {
  let conn: Conn | undefined;
  afterEach(async () => {
    await conn?.close();
    conn = undefined;
  });
  beforeEach(() => {
    seen.aborted = 0;
    seen.deleted = [];
    seen.started = 0;
  });

  it('negotiates the expected revision', async () => {
    conn = await connectInMemory({ era });
    const v = conn.client.getNegotiatedProtocolVersion();
    expect(v).toBe(era === 'modern' ? '2026-07-28' : '2025-11-25');
  });

  it('lists exactly the selected tools, read-only hints and a confirm argument only on mutating tools', async () => {
    const tools = selectTools(fixtureTools(), { readOnly: true, excludeTools: ['crashes'] });
    conn = await connectInMemory({ era, server: { tools } });
    const listed = (await conn.client.listTools()).tools;
    expect(listed.map((t) => t.name)).toEqual(tools.map((t) => t.name));
    expect(listed.map((t) => t.name)).not.toContain('delete_thing');
    for (const t of listed) {
      expect(t.annotations?.readOnlyHint).toBe(true);
      expect(Object.keys((t.inputSchema.properties ?? {}) as object)).not.toContain('confirm');
    }
    await conn.close();

    conn = await connectInMemory({ era });
    const all = (await conn.client.listTools()).tools;
    const del = all.find((t) => t.name === 'delete_thing')!;
    expect(Object.keys(del.inputSchema.properties ?? {})).toEqual(['id', 'confirm']);
    expect(all.find((t) => t.name === 'report')!.outputSchema).toBeDefined();
  });

  it('calls a tool', async () => {
    conn = await connectInMemory({ era });
    const r = await conn.client.callTool({ name: 'echo', arguments: { message: 'hi', times: 2 } });
    expect(r.isError).toBeFalsy();
    expect(textOf(r)).toBe('hihi');
  });

  it('returns structuredContent matching the output schema', async () => {
    conn = await connectInMemory({ era });
    const r = await conn.client.callTool({ name: 'report', arguments: {} });
    expect(r.structuredContent).toEqual({ total: 3, truncated: false });
  });

  it('answers bad arguments with an isError result naming the problem', async () => {
    conn = await connectInMemory({ era });
    const r = await conn.client.callTool({ name: 'echo', arguments: { message: 'x', times: 9 } });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toMatch(/times/);
  });

  it('answers an unknown tool with a JSON-RPC invalid-params error', async () => {
    conn = await connectInMemory({ era });
    const err = await conn.client.callTool({ name: 'no_such_tool', arguments: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).code).toBe(-32602);
    expect((err as Error).message).toMatch(/no_such_tool/);
  });

  it('turns a CeligoApiError into one isError line with the remedy', async () => {
    conn = await connectInMemory({ era });
    const r = await conn.client.callTool({ name: 'api_fails', arguments: {} });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toBe('Flow not found (HTTP 404 not_found on GET /v1/flows/abc). The id is wrong or belongs to another account or environment; list the flows to find valid ids (names work too).');
  });

  it('lists the candidates of a UsageError', async () => {
    conn = await connectInMemory({ era });
    const r = await conn.client.callTool({ name: 'usage_fails', arguments: {} });
    expect(r.isError).toBe(true);
    expect(textOf(r)).toBe('Several flows match "orders". Candidates: Orders A (f1), Orders B (f2).');
  });

  it('reports an unexpected error as one line, without stack or secret', async () => {
    conn = await connectInMemory({ era, server: { log: () => {} } });
    const r = await conn.client.callTool({ name: 'crashes', arguments: {} });
    expect(r.isError).toBe(true);
    const text = textOf(r);
    expect(text).toMatch(/^Internal error: boom/);
    expect(text).not.toContain(SECRET);
    expect(text).not.toMatch(/\n|at somewhere/);
  });

  it('sends progress notifications when the request has a progress token', async () => {
    conn = await connectInMemory({ era });
    const got: { progress: number; total?: number; message?: string }[] = [];
    const ac = new AbortController();
    const call = conn.client.callTool(
      { name: 'slow', arguments: { steps: 3 } },
      { signal: ac.signal, onprogress: (p) => {
        got.push(p);
        if (got.length === 3) ac.abort();
      } },
    );
    await expect(call).rejects.toThrow();
    expect(got.map((p) => p.progress)).toEqual([1, 2, 3]);
    expect(got[2]).toMatchObject({ total: 3, message: 'step 3' });
  });

  it('aborts ctx.signal when the client cancels', async () => {
    conn = await connectInMemory({ era });
    const ac = new AbortController();
    const call = conn.client.callTool({ name: 'slow', arguments: { steps: 1 } }, { signal: ac.signal, onprogress: () => ac.abort('stop') });
    await expect(call).rejects.toThrow();
    await expect.poll(() => seen.aborted, { timeout: 2000 }).toBe(1);
  });

  describe('confirmation', () => {
    it('proceeds when the person accepts the elicitation', async () => {
      conn = await connectInMemory({ era, elicit: { action: 'accept', content: { confirm: true } } });
      const r = await conn.client.callTool({ name: 'delete_thing', arguments: { id: 't1' } });
      expect(r.isError).toBeFalsy();
      expect(textOf(r)).toBe('deleted t1');
      expect(conn.asked).toHaveLength(1);
      expect(conn.asked[0]).toContain('Delete thing t1');
      expect(seen.deleted).toEqual(['t1']);
    });

    it('changes nothing when the person declines', async () => {
      conn = await connectInMemory({ era, elicit: { action: 'decline' } });
      const r = await conn.client.callTool({ name: 'delete_thing', arguments: { id: 't2' } });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/declined. Nothing was changed/);
      expect(seen.deleted).toEqual([]);
    });

    it('changes nothing when the person cancels', async () => {
      conn = await connectInMemory({ era, elicit: { action: 'cancel' } });
      const r = await conn.client.callTool({ name: 'delete_thing', arguments: { id: 't3' } });
      expect(r.isError).toBe(true);
      expect(seen.deleted).toEqual([]);
    });

    it('without elicitation: returns the plan and a token, and the token makes the second call proceed', async () => {
      conn = await connectInMemory({ era });
      const first = await conn.client.callTool({ name: 'delete_thing', arguments: { id: 't4' } });
      expect(first.isError).toBeFalsy();
      const text = textOf(first);
      expect(text).toMatch(/Confirmation required; nothing has been changed yet. Delete thing t4/);
      expect(text).toMatch(/- thing t4 \(3 parts\)/);
      const token = /confirm: "([^"]+)"/.exec(text)?.[1];
      expect(token).toBeTruthy();
      expect(text).toContain(`To proceed, call delete_thing again with the same arguments plus confirm: "${token}"`);
      expect(seen.deleted).toEqual([]);

      const second = await conn.client.callTool({ name: 'delete_thing', arguments: { id: 't4', confirm: token } });
      expect(textOf(second)).toBe('deleted t4');
      expect(seen.deleted).toEqual(['t4']);
    });

    it('refuses a token minted for another plan or another tool', async () => {
      conn = await connectInMemory({ era });
      const otherPlan = mintConfirmToken('delete_thing', 'd-other');
      const r1 = await conn.client.callTool({ name: 'delete_thing', arguments: { id: 't5', confirm: otherPlan } });
      expect(textOf(r1)).toMatch(/token given was expired, invalid, or for a different plan/);
      const otherTool = mintConfirmToken('echo', 'd-t5');
      const r2 = await conn.client.callTool({ name: 'delete_thing', arguments: { id: 't5', confirm: otherTool } });
      expect(textOf(r2)).toMatch(/Confirmation required/);
      expect(seen.deleted).toEqual([]);
    });

    it.runIf(era === 'modern')('asks again when the plan changed between the question and the answer', async () => {
      conn = await connectInMemory({ era, elicit: { action: 'accept', content: { confirm: true } } });
      const r = await conn.client.callTool({ name: 'shifting_plan', arguments: {} });
      expect(textOf(r)).toBe('applied v2');
      expect(conn.asked.map((m) => m.split('\n')[0])).toEqual(['Apply plan v1?', 'Apply plan v2?']);
    });

    it('a valid token skips the question even when the client could elicit', async () => {
      conn = await connectInMemory({ era, elicit: { action: 'decline' } });
      const token = mintConfirmToken('delete_thing', 'd-t6');
      const r = await conn.client.callTool({ name: 'delete_thing', arguments: { id: 't6', confirm: token } });
      expect(textOf(r)).toBe('deleted t6');
      expect(conn.asked).toHaveLength(0);
    });
  });
});
