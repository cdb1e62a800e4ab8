// Malformed (and some valid) JSON-RPC frames for the stdio and HTTP frame fuzzers. A frame is built
// from a fresh id, so the test knows which requests must be answered.
import fc from 'fast-check';

export interface Frame {
  /** The bytes to send (for stdio, without the trailing newline). */
  body: string | Buffer;
  /** An id the server must answer (a well-formed request carrying a usable id). */
  expects?: string | number;
  kind: string;
}

type Make = (id: number) => Frame;

const json = (kind: string, msg: unknown, expect = false): Make => (id) => {
  const withId = JSON.parse(JSON.stringify(msg).replace(/"__ID__"/g, String(id))) as unknown;
  return { kind, body: JSON.stringify(withId), ...(expect ? { expects: id } : {}) };
};

const req = (method: string, params?: unknown) => ({ jsonrpc: '2.0', id: '__ID__', method, ...(params !== undefined ? { params } : {}) });

const valid: fc.Arbitrary<Make> = fc.oneof(
  fc.constant(json('ping', req('ping'), true)),
  fc.constant(json('tools/list', req('tools/list'), true)),
  fc.constant(json('prompts/list', req('prompts/list'), true)),
  fc.constant(json('unknown method', req('no/such/method'), true)),
  fc.constant(json('resources/list', req('resources/list'), true)),
  fc.constant(json('call list_tags', req('tools/call', { name: 'list_tags', arguments: {} }), true)),
  fc.constant(json('call unknown tool', req('tools/call', { name: 'no_such_tool', arguments: {} }), true)),
  fc
    .tuple(fc.constantFrom('get_flow', 'get_integration', 'list_jobs', 'list_backups', 'diff_backup'), fc.jsonValue({ maxDepth: 2 }))
    .map(([name, args]) => json(`call ${name} junk`, req('tools/call', { name, arguments: args }), true)),
);

const broken: fc.Arbitrary<Make> = fc.oneof(
  // not JSON
  fc.constantFrom('{', '{nope', '{"jsonrpc":', '}{', 'undefined', "{'jsonrpc':'2.0'}", '{"jsonrpc":"2.0","id":1,"method":"ping"', 'NaN', '\u00ff\u00fe').map(
    (s): Make => () => ({ kind: 'not json', body: s }),
  ),
  fc.string({ unit: 'binary', maxLength: 60 }).filter((s) => !s.includes('\n')).map((s): Make => () => ({ kind: 'random text', body: s })),
  fc.uint8Array({ maxLength: 200 }).map((b): Make => () => ({ kind: 'binary junk', body: Buffer.from(b.filter((x) => x !== 10)) })),
  // wrong version, wrong types
  fc.constantFrom('1.0', '2', 2, null, undefined, '2.0 ').map((v): Make => json('wrong jsonrpc version', { jsonrpc: v, id: '__ID__', method: 'tools/list' })),
  fc.constantFrom<unknown>({}, [], true, null, 1.5e300, -0.5, { a: 1 }).map((id): Make => () => ({ kind: 'bad id', body: JSON.stringify({ jsonrpc: '2.0', id, method: 'ping' }) })),
  fc.constantFrom<unknown>(42, null, [], {}, true).map((m): Make => json('bad method', { jsonrpc: '2.0', id: '__ID__', method: m })),
  fc.constantFrom<unknown>('x', [1, 2], 5, true).map((p): Make => json('bad params', { jsonrpc: '2.0', id: '__ID__', method: 'tools/list', params: p })),
  fc.constant(json('bad progressToken', req('tools/call', { name: 'list_tags', arguments: {}, _meta: { progressToken: { a: 1 } } }))),
  fc.constant(json('tools/call without name', req('tools/call', { arguments: {} }))),
  fc.constant(json('tools/call arguments array', req('tools/call', { name: 'list_tags', arguments: [1] }))),
  fc.constant(json('initialize again, bad params', req('initialize', {}))),
  fc.constant(json('response to nothing', { jsonrpc: '2.0', id: '__ID__', result: {} })),
  fc.constant(json('error to nothing', { jsonrpc: '2.0', id: '__ID__', error: { code: 1, message: 'x' } })),
  // no id: a notification, which gets no answer
  fc.constantFrom('tools/list', 'ping', 'notifications/cancelled', 'notifications/unknown').map((m): Make => json('missing id', { jsonrpc: '2.0', method: m })),
  // batches (MCP has none)
  fc.constant<Make>((id) => ({ kind: 'batch', body: JSON.stringify([{ jsonrpc: '2.0', id, method: 'ping' }, { jsonrpc: '2.0', id: id + 0.5, method: 'tools/list' }]) })),
  fc.constantFrom('[]', '[1,2,3]', '[[]]', '[{}]').map((s): Make => () => ({ kind: 'junk batch', body: s })),
  // non-objects
  fc.constantFrom('null', '5', '"str"', 'true', '[null]').map((s): Make => () => ({ kind: 'not an object', body: s })),
  // prototype pollution
  fc.constant<Make>((id) => ({ kind: '__proto__', body: `{"__proto__":{"polluted":"yes"},"jsonrpc":"2.0","id":${id},"method":"ping"}`, expects: id })),
  fc.constant<Make>((id) => ({
    kind: '__proto__ in arguments',
    body: `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"list_tags","arguments":{"__proto__":{"polluted":"yes"}}}}`,
    expects: id,
  })),
  // big and deep
  fc.constantFrom(10_000, 100_000).map((n): Make => () => ({ kind: 'deep nesting', body: '['.repeat(n) + ']'.repeat(n) })),
  fc.constantFrom(1_000, 50_000).map((n): Make => (id) => ({
    kind: 'deep arguments',
    body: `{"jsonrpc":"2.0","id":${id},"method":"tools/call","params":{"name":"list_tags","arguments":{"a":${'['.repeat(n)}${']'.repeat(n)}}}}`,
    expects: id,
  })),
  fc.constantFrom(100_000, 1_000_000).map((n): Make => (id) => ({ kind: 'large frame', body: JSON.stringify({ jsonrpc: '2.0', id, method: 'ping', params: { pad: 'x'.repeat(n) } }), expects: id })),
);

export const frameMaker: fc.Arbitrary<Make> = fc.oneof({ weight: 2, arbitrary: valid }, { weight: 5, arbitrary: broken });

/** A JSON-RPC error object as the spec wants it. */
export function isRpcError(e: unknown): e is { code: number; message: string } {
  const o = e as { code?: unknown; message?: unknown } | null;
  return !!o && Number.isInteger(o.code) && typeof o.message === 'string' && o.message.trim().length > 0;
}
