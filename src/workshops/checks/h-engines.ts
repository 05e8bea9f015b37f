import type { RunSummary, TierSummary } from '../../results/summary.ts';
import type { TierName } from '../../tiers/types.ts';
import type { CheckItem, ExerciseCheck } from '../types.ts';
import { human, lookAgain, noAnswer, notOneKnob, right, tierProblem } from './items.ts';

export interface EnginesAnswer {
  sameAnswer: 'yes' | 'no';
  mostMemory: string;
  slowestStart: string;
  waitsForTrigger: 'yes' | 'no';
}

const engineNames = ['node', 'kafka-streams', 'flink', 'spark'];
const yesNo = { type: 'string', enum: ['yes', 'no'] } as const;

/** One run of the exercise: its one tier, and the engine that ran it. */
interface EngineRun {
  run: RunSummary;
  tier: TierName;
  measured: TierSummary;
  engine: string;
}

function engineRunOf(run: RunSummary): EngineRun | undefined {
  const [tier, measured] = (Object.entries(run.tiers) as Array<[TierName, TierSummary]>)[0] ?? [];
  if (!tier || !measured) return undefined;
  return { run, tier, measured, engine: measured.engine?.name ?? 'node' };
}

const label = (r: EngineRun) => `${r.tier} on ${r.engine}`;
const mib = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MiB`;

export const enginesCheck: ExerciseCheck<EnginesAnswer, unknown> = {
  answerSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['sameAnswer', 'mostMemory', 'slowestStart', 'waitsForTrigger'],
    properties: {
      sameAnswer: yesNo,
      mostMemory: { type: 'string', enum: engineNames },
      slowestStart: { type: 'string', enum: engineNames.slice(1) },
      waitsForTrigger: yesNo,
    },
  },
  async check({ runs, answer, answerPath }) {
    const items: CheckItem[] = [];
    if (!answer) items.push(noAnswer(answerPath));
    const engineRuns = [...runs.values()].map(engineRunOf).filter((r): r is EngineRun => r !== undefined);
    const jvm = engineRuns.filter((r) => r.engine !== 'node');
    if (!engineRuns.some((r) => r.engine === 'node') || jvm.length === 0) {
      items.push(lookAgain('run', `${engineRuns.length} run(s) of this exercise; it needs one on node and at least one on a JVM engine`, 'run: tierlab tier streaming --scenario workshops/h-engines/ws-h-streaming-node.yaml, then the flink and spark files'));
      return items;
    }
    const oneKnob = notOneKnob(engineRuns.map((r) => r.run));
    if (oneKnob) return [...items, oneKnob];
    const problems = engineRuns.map((r) => tierProblem(r.run, r.tier)).filter((p): p is string => p !== undefined);
    const allCorrect = problems.length === 0;
    items.push(
      allCorrect
        ? right('lesson', `every engine ended equal to the ground truth: ${engineRuns.map(label).join(', ')}`)
        : lookAgain('lesson', problems.join('; '), 'an engine that disagrees with the ground truth is a finding: read its report\'s mismatches before you run it again'),
    );
    const memory = [...engineRuns].sort((a, b) => b.measured.resources.peakRssBytes - a.measured.resources.peakRssBytes);
    const started = jvm.filter((r) => r.measured.engine?.startupMs !== undefined).sort((a, b) => b.measured.engine!.startupMs! - a.measured.engine!.startupMs!);
    const spark = engineRuns.find((r) => r.engine === 'spark' && r.tier === 'microbatch');
    const triggerMicros = (spark?.run.environment.schedule.microbatchTriggerMs ?? 0) * 1000;
    // On the p99: about half of all events arrive in a trigger's first half and wait longer than half a
    // trigger, so the p99 is past it whatever the machine, where the p50 sits at half a trigger itself.
    const waits = spark ? spark.measured.latency.p99Micros > triggerMicros / 2 : undefined;
    if (!answer) return items;
    const sameAnswer = allCorrect ? 'yes' : 'no';
    items.push(
      answer.sameAnswer === sameAnswer
        ? right('prediction', `you said ${answer.sameAnswer}: the windows are the same whichever engine counts them`)
        : lookAgain('prediction', `you said ${answer.sameAnswer}; the runs say ${sameAnswer}`, 'every engine applies the same rules from the dataset file to the same seeded stream'),
      answer.mostMemory === memory[0]!.engine
        ? right('prediction', `${label(memory[0]!)} used the most memory: ${memory.map((r) => `${r.engine} ${mib(r.measured.resources.peakRssBytes)}`).join(', ')} (peak RSS)`)
        : lookAgain('prediction', `you said ${answer.mostMemory}; ${label(memory[0]!)} used the most: ${memory.map((r) => `${r.engine} ${mib(r.measured.resources.peakRssBytes)}`).join(', ')}`, 'a JVM engine holds a heap (here up to 1 GiB) beside its own threads and caches: compare "CPU, memory (measured)"'),
    );
    if (started.length > 0) {
      const slowest = started[0]!;
      const text = started.map((r) => `${r.engine} ${human(r.measured.engine!.startupMs! * 1000)}`).join(', ');
      items.push(
        answer.slowestStart === slowest.engine
          ? right('prediction', `${slowest.engine} took longest to start: ${text} (kept out of what was measured)`)
          : lookAgain('prediction', `you said ${answer.slowestStart}; ${slowest.engine} took longest: ${text}`, 'read the engines line of the report\'s environment: JVM start, group join, and for Spark its first job'),
      );
    }
    if (waits !== undefined) {
      const seen = waits ? 'yes' : 'no';
      items.push(
        answer.waitsForTrigger === seen
          ? right('prediction', `on Spark the p50 was ${human(spark!.measured.latency.p50Micros)} and the p99 ${human(spark!.measured.latency.p99Micros)} at a ${human(triggerMicros)} trigger: an event waits for the trigger whichever engine triggers it`)
          : lookAgain('prediction', `you said ${answer.waitsForTrigger}; on Spark the p50 was ${human(spark!.measured.latency.p50Micros)} and the p99 ${human(spark!.measured.latency.p99Micros)} at a ${human(triggerMicros)} trigger`, 'in the latency stages, where does Spark\'s event spend its time: in Kafka (transport) until the trigger reads it'),
      );
    }
    return items;
  },
};
