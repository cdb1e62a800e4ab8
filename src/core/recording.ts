// `--record FILE`: every request and answer of a run, reduced to its shape so that it can be shared
// without sharing data. Loaded only when a recording is asked for (HttpOptions.onExchange).
//
// The file is JSON lines: a header line, then one line per finished attempt (RecordedExchange).
// Values become type markers (shape.ts); ids become placeholders (<id:1>, <id:2>, …), one per distinct
// id, the same in paths, query, bodies and Link URLs. Query values are kept only for parameters that
// carry vocabulary, not data (type, status, limit, field lists, booleans) and for dates: a date says when
// the command looked, not what is in the account, and replaying it keeps the time window of the run.
import { closeSync, openSync, writeSync } from 'node:fs';
import type { HttpExchange } from './http.js';
import { CONNECTION_TYPES, EXPORT_ADAPTORS, IMPORT_ADAPTORS, JOB_TYPES } from './schemas.js';
import { isDateString, shapeOf, type JsonPath, type Shape } from './shape.js';

export const RECORDING_FORMAT = 'celigo-manage-recording';
export const RECORDING_VERSION = 1;

export interface RecordingHeader {
  format: typeof RECORDING_FORMAT;
  version: number;
  /** When the recording began (a replay starts the emulator's clock there, so kept query dates still fit). */
  startedAt?: string;
  /** The celigo-manage version that wrote it. */
  recordedWith?: string;
}

export interface RecordedExchange {
  /** 1, 2, … in the order the answers arrived. */
  n: number;
  /** Milliseconds from the start of the recording to the answer (a replay moves the emulator's clock alike). */
  ms?: number;
  method: string;
  /** Below the API base, ids as placeholders: /flows/<id:1>/<id:2>/errors. */
  path: string;
  /** Kept values, placeholders or type markers; repeated parameters as arrays. */
  query?: Record<string, string | string[]>;
  requestBody?: Shape;
  /** Where placeholders sit in the request body (to rebuild it for a replay). */
  requestIds?: [JsonPath, string][];
  status: number;
  /** link (redacted like the path), retry-after, content-type. Never authorization or cookies. */
  headers?: Record<string, string>;
  /** Absent when the answer had no body. */
  body?: Shape;
  /** The answer's `nextPageURL`, redacted like a Link URL (a replay follows the emulator's own instead). */
  next?: string;
  /** For each placeholder in the answer, the first place it occurs (a replay binds it from there). */
  ids?: Record<string, JsonPath>;
  /** What the placeholders first seen (or first understood) here name: flows, jobs, steps, errors, … */
  kinds?: Record<string, string>;
}

/** Literal path segments of the API (celigo-api.md Appendix B); any other segment is an id or a name. */
const LITERAL_SEGMENTS = new Set(
  (
    'apis application ashares assign asynchelpers audit cancel clone connections connectors create current data debug ' +
    'dependencies descendants diagnostics distributed ediTransactions ediprofiles environments errorFile errors export ' +
    'exports filedefinitions files flows getData httpconnectors iclients import imports installBase integrations invite ' +
    'invoke joberrors jobs lastExportDateTime latest licenses logs lookupcaches map mcpServers metadata mirror multiple ' +
    'notifications pages ping preview published purge recycleBinTTL register replaceConnection resolved retry revisions ' +
    'run runs scripts signedURL stacks state stats tags template templates test tiles tokenInfo tools update'
  ).split(' '),
);

/** Collections whose items are addressed by id (an id after them names one of them). */
const COLLECTIONS = new Set([
  'integrations', 'flows', 'exports', 'imports', 'connections', 'jobs', 'tags', 'scripts', 'ashares', 'lookupcaches',
  'iclients', 'templates', 'connectors', 'httpconnectors', 'licenses', 'debug',
]);

const OBJECT_ID = /^[0-9a-f]{24}$/i;
/** State keys celigo-manage itself writes (celigo-manage.integration-tags): vocabulary, not data. */
const OWN_STATE_KEY = /^celigo-manage\.[\w.-]{1,60}$/;
/** Keys whose string values are ids: _id, id, _flowId, _flowJobId, errorId, errorIds, retryDataKey(s), _flowId_in. */
const ID_KEY = /^(?:_id|id|_\w*Ids?|\w+Ids?|retryDataKeys?|_\w+Id_in)$/;
const ID_LIKE = /^[\w.:-]{1,100}$/;

