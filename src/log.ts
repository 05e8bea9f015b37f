import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** Where log lines go; the CLI passes a file so people see progress, not log lines. */
  destination?: DestinationStream;
  level?: string;
  /** Bound to every line, e.g. { runId, tier }. */
  bindings?: Record<string, unknown>;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const logger = pino(
    { level: options.level ?? 'info', base: undefined, timestamp: pino.stdTimeFunctions.isoTime },
    options.destination ?? pino.destination({ dest: 2, sync: true }),
  );
  return options.bindings ? logger.child(options.bindings) : logger;
}

/** A logger that writes nothing: the default for library code whose caller did not pass one. */
export const silentLogger: Logger = pino({ level: 'silent' });
