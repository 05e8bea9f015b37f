import { windowStartOf } from '../events/index.ts';
import type { DeadLetter } from '../kafka/dead-letter.ts';
import type { TakenEvent } from './intake.ts';

/**
 * Lateness: a window takes events until the watermark (the newest event time applied) is
 * `allowedLatenessMs` past its end. A later event is sent to the dead-letter topic as "late",
 * counted, never silently lost; and a window past that point can no longer change, so a worker
 * may forget it (ResumableWindows.evict) and its memory stays bounded however long it runs.
 */

/** The end of the event-time window `eventTimeMicros` falls in, µs. */
export function windowEndOf(eventTimeMicros: number, windowMs: number): number {
  return windowStartOf(eventTimeMicros, windowMs) + windowMs * 1000;
}

/** The newest window end, µs, that takes no more events at this watermark: windows ending at or before it are closed. */
export function closedThrough(watermarkMicros: number, allowedLatenessMs: number): number {
  return watermarkMicros - allowedLatenessMs * 1000;
}

/** The late event's dead letter, saying by how much its window had closed. */
export function lateLetter(arrival: TakenEvent, windowEndMicros: number, watermarkMicros: number): DeadLetter {
  return {
    key: Buffer.from(arrival.event.key),
    value: Buffer.from(JSON.stringify(arrival.event)),
    reason: `late: window ended ${Math.round((watermarkMicros - windowEndMicros) / 1000)} ms before the watermark`,
    sourcePartition: arrival.partition,
    sourceOffset: arrival.offset,
  };
}

/**
 * The newest event time applied from each source partition. Streaming judges lateness against
 * its event's own partition, as Kafka Streams keeps stream time per task: a window's events all
 * come from one partition, in offset order, so a partition read behind the others (a fetch that
 * favoured them, a backlog) never makes its own events late.
 */
export class PartitionWatermarks {
  readonly #micros = new Map<number, number>();

  /** -Infinity until an event of the partition is applied (or restored). */
  of(partition: number): number {
    return this.#micros.get(partition) ?? Number.NEGATIVE_INFINITY;
  }

  advance(partition: number, eventTimeMicros: number): void {
    if (eventTimeMicros > this.of(partition)) this.#micros.set(partition, eventTimeMicros);
  }
}