const KIND_BY_NAME: Record<string, string> = {
  flow: 'flows', integration: 'integrations', export: 'exports', import: 'imports', connection: 'connections',
  job: 'jobs', flowJob: 'jobs', bulkJob: 'jobs', parentJob: 'jobs', expOrImp: 'steps', step: 'steps', user: 'users',
  byUser: 'users', tag: 'tags', error: 'errors', script: 'scripts',
};

/** What an id under this key names (`_flowId` → flows), given the collection the answer is about. */
function kindOfKey(key: string | undefined, parentKey: string | undefined, collection: string | undefined): string {
  if (!key) return 'unknown';
  if (key === '_id') return collection ?? 'unknown';
  if (key === 'id') return parentKey && COLLECTIONS.has(parentKey) ? parentKey : (collection ?? 'unknown');
  if (/^retryDataKeys?$/.test(key)) return 'retryDataKeys';
  const m = /^_?(\w+?)Ids?(?:_in)?$/.exec(key);
  return (m && KIND_BY_NAME[m[1]]) ?? 'unknown';
}

/** Safe query parameters: their values are vocabulary (kept when they look like it). */
const ENUM_PARAMS = new Set(['type', 'status', 'include', 'exclude', 'fields', 'sort', 'resourceType', 'action', 'source', 'sandbox', 'classification', 'adaptorType']);
const COUNT_PARAMS = new Set(['limit', 'skip', 'page', 'pageSize', 'offset']);
const DATE_PARAM = /(?:At|Date|date|time|Time|_time)(?:_(?:gte?|lte?))?$|^time_(?:gte?|lte?)$/;
const ENUM_VALUE = /^[\w.,:$ -]{0,100}$/;

/** Literal values kept in request bodies: fixed vocabularies only, never data. */
const BODY_VOCABULARY: Record<string, ReadonlySet<string>> = {
  op: new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']),
  type: new Set<string>([...CONNECTION_TYPES, ...JOB_TYPES, 'export', 'import']),
  adaptorType: new Set<string>([...EXPORT_ADAPTORS, ...IMPORT_ADAPTORS]),
};
/** A JSON-Patch path made of plain field names (/name, /pageProcessors/0/responseMapping). */
const PATCH_PATH = /^(?:\/(?:[A-Za-z_$][\w$]*|\d+|-))+$/;

/** Turns exchanges into their redacted form, keeping one placeholder per distinct id across the run. */
export class Redactor {
  private readonly placeholders = new Map<string, string>();
  private readonly kindOf = new Map<string, string>();
  private changedKinds: Record<string, string> = {};
  private readonly basePath: string;
  private readonly origin: string;

  constructor(baseUrl: string) {
    const u = new URL(baseUrl);
    this.origin = u.origin;
    this.basePath = u.pathname.replace(/\/+$/, '');
  }

  /** The placeholder of an id (a new one the first time it is seen). */
  placeholder(value: string, kind = 'unknown'): string {
    let p = this.placeholders.get(value);
    if (!p) {
      p = `<id:${this.placeholders.size + 1}>`;
      this.placeholders.set(value, p);
    }
    const known = this.kindOf.get(p);
    if (known === undefined || (known === 'unknown' && kind !== 'unknown')) {
      this.kindOf.set(p, kind);
      this.changedKinds[p] = kind;
    }
    return p;
  }

