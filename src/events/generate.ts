import type { DatasetProfile } from './dataset.ts';
import { EventSource } from './generator.ts';
import { WindowAggregator } from './ground-truth.ts';
import { runOpenLoop, type EventSink, type OpenLoopProgress, type OpenLoopReport } from './open-loop.ts';
import { Schedule, type RateShape } from './schedule.ts';
import type { Clock } from './types.ts';

export interface GenerateOptions {
  profile: DatasetProfile;
  seed: number;
  count?: number;
  durationMs?: number;
  rate: RateShape;
  /** The first event's scheduled time; fixed for files (byte-identical output), now for Kafka. */
  startMicros: number;
  windowMs: number;
  sink: EventSink;
  clock: Clock;
  paced: boolean;
  onProgress?: (progress: OpenLoopProgress) => void;
}

export interface GenerateResult {
  report: OpenLoopReport;
  /** Per key and window, from the valid events as they were produced. */
  groundTruth: WindowAggregator;
}

/** The generator on its own: seeded source, open-loop schedule, sink, and ground truth on the side. */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const groundTruth = new WindowAggregator(options.windowMs, options.profile.rules);
  try {
    const report = await runOpenLoop({
      source: new EventSource(options.profile, options.seed),
      schedule: new Schedule(options.rate, options.startMicros),
      ...(options.count !== undefined ? { count: options.count } : {}),
      ...(options.durationMs !== undefined ? { durationMs: options.durationMs } : {}),
      sink: options.sink,
      clock: options.clock,
      paced: options.paced,
      onRecord: (record) => {
        if (record.valid) groundTruth.add(record.event);
      },
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
    return { report, groundTruth };
  } finally {
    await options.sink.close();
  }
}
