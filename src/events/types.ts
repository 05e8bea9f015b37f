/** One synthetic event. Integers only, so every tier's answer can be compared exactly. */
export interface LabEvent {
  /** Position in the generated sequence, from 0. */
  seq: number;
  /** The entity key (card, session, device): the Kafka message key. */
  key: string;
  /** When the generator was scheduled to emit it, µs since the Unix epoch (open loop). */
  eventTimeMicros: number;
  /** The integer summed in aggregates: amount, purchase value, or reading in milli-units. */
  amountCents: number;
  /** The dataset's own fields (merchantId, country, page, action, ...). */
  attrs: Record<string, string | number>;
}

/** A per-key, per-window aggregate: what all three tiers and the ground truth compute. */
export interface WindowAggregate {
  key: string;
  windowStartMicros: number;
  count: number;
  sumCents: number;
  /** For each of the dataset's rules, how many events of the window it flagged. */
  flags: Record<string, number>;
}

export const ruleOperators = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq', 'in', 'notIn'] as const;
export type RuleOperator = (typeof ruleOperators)[number];

/** A per-event predicate, as data: `{ name: highAmount, field: amountCents, op: gte, value: 500000 }`. */
export interface DatasetRule {
  name: string;
  /** `amountCents`, `key`, or an attribute name. */
  field: string;
  op: RuleOperator;
  value: number | string | Array<number | string>;
}

/** One clock for every timestamp in a run: wall-clock µs with sub-millisecond resolution. */
export interface Clock {
  nowMicros(): number;
}

export const systemClock: Clock = {
  nowMicros: () => Math.round((performance.timeOrigin + performance.now()) * 1000),
};
