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
export { datasetNames, datasetsDir, loadDataset, type DatasetProfile } from './dataset.ts';
export { EventSource, malformedKinds, type GeneratedRecord, type MalformedKind } from './generator.ts';
export { Schedule, rateAt, validateRateShape, type RateShape } from './schedule.ts';
export { runOpenLoop, type EventSink, type OpenLoopProgress, type OpenLoopReport } from './open-loop.ts';
export { generate, type GenerateOptions, type GenerateResult } from './generate.ts';
export { eventClientRetry, newEventProducer, openKafkaEventSink, recordPayload, type KafkaEventSink } from './sinks/kafka.ts';
export { openFileEventSink, type FileEventSink } from './sinks/file.ts';