  /** A path below the API base with every non-literal segment as a placeholder. */
  path(pathname: string): string {
    const below = pathname.startsWith(this.basePath + '/') || pathname === this.basePath ? pathname.slice(this.basePath.length) : pathname;
    const raw = below.split('/').filter(Boolean).map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });
    const out = raw.map((seg, i) => {
      const prev = raw[i - 1];
      if (prev === 'state' ? OWN_STATE_KEY.test(seg) : LITERAL_SEGMENTS.has(seg)) return seg;
      let kind = 'unknown';
      if (prev === 'state') kind = 'stateKeys';
      else if (prev && COLLECTIONS.has(prev)) kind = prev;
      else if (i === 2 && raw[0] === 'flows') kind = 'steps';
      return this.placeholder(seg, kind);
    });
    return '/' + out.join('/');
  }

  /** Query parameters: vocabulary, counts, booleans and dates kept; ids as placeholders; the rest as markers. */
  query(params: URLSearchParams): Record<string, string | string[]> | undefined {
    const out: Record<string, string | string[]> = {};
    for (const [k, v] of params) {
      const base = k.replace(/\[\d*\]$/, '');
      let value: string;
      if (OBJECT_ID.test(v) || (ID_KEY.test(base) && ID_LIKE.test(v))) value = this.placeholder(v, kindOfKey(base, undefined, undefined));
      else if (ENUM_PARAMS.has(base.replace(/_in$/, '')) && ENUM_VALUE.test(v)) value = v;
      else if (COUNT_PARAMS.has(base) && /^\d{1,7}$/.test(v)) value = v;
      else if (v === 'true' || v === 'false') value = v;
      else if (DATE_PARAM.test(base) && (isDateString(v) || /^\d{10,13}$/.test(v))) value = v;
      else if (/^-?\d+(?:\.\d+)?$/.test(v)) value = '<number>';
      else value = isDateString(v) ? '<date>' : '<string>';
      const key = OBJECT_ID.test(k) ? this.placeholder(k) : k;
      const prev = out[key];
      out[key] = prev === undefined ? value : Array.isArray(prev) ? [...prev, value] : [prev, value];
    }
    return Object.keys(out).length ? out : undefined;
  }

  /** A Link header with each URL reduced to its redacted path and query (other hosts: <other-host>). */
  link(header: string, requestUrl: string): string {
    return header.replace(/<([^>]*)>/g, (_, target: string) => `<${this.url(target, requestUrl)}>`);
  }

  /** A URL (absolute, or relative to the request) as its redacted path and query. */
  url(target: string, requestUrl: string): string {
    let u: URL;
    try {
      u = new URL(target, requestUrl);
    } catch {
      return 'invalid-url';
    }
    if (u.origin !== this.origin) return 'other-host';
    return requestTarget({ path: this.path(u.pathname), query: this.query(u.searchParams) });
  }

  /** The shape of a body, with ids as placeholders; `onId` hears where each placeholder sits. */
  body(value: unknown, collection: string | undefined, onId: (path: JsonPath, placeholder: string) => void, literals = false): Shape {
    const patch = literals && Array.isArray(value) && value.length > 0 && value.every((e) => e && typeof e === 'object' && typeof (e as { op?: unknown }).op === 'string');
    return shapeOf(value, {
      string: (v, path, key, parentKey) => {
        if (OBJECT_ID.test(v) || (key !== undefined && ID_KEY.test(key) && ID_LIKE.test(v))) {
          const p = this.placeholder(v, kindOfKey(key, parentKey, collection));
          onId(path, p);
          return p;
        }
        if (literals && key !== undefined && BODY_VOCABULARY[key]?.has(v)) return v;
        if (patch && key === 'path' && path.length === 2 && PATCH_PATH.test(v)) return v;
        return undefined;
      },
      key: (k) => (OBJECT_ID.test(k) ? this.placeholder(k) : k),
    });
  }

  exchange(x: HttpExchange, n: number, ms?: number): RecordedExchange {
    this.changedKinds = {};
    const url = new URL(x.url);
    const path = this.path(url.pathname);
    const collection = [...path.split('/')].reverse().find((s) => COLLECTIONS.has(s));
    const rec: RecordedExchange = { n, ...(ms !== undefined ? { ms } : {}), method: x.method, path, status: x.status };
    const query = this.query(url.searchParams);
    if (query) rec.query = query;
    if (x.requestBody !== undefined && x.requestBody !== '') {
      const ids: [JsonPath, string][] = [];
      rec.requestBody = this.body(parseJson(x.requestBody), collection, (p, ph) => ids.push([p, ph]), true);
      if (ids.length) rec.requestIds = ids;
    }
    const headers: Record<string, string> = {};
    const link = x.headers.get('link');
    if (link) headers.link = this.link(link, x.url);
    const retryAfter = x.headers.get('retry-after');
    if (retryAfter && /^[\w ,:.+-]{1,40}$/.test(retryAfter)) headers['retry-after'] = retryAfter;
    const type = x.headers.get('content-type');
    if (type && /^[\w./+-]+(?:\s*;\s*charset=[\w-]+)?$/i.test(type)) headers['content-type'] = type;
    if (Object.keys(headers).length) rec.headers = headers;
    if (x.responseText !== '') {
      const ids: Record<string, JsonPath> = {};
      const parsed = parseJson(x.responseText);
      rec.body = parsed === NOT_JSON ? '<text>' : this.body(parsed, collection, (p, ph) => void (ids[ph] ??= p));
      if (Object.keys(ids).length) rec.ids = ids;
      const next = parsed && typeof parsed === 'object' ? (parsed as { nextPageURL?: unknown }).nextPageURL : undefined;
      if (typeof next === 'string' && next) rec.next = this.url(next, x.url);
    }
    if (Object.keys(this.changedKinds).length) rec.kinds = this.changedKinds;
    return rec;
  }
}

