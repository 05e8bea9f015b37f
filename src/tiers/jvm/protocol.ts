import { TierlabError } from '../../errors.ts';

/** One event made visible: seq, event time, sent, read, processing start, write start, visible (µs). */
export type VisibleRow = [number, number, number, number, number, number, number];

/**
 * What a JVM engine process says on stdout, one JSON object a line (engines/jvm/common, Report.java).
 * Every time in it was taken by the engine when the thing happened, on the same wall clock as ours.
 */
export type EngineLine =
  | { type: 'ready'; /** The engine's and the JVM's versions, e.g. "Kafka Streams 4.3.1 on Java 17.0.15". */ version: string; startupMs: number }
  | {
      type: 'progress';
      /** Bytes written to Kafka so far, keys and values. */
      kafkaBytesWritten: number;
      visible: VisibleRow[];
      /** Reasons of the records dead-lettered since the last line. */
      rejected: string[];
      /** A lake engine's S3 use so far (totals): requests by kind and bytes written. */
      s3?: { list: number; get: number; put: number; bytesWritten: number };
      /** A scheduled engine's job runs so far (totals): how many, and their wall time in µs. */
      jobs?: { runs: number; micros: number };
    }
  | { type: 'error'; message: string }
  | { type: 'stopped' };

/** One line of an engine's stdout; a line that is not one of ours is named in the error. */
export function parseEngineLine(line: string): EngineLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw new TierlabError('TIER_FAILED', `a JVM engine wrote a line that is not JSON: ${JSON.stringify(line.slice(0, 120))}`);
  }
  const type = (value as { type?: unknown } | null)?.type;
  if (type !== 'ready' && type !== 'progress' && type !== 'error' && type !== 'stopped') {
    throw new TierlabError('TIER_FAILED', `a JVM engine wrote an unknown line: ${JSON.stringify(line.slice(0, 120))}`);
  }
  return value as EngineLine;
}

/** Splits a stream of chunks into whole lines, keeping a partial one for the next chunk. */
export class LineSplitter {
  #rest = '';

  push(chunk: string): string[] {
    const text = this.#rest + chunk;
    const lines = text.split('\n');
    this.#rest = lines.pop() ?? '';
    return lines.filter((line) => line.length > 0);
  }
}
