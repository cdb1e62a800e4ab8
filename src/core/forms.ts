// The API facts that celigo-api.md marks uncertain, each with the form we expect (from Celigo's own web
// app, the corrections section) and the other form seen in older sources. The client reads both forms
// wherever it can; where it must choose what to send (array filters) or how to page (Link headers),
// it follows `ApiForms`, which `celigo-manage doctor` learns from a real account and the profile keeps.
// The emulator answers in either form (POST /__emulator/forms), so both are tested.

export interface FormRow {
  /** Stable id, used in the profile, the doctor report and the emulator switch. */
  id: FormId;
  /** What the row is about, for the doctor table. */
  title: string;
  /** The form we expect, and the evidence. */
  expected: string;
  /** The other form: what `doctor` reports as "differs" and the emulator can switch to. */
  other: string;
}

export const FORM_IDS = [
  'array-filters',
  'resolved-key',
  'audit-entries',
  'audit-paging',
  'dependencies',
  'jobs-without-type',
  'jobs-current',
  'link-paging',
  'empty-list',
  'rate-limit-headers',
  'errors-next-page',
  'unauthorized-body',
  'recycle-bin',
  'job-error-file',
  'lookup-cache-data',
  'run-stats',
] as const;
export type FormId = (typeof FORM_IDS)[number];

export const FORM_ROWS: readonly FormRow[] = [
  { id: 'array-filters', title: 'Multi-value filters (type_in, _flowId_in)', expected: 'bracket arrays type_in[0]=a&type_in[1]=b (W1)', other: 'bracket keys ignored; repeated type_in=a&type_in=b' },
  { id: 'resolved-key', title: 'Resolved errors list key', expected: '{resolved:[…]} (W3)', other: '{errors:[…]}' },
  { id: 'audit-entries', title: 'Audit log entry fields', expected: 'event, byUser {_id,name,email} (W4)', other: 'action, _byUserId' },
  { id: 'audit-paging', title: 'Audit log paging', expected: 'Link header rel="next" (W4)', other: 'one answer, no Link header' },
  { id: 'dependencies', title: 'Dependencies entries', expected: '{<type>s:[{id,name}]} (W7)', other: '{<type>s:[{_id,name}]}' },
  { id: 'jobs-without-type', title: 'GET /jobs without type', expected: 'flow jobs and their export/import children (W14)', other: 'parent jobs only' },
  { id: 'jobs-current', title: 'POST /jobs/current answer', expected: '{jobs:[…], nextPageURL?} (W8)', other: 'a bare array' },
  { id: 'link-paging', title: 'Link header on a list cut by limit', expected: 'Link rel="next" (§1.7)', other: 'no Link header; page with skip' },
  { id: 'empty-list', title: 'Empty list status', expected: '204 with no body (§1.4)', other: '200 with []' },
  { id: 'rate-limit-headers', title: 'Rate-limit headers', expected: 'Retry-After only, on 429 (§1.6)', other: 'X-RateLimit-* headers' },
  { id: 'errors-next-page', title: 'Flow-step errors nextPageURL', expected: 'a /v1/… path (§1.7)', other: 'an absolute URL' },
  { id: 'unauthorized-body', title: 'Body of a 401', expected: '{errors:[{code,message}]} (§1.5)', other: 'not the errors envelope' },
  { id: 'recycle-bin', title: 'Recycle bin (GET /recycleBinTTL)', expected: 'a list of deleted objects; POST …/{type}/{id} restores (§1.10, TCHOW)', other: 'not answered (404): restores re-create from backups' },
  { id: 'job-error-file', title: 'Job error file', expected: 'GET /jobs/{id}/errorFile/signedURL -> {signedURL} (§6.1, IAD)', other: 'not answered (404)' },
  { id: 'lookup-cache-data', title: 'Lookup cache getData answer', expected: '{data:[{key,value}]} (§4.5)', other: 'a bare array of {key,value}' },
  {
    id: 'run-stats',
    title: 'Account run statistics (POST /flows/runs/stats)',
    expected: '{stats:[…]}, one row per flow: numRuns, numSuccess, numError, numOpenError, lastExecutedAt (W16)',
    other: 'one row per run (or not answered)',
  },
];

/** What the client does where the forms differ in what it must send or how it pages. */
export interface ApiForms {
  /** How multi-value filters are sent: bracket arrays (W1, the default) or repeated keys. */
  arrayFilters: 'brackets' | 'repeat';
  /** How Link-paged lists are read: follow Link (default), or page with explicit limit/skip. */
  listPaging: 'link' | 'skip';
}

export const DEFAULT_FORMS: ApiForms = { arrayFilters: 'brackets', listPaging: 'link' };

/** Which rows the emulator answers in their other form (POST /__emulator/forms). */
export type EmulatorForms = Partial<Record<FormId, 'expected' | 'other'>>;
