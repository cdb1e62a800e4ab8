// How flows behave when they run: error patterns (what the step errors look like on the wire) and the
// hidden per-flow profiles the seeds attach. Nothing here is ever sent as a field of a resource.

/**
 * Why an error happened. It decides whether a retry fixes it: `transient` always; `auth` once the step's
 * connection has new credentials; `offline` once the connection is back online; `mapping` once the import's
 * mapping was changed; `missing` once the referenced resource exists again; `data` never.
 */
export type Cause = 'transient' | 'data' | 'mapping' | 'auth' | 'offline' | 'missing';

export interface ErrorPattern {
  key: string;
  source: string;
  code: string;
  message: string;
  /** The values Celigo's web app knows (celigo-api.md W11): connection, duplicate, governance, missing, parse, value, intermittent. */
  classification: string;
  cause: Cause;
}

const p = (key: string, source: string, code: string, message: string, classification: string, cause: Cause): ErrorPattern =>
  ({ key, source, code, message, classification, cause });

export const PATTERNS = {
  nsInvalidRef: p('nsInvalidRef', 'application', 'INVALID_KEY_OR_REF', 'INVALID_KEY_OR_REF: Invalid customer reference key 12345.', 'value', 'data'),
  nsDuplicate: p('nsDuplicate', 'application', 'DUP_RCRD', 'DUP_RCRD: This record already exists.', 'duplicate', 'data'),
  sfRequiredLastName: p('sfRequiredLastName', 'application', 'REQUIRED_FIELD_MISSING', 'REQUIRED_FIELD_MISSING: Required fields are missing: [LastName]', 'missing', 'mapping'),
  mappingGeneric: p('mappingGeneric', 'mapping', 'mapping_failed', 'Mapping failed: could not map field "email": value is required.', 'missing', 'mapping'),
  http429: p('http429', 'application', '429', 'HTTP 429 Too Many Requests: rate limit exceeded, retry later.', 'governance', 'transient'),
  zendesk503: p('zendesk503', 'application', '503', 'HTTP 503 Service Unavailable: Zendesk is temporarily unavailable. Please try again later.', 'intermittent', 'transient'),
  timeout: p('timeout', 'connection', 'ETIMEDOUT', 'Request timed out after 120000 ms.', 'intermittent', 'transient'),
  http422: p('http422', 'application', '422', 'HTTP 422 Unprocessable Entity: {"errors":{"email":["is invalid"]}}', 'value', 'data'),
  sfInvalidLogin: p('sfInvalidLogin', 'connection', 'INVALID_LOGIN', 'INVALID_LOGIN: Invalid username, password, security token; or user locked out.', 'connection', 'auth'),
  nsInvalidLogin: p('nsInvalidLogin', 'connection', 'INVALID_LOGIN_ATTEMPT', 'INVALID_LOGIN_ATTEMPT: Invalid login attempt.', 'connection', 'auth'),
  httpUnauthorized: p('httpUnauthorized', 'connection', '401', 'HTTP 401 Unauthorized: invalid API key or access token.', 'connection', 'auth'),
  ftpLogin: p('ftpLogin', 'connection', 'EAUTH', 'Login failed: 530 Login incorrect.', 'connection', 'auth'),
  s3Denied: p('s3Denied', 'connection', 'InvalidAccessKeyId', 'InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records.', 'connection', 'auth'),
  offline: p('offline', 'connection', 'connection_offline', 'The connection is offline. Bring it back online and retry.', 'connection', 'offline'),
  missingResource: p('missingResource', 'internal', 'resource_not_found', 'A resource used by this step no longer exists.', 'value', 'missing'),
} satisfies Record<string, ErrorPattern>;

export type PatternKey = keyof typeof PATTERNS;

export function authPatternFor(connectionType: string | undefined): ErrorPattern {
  switch (connectionType) {
    case 'salesforce': return PATTERNS.sfInvalidLogin;
    case 'netsuite': return PATTERNS.nsInvalidLogin;
    case 'ftp': return PATTERNS.ftpLogin;
    case 's3': return PATTERNS.s3Denied;
    default: return PATTERNS.httpUnauthorized;
  }
}

/** A step that sometimes fails some records with a pattern. */
export interface StepTarget {
  stepId: string;
  pattern: PatternKey;
  /** Probability that a run has these errors. */
  p: number;
  min: number;
  max: number;
}

export interface FlowProfile {
  /** Records exported per run. */
  volume: [number, number];
  /** Run duration in ms (queued time not included). */
  durationMs: number;
  targets: StepTarget[];
  /** Probability of a few ignored records. */
  ignoreRate: number;
}
