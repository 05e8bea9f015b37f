/**
 * Every failure tierlab reports on purpose is a TierlabError with a stable code, so the CLI
 * can print one clear line and tests can assert on the code rather than on prose.
 */
export const errorCodes = [
  'BAD_INPUT', // a value the user gave (flag, env var, data file) is invalid
  'BAD_DATA_FILE', // a dataset, scenario or price sheet failed its schema
  'UNKNOWN_NAME', // a dataset, scenario or tier name that does not exist
  'PORT_IN_USE',
  'PREREQUISITE_MISSING', // Java, Maven, PostgreSQL or a container runtime is not there
  'SERVICE_START_FAILED',
  'SERVICE_UNREACHABLE',
  'SERVICE_STATE', // services up/down found an unexpected state (stale or missing state file)
  'DOWNLOAD_FAILED',
  'ENGINE_BUILD_FAILED', // a JVM engine of engines/jvm did not build with Maven
  'TIER_FAILED',
  'RESULT_MISMATCH',
  'SCHEMA_REJECTED', // a row does not fit the warehouse table it is loaded into (an unknown column, a value of the wrong type)
  'STORE_MISSING', // a topic or bucket the run depends on was deleted while it ran
  'TIMEOUT', // a command or a read made no progress within its time limit and was given up
] as const;

export type ErrorCode = (typeof errorCodes)[number];

export interface TierlabErrorOptions {
  cause?: unknown;
  /** True when the same call may succeed later (a server still starting, a busy port freed). */
  retriable?: boolean;
  /** Structured detail for logs and summary.json (the offending value, a path, a port). */
  details?: Record<string, unknown>;
}

export class TierlabError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: TierlabErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TierlabError';
    this.code = code;
    this.retriable = options.retriable ?? false;
    this.details = options.details ?? {};
  }
}

export function isTierlabError(error: unknown, code?: ErrorCode): error is TierlabError {
  return error instanceof TierlabError && (code === undefined || error.code === code);
}

/** The one line a person sees for an error: its code and message, then each cause. */
export function describeError(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth++) {
    if (current instanceof TierlabError) parts.push(`${current.code}: ${current.message}`);
    else if (current instanceof Error) parts.push(current.message);
    else parts.push(String(current));
    current = current instanceof Error ? current.cause : undefined;
  }
  return parts.join('\n  caused by: ');
}
