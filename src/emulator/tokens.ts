// API tokens the emulator accepts. They are fixed so demos, docs and tests can name them.

export const DEMO_TOKEN = 'de300000000000000000000000000001';
export const DEMO_SCOPED_TOKEN = 'de300000000000000000000000000002';

/** The owner of DEMO_TOKEN; also `lastModifiedBy` of everything the demo seed creates through "the API". */
export const DEMO_USER_ID = '65f1c0de00000000000000a1';
/** The owner of DEMO_SCOPED_TOKEN. */
export const SCOPED_USER_ID = '65f1c0de00000000000000a2';
/** A colleague who made changes in the UI (seeded audit entries, resolved errors). */
export const OPS_USER_ID = '65f1c0de00000000000000a3';

/** The people of the demo account, as Celigo names them in audit entries (`byUser`) and account shares. */
export const USERS: Record<string, { name: string; email: string }> = {
  [DEMO_USER_ID]: { name: 'Dana Whitfield', email: 'dana.whitfield@acme.example' },
  [SCOPED_USER_ID]: { name: 'Integration Bot', email: 'integration-bot@acme.example' },
  [OPS_USER_ID]: { name: 'Priya Natarajan', email: 'priya.natarajan@acme.example' },
};

export interface Caller {
  userId: string;
  /** `*` is full access; `custom` may reach only the seed's scoped connections and their exports/imports. */
  scope: '*' | 'custom';
}

const TOKENS = new Map<string, Caller>([
  [DEMO_TOKEN, { userId: DEMO_USER_ID, scope: '*' }],
  [DEMO_SCOPED_TOKEN, { userId: SCOPED_USER_ID, scope: 'custom' }],
]);

export function callerForToken(token: string): Caller | undefined {
  return TOKENS.get(token);
}

/** Parses `Authorization: Bearer <token>`; anything else yields undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : undefined;
}
