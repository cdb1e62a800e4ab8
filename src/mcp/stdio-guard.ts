// Sits between stdin and the SDK's stdio transport. The transport drops a line that is not JSON, or not
// a JSON-RPC message, with no reply (a client waiting on that id hangs), and closes the whole connection
// when one line outgrows its 10 MB buffer. Here every such line gets the JSON-RPC error it deserves
// (-32700 parse error, -32600 invalid request) and the connection carries on; valid lines pass unchanged.
import { Transform, type TransformCallback } from 'node:stream';
import {
  isInitializeRequest,
  isJSONRPCErrorResponse,
  isJSONRPCNotification,
  isJSONRPCRequest,
  isJSONRPCResultResponse,
} from '@modelcontextprotocol/server';
import { tooDeep, tooDeepError, usableId } from './frames.js';

/** Below the SDK transport's own 10 MB limit, so it never sees a line it would close the connection on. */
export const DEFAULT_MAX_LINE_BYTES = 8 * 1024 * 1024;

export interface StdinGuardOptions {
  /** Writes one complete frame (a JSON line) to the client. */
  reply: (frame: string) => void;
  maxLineBytes?: number;
  log?: (line: string) => void;
}

type Id = string | number | null;

function errorFrame(id: Id, code: number, message: string): string {
  return JSON.stringify({ jsonrpc: '2.0', id, error: { code, message } }) + '\n';
}

const idOf = usableId;

function isMessage(msg: unknown): boolean {
  return isJSONRPCRequest(msg) || isJSONRPCNotification(msg) || isJSONRPCResultResponse(msg) || isJSONRPCErrorResponse(msg);
}

/** What is wrong with a parsed line, for the -32600 message. */
function problem(msg: unknown): string {
  if (Array.isArray(msg)) return msg.length ? 'JSON-RPC batches are not supported by MCP; send one message per line' : 'empty JSON-RPC batch';
  if (!msg || typeof msg !== 'object') return 'a JSON-RPC message must be a JSON object';
  const m = msg as Record<string, unknown>;
  if (m.jsonrpc !== '2.0') return 'jsonrpc must be "2.0"';
  if ('method' in m && typeof m.method !== 'string') return 'method must be a string';
  if ('id' in m && idOf(m) === null) return 'id must be a string or a number';
  if ('params' in m && (typeof m.params !== 'object' || m.params === null || Array.isArray(m.params))) return 'params must be an object';
  return 'not a valid JSON-RPC request, notification or response';
}

export function guardStdin(o: StdinGuardOptions): Transform {
  const max = o.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let discarding = false;
  let rejected = 0;

  const reject = (id: Id, code: number, message: string) => {
    rejected++;
    // One log line per bad frame, and only the first few: junk on stdin must not flood stderr.
    if (rejected <= 20) o.log?.(`stdio: answered a bad frame with ${code}: ${message}${rejected === 20 ? ' (further ones not logged)' : ''}`);
    o.reply(errorFrame(id, code, message));
  };

  const handleLine = (raw: Buffer, push: (chunk: Buffer) => void) => {
    const line = raw.toString('utf8').replace(/\r$/, '');
    if (!line.trim()) return;
    let msg: unknown;
    try {
      msg = JSON.parse(line);
    } catch {
      return reject(null, -32700, 'Parse error: the line is not valid JSON.');
    }
    if (tooDeep(msg)) {
      const e = tooDeepError(msg);
      return reject(e.id, e.code, e.message);
    }
    if (isMessage(msg)) {
      // The SDK answers a malformed initialize with -32603 and a zod dump; it is the caller's params.
      if ((msg as { method?: unknown }).method === 'initialize' && !isInitializeRequest(msg)) {
        return reject(idOf(msg), -32602, 'Invalid params: initialize needs protocolVersion (string), capabilities (object) and clientInfo {name, version}.');
      }
      return push(Buffer.from(line + '\n', 'utf8'));
    }
    reject(idOf(msg), -32600, `Invalid Request: ${problem(msg)}.`);
  };

  return new Transform({
    transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback) {
      const push = (b: Buffer) => void this.push(b);
      let start = 0;
      for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
        const part = chunk.subarray(start, nl);
        start = nl + 1;
        if (discarding) {
          discarding = false;
          reject(null, -32600, `Invalid Request: the message is larger than ${max} bytes.`);
          continue;
        }
        if (pendingBytes + part.length > max) {
          pending = [];
          pendingBytes = 0;
          reject(null, -32600, `Invalid Request: the message is larger than ${max} bytes.`);
          continue;
        }
        const line = pending.length ? Buffer.concat([...pending, part]) : part;
        pending = [];
        pendingBytes = 0;
        try {
          handleLine(line, push);
        } catch (err) {
          // Never let one line break the stream (and with it the connection).
          o.log?.(`stdio: could not check a frame: ${(err as Error).message}`);
          reject(null, -32600, 'Invalid Request: the message could not be read.');
        }
      }
      const rest = chunk.subarray(start);
      if (rest.length && !discarding) {
        if (pendingBytes + rest.length > max) {
          // Too long already: drop it and everything up to the next newline.
          pending = [];
          pendingBytes = 0;
          discarding = true;
        } else {
          pending.push(Buffer.from(rest));
          pendingBytes += rest.length;
        }
      }
      done();
    },
    flush(done: TransformCallback) {
      // A last line without its newline is not a complete message (the SDK would not read it either).
      pending = [];
      done();
    },
  });
}
