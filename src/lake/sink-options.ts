/** The lake sink's buffering, apart from the sink itself so options can be read without loading the AWS SDK. */
export interface LakeSinkOptions {
  /** Flush when this many records are buffered… */
  flushRecords: number;
  /** …or when the oldest buffered record has waited this long, as Firehose buffers do. */
  flushMs: number;
}

export const defaultLakeSinkOptions: LakeSinkOptions = { flushRecords: 20_000, flushMs: 2_000 };
