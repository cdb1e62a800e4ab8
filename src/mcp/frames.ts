// Limits every transport applies to an inbound JSON-RPC message before the SDK sees it.

/** No MCP message nests this deep; deeper ones only exhaust the stack of recursive validators. */
export const MAX_JSON_DEPTH = 128;

/** Whether `value` nests arrays/objects deeper than `max` (iterative, so it cannot overflow itself). */
export function tooDeep(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (!v || typeof v !== 'object') continue;
    if (d > max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child && typeof child === 'object') stack.push([child, d + 1]);
  }
  return false;
}

/** The id to answer a message with: its own when usable (a string or a finite number), otherwise null. */
export function usableId(msg: unknown): string | number | null {
  if (!msg || typeof msg !== 'object' || Array.isArray(msg)) return null;
  const id = (msg as { id?: unknown }).id;
  return typeof id === 'string' || (typeof id === 'number' && Number.isFinite(id)) ? id : null;
}

/** A request (method and usable id) whose params are too deep gets -32602 for its id; anything else -32600. */
export function tooDeepError(msg: unknown): { id: string | number | null; code: number; message: string } {
  const id = usableId(msg);
  const isRequest = id !== null && typeof (msg as { method?: unknown }).method === 'string';
  return isRequest
    ? { id, code: -32602, message: `Invalid params: the request nests deeper than ${MAX_JSON_DEPTH} levels.` }
    : { id, code: -32600, message: `Invalid Request: the message nests deeper than ${MAX_JSON_DEPTH} levels.` };
}
