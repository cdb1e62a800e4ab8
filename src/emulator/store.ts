// The in-memory account: resources in Maps (insertion order = list order), jobs, errors, state, audit,
// plus hidden facts that drive behaviour (broken credentials, broken mappings, flow profiles).
import { type AuditEntry, AuditLog, diff } from './audit.js';
import type { FlowProfile, PatternKey } from './behaviour.js';
import { type Clock, iso } from './clock.js';
import { ErrorTable } from './flow-errors.js';
import { IdGen } from './ids.js';
import { JobTable } from './job-table.js';
import type { LookupCache } from './lookup-caches.js';

export const KINDS = ['integrations', 'flows', 'exports', 'imports', 'connections', 'tags'] as const;
export type Kind = (typeof KINDS)[number];

/** `resourceType` as written in audit entries. */
export const RESOURCE_TYPE: Record<Kind, string> = {
  integrations: 'integration', flows: 'flow', exports: 'export', imports: 'import', connections: 'connection', tags: 'tag',
};

export type Rec = Record<string, unknown> & { _id: string };

/** Kinds whose objects carry no createdAt/lastModified/lastModifiedBy (tags are `{_id, tag, tagId}`, §8). */
const UNSTAMPED: ReadonlySet<Kind> = new Set<Kind>(['tags']);

export interface Hidden {
  /** Connections whose stored credentials are wrong (ping answers 401; runs fail with an auth error). */
  badCredentials: Set<string>;
  /** Imports whose mapping is wrong: every run fails some records with this pattern until the mapping changes. */
  brokenMappings: Map<string, PatternKey>;
  /** Seeded behaviour of flows (volumes, durations, intermittent errors). */
  flowProfiles: Map<string, FlowProfile>;
  /** Connections DEMO_SCOPED_TOKEN may reach. */
  scopedConnections: Set<string>;
}

/** A deleted object kept in the recycle bin (celigo-api.md §1.10; key `${kind}/${id}`). */
export interface Recycled {
  kind: Kind;
  rec: Rec;
  deletedAt: number;
  by: string;
}

export interface WriteOpts {
  at?: number;
  source?: AuditEntry['source'];
  /** false: no audit entry (bulk seeding). */
  audit?: boolean;
}

export class Store {
  readonly ids: IdGen;
  readonly integrations = new Map<string, Rec>();
  readonly flows = new Map<string, Rec>();
  readonly exports = new Map<string, Rec>();
  readonly imports = new Map<string, Rec>();
  readonly connections = new Map<string, Rec>();
  readonly tags = new Map<string, Rec>();
  /** Scripts (hooks); read-only lists in the emulator (celigo-api.md §9.3). */
  readonly scripts = new Map<string, Rec>();
  readonly jobs = new JobTable();
  readonly errors = new ErrorTable(this.jobs);
  readonly audit = new AuditLog();
  readonly globalState = new Map<string, unknown>();
  /** `${resourceType}/${id}` -> key -> value */
  readonly scopedState = new Map<string, Map<string, unknown>>();
  readonly hidden: Hidden = {
    badCredentials: new Set(),
    brokenMappings: new Map(),
    flowProfiles: new Map(),
    scopedConnections: new Set(),
  };
  /** Deleted objects, restorable for 30 days (routes/recycle-bin.ts); never part of a seed. */
  readonly recycleBin = new Map<string, Recycled>();
  /** Lookup caches (routes/lookup-caches.ts): kept apart from the pinned collections of the seeds. */
  readonly lookupCaches = new Map<string, LookupCache>();
  /** Template downloads served under /__emulator/downloads/{token}. */
  readonly downloads = new Map<string, string>();
  /** While a seed replays history: flows' lastExecutedAt is collected here and written once at the end. */
  deferred?: Map<string, number>;

  constructor(
    readonly clock: Clock,
    readonly seedName: string,
    salt = 0x5eed,
    /** The seed's size factor (only the large seed takes one; 1 elsewhere). */
    readonly seedScale = 1,
  ) {
    this.ids = new IdGen(salt);
  }

  map(kind: Kind): Map<string, Rec> {
    return this[kind];
  }

  get(kind: Kind, id: string): Rec | undefined {
    return this[kind].get(id);
  }

  now(): number {
    return this.clock.now();
  }

  create(kind: Kind, body: Record<string, unknown>, by: string, opts: WriteOpts = {}): Rec {
    const at = opts.at ?? this.now();
    const { _id: _ignored, createdAt: _c, lastModified: _l, lastModifiedBy: _b, ...rest } = body;
    const rec: Rec = UNSTAMPED.has(kind)
      ? { _id: this.ids.objectId(), ...rest }
      : { _id: this.ids.objectId(), ...rest, createdAt: iso(at), lastModified: iso(at), lastModifiedBy: by };
    this[kind].set(rec._id, rec);
    if (opts.audit !== false) this.recordAudit(kind, rec._id, 'create', by, at, diff(undefined, rec), opts.source);
    return rec;
  }

  /** Stores `next` as the whole new version (full replace), keeping `_id` and `createdAt`. */
  replace(kind: Kind, id: string, next: Record<string, unknown>, by: string, opts: WriteOpts = {}): Rec {
    const prev = this[kind].get(id);
    if (!prev) throw new Error(`replace: no ${kind} ${id}`);
    const at = opts.at ?? this.now();
    const { _id: _i, createdAt: _c, lastModified: _l, lastModifiedBy: _b, ...rest } = next;
    const rec: Rec = UNSTAMPED.has(kind) ? { _id: id, ...rest } : { _id: id, ...rest, createdAt: prev.createdAt, lastModified: iso(at), lastModifiedBy: by };
    this[kind].set(id, rec);
    if (opts.audit !== false) this.recordAudit(kind, id, 'update', by, at, diff(prev, rec), opts.source);
    return rec;
  }

  remove(kind: Kind, id: string, by: string, opts: WriteOpts = {}): boolean {
    const prev = this[kind].get(id);
    if (!prev) return false;
    this[kind].delete(id);
    this.scopedState.delete(`${kind}/${id}`);
    const at = opts.at ?? this.now();
    if (kind !== 'tags') this.recycleBin.set(`${kind}/${id}`, { kind, rec: prev, deletedAt: at, by });
    if (opts.audit !== false) this.recordAudit(kind, id, 'delete', by, at, [], opts.source);
    return true;
  }

  recordAudit(kind: Kind, id: string, action: AuditEntry['action'], by: string, at: number, fieldChanges: AuditEntry['fieldChanges'], source: AuditEntry['source'] = 'api'): void {
    this.audit.add({ _id: this.ids.objectId(), resourceType: RESOURCE_TYPE[kind], _resourceId: id, _byUserId: by, source, action, time: at, fieldChanges });
  }

  counts(): Record<string, number> {
    const e = this.errors.totals();
    let flowJobs = 0;
    for (const j of this.jobs.all) if (j.type === 'flow') flowJobs++;
    return {
      integrations: this.integrations.size,
      flows: this.flows.size,
      exports: this.exports.size,
      imports: this.imports.size,
      connections: this.connections.size,
      tags: this.tags.size,
      jobs: this.jobs.size,
      flowJobs,
      openErrors: e.open,
      resolvedErrors: e.resolved,
      auditEntries: this.audit.size,
    };
  }
}
