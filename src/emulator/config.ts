// Settings that can change while the emulator runs (POST /__emulator/config).

export interface RuntimeConfig {
  /** Default `limit` of Link-paged lists (celigo-api.md §1.7: default 1000). */
  pageSize: number;
  /** Most rows one GET /jobs answers (§1.7, §11: 1000 or 1001). */
  jobsPageSize: number;
  /** Errors per page before `nextPageURL` (§7.2). */
  errorsPageSize: number;
  /** Status of an empty list: 204 with no body (§1.4) or 200 with []. */
  emptyListStatus: 200 | 204;
}

export const DEFAULT_CONFIG: RuntimeConfig = {
  pageSize: 1000,
  jobsPageSize: 1000,
  errorsPageSize: 1000,
  emptyListStatus: 204,
};