/** A recorded request as one string, the form Link targets and `next` take: /flows?skip=100&limit=100. */
export function requestTarget(x: Pick<RecordedExchange, 'path' | 'query'>): string {
  const q = x.query ?? {};
  const qs = Object.entries(q).flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((one) => `${k}=${one}`)).join('&');
  return x.path + (qs ? `?${qs}` : '');
}

const NOT_JSON = Symbol('not json');
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

export interface RecorderOptions {
  file: string;
  baseUrl: string;
  /** Strings that must never reach the file (the API token); replaced by <secret> if they ever would. */
  secrets?: string[];
  recordedWith?: string;
}

/**
 * Writes a recording as it happens (one line per exchange, so a server that is killed still leaves a
 * usable file). The file is created with mode 0600 and replaced if it exists.
 */
export class Recorder {
  private fd: number | undefined;
  private n = 0;
  private readonly started = Date.now();
  private readonly redactor: Redactor;
  private readonly secrets: string[];

  constructor(opts: RecorderOptions) {
    this.redactor = new Redactor(opts.baseUrl);
    this.secrets = (opts.secrets ?? []).filter((s) => s && s.length >= 8);
    this.fd = openSync(opts.file, 'w', 0o600);
    const header: RecordingHeader = {
      format: RECORDING_FORMAT,
      version: RECORDING_VERSION,
      startedAt: new Date(this.started).toISOString(),
      ...(opts.recordedWith ? { recordedWith: opts.recordedWith } : {}),
    };
    this.write(header);
  }

  readonly onExchange = (x: HttpExchange): void => {
    if (this.fd === undefined) return;
    this.write(this.redactor.exchange(x, ++this.n, Date.now() - this.started));
  };

  get count(): number {
    return this.n;
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  private write(value: unknown): void {
    let line = JSON.stringify(value);
    for (const s of this.secrets) if (line.includes(s)) line = line.split(s).join('<secret>');
    writeSync(this.fd!, line + '\n');
  }
}

/** A recording of a run that made no API call: the header alone. */
export function writeEmptyRecording(file: string): void {
  new Recorder({ file, baseUrl: 'http://localhost/v1' }).close();
}

/** Reads a recording (JSON lines, header first). Throws with the line number on anything else. */
export function parseRecording(text: string): { header: RecordingHeader; exchanges: RecordedExchange[] } {
  const lines = text.split('\n').map((l) => l.trim());
  let header: RecordingHeader | undefined;
  const exchanges: RecordedExchange[] = [];
  lines.forEach((line, i) => {
    if (!line) return;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      throw new Error(`line ${i + 1} is not JSON`);
    }
    if (!header) {
      const h = v as Partial<RecordingHeader>;
      if (!h || h.format !== RECORDING_FORMAT) throw new Error(`not a celigo-manage recording (line ${i + 1} should be the header with "format": "${RECORDING_FORMAT}")`);
      if (typeof h.version !== 'number' || h.version > RECORDING_VERSION) throw new Error(`recording version ${String(h.version)} is newer than this celigo-manage understands (${RECORDING_VERSION})`);
      header = h as RecordingHeader;
      return;
    }
    const x = v as Partial<RecordedExchange>;
    if (!x || typeof x.method !== 'string' || typeof x.path !== 'string' || typeof x.status !== 'number') throw new Error(`line ${i + 1} is not an exchange (method, path and status are required)`);
    exchanges.push(x as RecordedExchange);
  });
  if (!header) throw new Error('the recording is empty');
  return { header, exchanges };
}
