// The pure parts of the event model only: codec, rules, ground truth, datasets, the generator and
// its schedule. The sinks (Kafka, files: DuckDB and Parquet) are imported from events/sinks/ by
// the few that write events, so a tier worker that reads this barrel loads neither.
export * from './types.ts';
export { decodeEvent, encodeEvent, flattenEvent, maxFutureMicros } from './codec.ts';
export { evaluateRules, rulesToSqlColumns } from './rules.ts';
export {
  WindowAggregator,
  aggregateKey,
  compareAggregates,
  compareByKeyAndWindow,
  windowStartOf,
  type AggregateMismatch,
  type Comparison,
} from './ground-truth.ts';
export { checkDrift, datasetNames, datasetsDir, loadDataset, type DatasetProfile } from './dataset.ts';
export { driftSchema } from './dataset-schema.ts';
export { driftCases, driftKeepsEvent, driftedPayload, type DriftCase, type DriftSpec } from './drift.ts';
export { EventSource, malformedKinds, type GeneratedRecord, type MalformedKind } from './generator.ts';
export { Schedule, rateAt, validateRateShape, type RateShape } from './schedule.ts';
export { runOpenLoop, type EventSink, type OpenLoopProgress, type OpenLoopReport } from './open-loop.ts';
export { generate, type GenerateOptions, type GenerateResult } from './generate.ts';
export { windowAggregateOf } from './aggregate-rows.ts';
