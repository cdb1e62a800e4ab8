// Settings that can change while the emulator runs (POST /__emulator/config, POST /__emulator/forms).
import type { EmulatorForms, FormId } from '../core/forms.js';

export interface RuntimeConfig {
  /** Default `limit` of Link-paged lists (celigo-api.md §1.7: default 1000). */
  pageSize: number;
  /** Most rows one GET /jobs answers (§1.7, §11: 1000 or 1001). */
  jobsPageSize: number;
  /** Errors per page before `nextPageURL` (§7.2). */
  errorsPageSize: number;
  /** Default page size of the audit log (see routes/audit.ts). */
  auditPageSize: number;
  /** Status of an empty list: 204 with no body (§1.4) or 200 with []. */
  emptyListStatus: 200 | 204;
  /**
   * Uncertain rows of celigo-api.md answered in their other form (core/forms.ts), so that the client's
   * tolerance of both forms and `doctor`'s detection are tested. Empty: every row in its expected form.
   */
  forms: EmulatorForms;
}

export const DEFAULT_CONFIG: RuntimeConfig = {
  pageSize: 1000,
  jobsPageSize: 1000,
  errorsPageSize: 1000,
  auditPageSize: 100,
  emptyListStatus: 204,
  forms: {},
};

/** Whether the emulator answers row `id` in its other form. */
export function otherForm(config: RuntimeConfig, id: FormId): boolean {
  return config.forms[id] === 'other';
}
