// What a handler returns, and the error every failure throws. Every error goes out in the envelope
// `{"errors":[{code,message,field?}]}` (celigo-api.md §1.5; §11 best guess for 401/403/404 bodies).

export interface ErrorEntry {
  code: string;
  message: string;
  field?: string;
}

export interface Reply {
  status: number;
  /** JSON body; undefined means no body. */
  body?: unknown;
  /** Plain-text body (state API answers `OK` / `Created`). */
  text?: string;
  headers?: Record<string, string>;
  /** Mask secret keys while serialising (default true for JSON bodies). */
  mask?: boolean;
}

export class ApiError extends Error {
  readonly entries: ErrorEntry[];
  constructor(
    readonly status: number,
    codeOrEntries: string | ErrorEntry[],
    message?: string,
    field?: string,
    readonly headers?: Record<string, string>,
  ) {
    const entries = typeof codeOrEntries === 'string'
      ? [{ code: codeOrEntries, message: message ?? codeOrEntries, ...(field ? { field } : {}) }]
      : codeOrEntries;
    super(entries.map((e) => e.message).join('; '));
    this.entries = entries;
  }
  reply(): Reply {
    return { status: this.status, body: { errors: this.entries }, headers: this.headers, mask: false };
  }
}

export const ok = (body: unknown, status = 200): Reply => ({ status, body });
export const noContent = (): Reply => ({ status: 204 });
export const text = (status: number, t: string): Reply => ({ status, text: t });

export function notFound(what = 'Resource'): ApiError {
  return new ApiError(404, 'not_found', `${what} not found.`);
}
