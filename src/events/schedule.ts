import { TierlabError } from '../errors.ts';

export type RateShape =
  | { kind: 'constant'; ratePerSec: number }
  /** `factor` times the rate for `burstSec` seconds out of every `everySec`. */
  | { kind: 'bursts'; ratePerSec: number; factor: number; burstSec: number; everySec: number }
  /** A day compressed into `periodSec`: quiet at night, `1 + amplitude` times the mean at midday. */
  | { kind: 'diurnal'; ratePerSec: number; amplitude: number; periodSec: number };

export function rateAt(shape: RateShape, elapsedSec: number): number {
  switch (shape.kind) {
    case 'constant':
      return shape.ratePerSec;
    case 'bursts':
      return elapsedSec % shape.everySec < shape.burstSec ? shape.ratePerSec * shape.factor : shape.ratePerSec;
    case 'diurnal': {
      const phase = (2 * Math.PI * elapsedSec) / shape.periodSec - Math.PI / 2; // starts at the night-time low
      return Math.max(shape.ratePerSec * 0.02, shape.ratePerSec * (1 + shape.amplitude * Math.sin(phase)));
    }
  }
}

export function validateRateShape(shape: RateShape, where: string): RateShape {
  const positive = (name: string, value: number) => {
    if (!(Number.isFinite(value) && value > 0)) {
      throw new TierlabError('BAD_INPUT', `${where}: ${name} must be a number > 0 (got ${value})`, { details: { name, value } });
    }
  };
  positive('ratePerSec', shape.ratePerSec);
  if (shape.kind === 'bursts') {
    positive('factor', shape.factor);
    positive('burstSec', shape.burstSec);
    positive('everySec', shape.everySec);
  }
  if (shape.kind === 'diurnal') {
    positive('periodSec', shape.periodSec);
    if (!(shape.amplitude >= 0 && shape.amplitude < 1)) {
      throw new TierlabError('BAD_INPUT', `${where}: amplitude must be from 0 to below 1 (got ${shape.amplitude})`);
    }
  }
  return shape;
}

/**
 * The open-loop schedule: the time each event is due, fixed in advance by the rate shape alone,
 * whatever happens to the sender. A constant rate is computed from the index, so it never drifts.
 */
export class Schedule {
  readonly #shape: RateShape;
  readonly #startMicros: number;
  #index = 0;
  #nextMicros: number;

  constructor(shape: RateShape, startMicros: number) {
    this.#shape = shape;
    this.#startMicros = startMicros;
    this.#nextMicros = startMicros;
  }

  /** The due time of the next event, in whole µs; advances the schedule. */
  next(): number {
    const due = Math.round(this.#nextMicros);
    this.#index++;
    if (this.#shape.kind === 'constant') {
      this.#nextMicros = this.#startMicros + (this.#index * 1_000_000) / this.#shape.ratePerSec;
    } else {
      const elapsedSec = (this.#nextMicros - this.#startMicros) / 1_000_000;
      this.#nextMicros += 1_000_000 / rateAt(this.#shape, elapsedSec);
    }
    return due;
  }

  /** The due time of the next event, without advancing. */
  peek(): number {
    return Math.round(this.#nextMicros);
  }
}
