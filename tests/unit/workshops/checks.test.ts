import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { maxLatencyCheck, type MaxLatencyAnswer } from '../../../src/workshops/checks/a-max-latency.ts';
import { triggerCheck, type TriggerAnswer } from '../../../src/workshops/checks/b-microbatch-trigger.ts';
import { scheduleCheck, type ScheduleAnswer } from '../../../src/workshops/checks/c-nightly-vs-hourly.ts';
import { hotKeyCheck, type HotKeyAnswer } from '../../../src/workshops/checks/d-hot-key.ts';
import { killCheck, type KillAnswer } from '../../../src/workshops/checks/e-kill-a-worker.ts';
import { ownDatasetCheck } from '../../../src/workshops/checks/f-own-dataset.ts';
import { warStoryCheck, type WarStoryAnswer } from '../../../src/workshops/checks/g-war-story.ts';
import { enginesCheck, type EnginesAnswer } from '../../../src/workshops/checks/h-engines.ts';
import type { CheckDeps } from '../../../src/workshops/checks/index.ts';
import { checkDeps } from '../../../src/workshops/deps.ts';
import type { CheckItem, ExerciseRuns } from '../../../src/workshops/types.ts';
import { runOf, runsMap, tierRunOf } from './fixture-runs.ts';

const second = 1_000_000;
const noFlips: CheckDeps = { ...checkDeps, flipsFor: async () => () => undefined };

function context<A>(runs: ExerciseRuns, answer: A | undefined, exerciseDir = '/nowhere') {
  return { runs, answer, answerPath: '/nowhere/answer.yaml', exerciseDir };
}

const failed = (items: CheckItem[]) => items.filter((i) => i.verdict === 'look-again');
const passes = (items: CheckItem[]) => items.length > 0 && failed(items).length === 0;
/** The one look-again item, which must be about `about` and mention `text`. */
function onlyFailure(items: CheckItem[], about: CheckItem['about'], text: string | RegExp): CheckItem {
  const bad = failed(items);
  expect(bad, JSON.stringify(items, null, 1)).toHaveLength(1);
  expect(bad[0]!.about).toBe(about);
  expect(bad[0]!.text).toMatch(text);
  expect(bad[0]!.hint).toBeTruthy();
  return bad[0]!;
}

describe('exercise (a): three use cases', () => {
  const run = runOf('ws-a-three-use-cases');
  const answer: MaxLatencyAnswer = { choices: { 'board-report': 'batch', 'ops-dashboard': 'microbatch', 'fraud-check': 'streaming' } };

  it('passes the reference choices against a real run, with the report\'s tie rule', async () => {
    const items = await maxLatencyCheck.check(context(runsMap(run), answer), checkDeps);
    expect(passes(items), JSON.stringify(items, null, 1)).toBe(true);
    expect(items.filter((i) => i.about === 'prediction')).toHaveLength(3);
  });

  it('says to look again at a tier that meets the SLA but costs more, naming both costs', async () => {
    const items = await maxLatencyCheck.check(context(runsMap(run), { choices: { ...answer.choices, 'ops-dashboard': 'streaming' } }), checkDeps);
    const item = onlyFailure(items, 'prediction', /ops-dashboard.*you chose streaming, the measurement chooses microbatch/);
    expect(item.text).toContain('$6,299/year');
  });

  it('says a chosen tier misses the SLA, judging batch by its staleness at the use case\'s reads', async () => {
    const items = await maxLatencyCheck.check(context(runsMap(run), { choices: { ...answer.choices, 'ops-dashboard': 'batch' } }), noFlips);
    // Read every minute, a nightly job with no phase given is as stale as its per-event latency: up to a day.
    onlyFailure(items, 'prediction', /ops-dashboard \(SLA 5\.00 min\): you chose batch, the measurement chooses \w+: batch is 2\d\.\d h stale at those reads \(p99\): it misses the SLA/);
  });

  it('does not stand on a run whose tier errored, nor on no run at all, nor without an answer', async () => {
    const broken = runOf('ws-a-three-use-cases', (r) => {
      r.tiers.streaming!.state = 'errored';
      r.tiers.streaming!.error = 'boom';
    });
    onlyFailure(await maxLatencyCheck.check(context(runsMap(broken), answer), noFlips), 'run', /streaming errored.*boom/);
    onlyFailure(await maxLatencyCheck.check(context(new Map(), answer), noFlips), 'run', /no run of ws-a-three-use-cases/);
    onlyFailure(await maxLatencyCheck.check(context(runsMap(run), undefined), noFlips), 'answer', /no answer file/);
  });
});

describe('exercise (b): the micro-batch trigger', () => {
  /** A micro-batch run at `triggerSec` whose p99 is `p99Sec`, costing `kafkaUsd` on Kafka and `lakeUsd` on the lake. */
  const at = (triggerSec: number, p99Sec: number, kafkaUsd = 6_300, lakeUsd = 2_000) =>
    tierRunOf(`ws-b-trigger-${triggerSec}s`, 'microbatch', (r, t) => {
      r.environment.schedule.microbatchTriggerMs = triggerSec * 1000;
      t.latency.p99Micros = p99Sec * second;
      t.cost.usdPerYear = kafkaUsd;
      r.cost.variants = [{ tier: 'microbatch', architecture: 'microbatch-lake', title: 'lake', usdPerYear: lakeUsd, measuredShare: 0.9 }];
    });
  const measured = runsMap(at(1, 1.1, 6_350, 2_750), at(10, 10.05, 6_270, 2_080));
  const answer: TriggerAnswer = { p99: { '1s': '1.2s', '10s': '10s', '60s': '60s' }, kafkaCost: 'same', lakeCost: 'lower' };

  it('passes when p99 follows the trigger and the predictions hold; a trigger not measured is not held against it', async () => {
    const items = await triggerCheck.check(context(measured, answer), checkDeps);
    expect(passes(items), JSON.stringify(items, null, 1)).toBe(true);
    expect(items.filter((i) => i.about === 'prediction').map((i) => i.text).join()).not.toContain('60s');
  });

  it('fails when p99 did not grow with the trigger', async () => {
    const items = await triggerCheck.check(context(runsMap(at(1, 1.1), at(10, 0.9)), undefined), checkDeps);
    expect(failed(items).map((i) => i.text)).toEqual(expect.arrayContaining([expect.stringMatching(/did not grow with the trigger/)]));
  });

  it('fails a p99 prediction off by more than 1.5x, and a wrong cost direction', async () => {
    const items = await triggerCheck.check(context(measured, { ...answer, p99: { '1s': '50ms' }, kafkaCost: 'lower' }), checkDeps);
    const texts = failed(items).map((i) => `${i.about}: ${i.text}`);
    expect(texts).toEqual([
      'prediction: trigger 1s: you predicted p99 50ms, measured 1.10 s',
      'prediction: cost on Kafka: you predicted lower, measured same',
    ]);
  });

  it('needs two triggers, each from a correct run', async () => {
    onlyFailure(await triggerCheck.check(context(runsMap(at(1, 1.1)), answer), checkDeps), 'run', /one trigger measured \(1\.00 s\)/);
    const wrong = at(10, 10);
    wrong.tiers.microbatch!.correct = false;
    const items = await triggerCheck.check(context(runsMap(at(1, 1.1), wrong), answer), checkDeps);
    expect(failed(items).map((i) => i.text)).toEqual([expect.stringMatching(/disagreed with the ground truth/), expect.stringMatching(/at least two triggers/)]);
  });
});

describe('exercise (c): nightly vs hourly', () => {
  const batch = (name: string, realPeriodMs: number, projectedP99Micros: number, usd: number) =>
    tierRunOf(name, 'batch', (r, t) => {
      r.environment.schedule.realPeriodMs = realPeriodMs;
      t.projectedLatency = { ...t.projectedLatency!, p99Micros: projectedP99Micros };
      t.cost.usdPerYear = usd;
    });
  const nightly = batch('ws-c-nightly', 86_400_000, 24.7 * 3600 * second, 1_211);
  const hourly = batch('ws-c-hourly', 3_600_000, 1.02 * 3600 * second, 1_220);
  const answer: ScheduleAnswer = { fresherBy: 24, cost: 'same' };

  it('passes with about 24x fresher at about the same cost', async () => {
    expect(passes(await scheduleCheck.check(context(runsMap(nightly, hourly), answer), checkDeps))).toBe(true);
  });

  it('fails when the hourly file still stands for a nightly job', async () => {
    const sameSchedule = batch('ws-c-hourly', 86_400_000, 24.7 * 3600 * second, 1_211);
    onlyFailure(await scheduleCheck.check(context(runsMap(nightly, sameSchedule), answer), checkDeps), 'run', /stands for a job every 24\.0 h/);
  });

  it('fails predictions of 2x fresher and a much dearer job', async () => {
    const items = await scheduleCheck.check(context(runsMap(nightly, hourly), { fresherBy: 2, cost: 'higher' }), checkDeps);
    expect(failed(items).map((i) => i.about)).toEqual(['prediction', 'prediction']);
  });
});

describe('exercise (d): a hot key', () => {
  const streaming = (name: string, dataset: string, bytes: number) =>
    tierRunOf(name, 'streaming', (r, t) => {
      r.scenario.dataset = dataset;
      t.usage.kafkaBytesWritten = bytes * t.usage.events;
    });
  const spread = streaming('ws-d-spread', 'payments', 165);
  const hot = streaming('ws-d-hot-key', 'workshops/d-hot-key/payments-hot-key.yaml', 89);
  const answer: HotKeyAnswer = { stillCorrect: true, bytesPerEvent: 'lower' };

  it('passes: still correct, fewer bytes per event', async () => {
    expect(passes(await hotKeyCheck.check(context(runsMap(spread, hot), answer), checkDeps))).toBe(true);
  });

  it('fails when the hot run wrote as much per event, or both runs used one dataset', async () => {
    onlyFailure(await hotKeyCheck.check(context(runsMap(spread, streaming('ws-d-hot-key', 'hot.yaml', 160)), undefined), checkDeps).then((i) => i.filter((x) => x.about !== 'answer')), 'lesson', /165 B spread, 160 B with the hot key \(same\)/);
    onlyFailure(await hotKeyCheck.check(context(runsMap(spread, streaming('ws-d-hot-key', 'payments', 89)), answer), checkDeps), 'run', /both runs used the dataset payments/);
  });

  it('fails the predictions that streaming breaks and writes more', async () => {
    const items = await hotKeyCheck.check(context(runsMap(spread, hot), { stillCorrect: false, bytesPerEvent: 'higher' }), checkDeps);
    expect(failed(items).map((i) => i.about)).toEqual(['prediction', 'prediction']);
  });
});

describe('exercise (e): kill a worker', () => {
  const killed = (change: (r: ReturnType<typeof runOf>) => void = () => {}) =>
    tierRunOf('ws-e-kill', 'streaming', (r) => {
      r.faults = [{ spec: 'kill:streaming@3s', tier: 'streaming', atMicros: 1, recoveryMicros: 10.4 * second }];
      change(r);
    });
  const answer: KillAnswer = { lost: 0, countedTwice: 0, recoverySec: 11 };

  it('passes: nothing lost, nothing twice, recovery about the session timeout', async () => {
    expect(passes(await killCheck.check(context(runsMap(killed()), answer), checkDeps))).toBe(true);
  });

  it('fails a run without a kill, one that lost events, and one that never recovered', async () => {
    onlyFailure(await killCheck.check(context(runsMap(killed((r) => delete r.faults)), answer), checkDeps), 'run', /killed no worker/);
    const lost = killed((r) => {
      r.tiers.streaming!.unseen = 3;
      r.tiers.streaming!.correct = false;
    });
    const items = await killCheck.check(context(runsMap(lost), answer), checkDeps);
    expect(failed(items).map((i) => i.text)).toEqual([expect.stringMatching(/unseen 3, applied twice 0, NOT correct/), 'you predicted 0 lost: measured 3']);
    onlyFailure(await killCheck.check(context(runsMap(killed((r) => (r.faults![0]!.recoveryMicros = null))), answer), checkDeps), 'lesson', /no result became visible/);
  });

  it('fails a recovery predicted at 60 s', async () => {
    onlyFailure(await killCheck.check(context(runsMap(killed()), { ...answer, recoverySec: 60 }), checkDeps), 'prediction', /recovery in 60 s: measured 10\.4 s/);
  });
});

describe('exercise (f): your own dataset', () => {
  const dir = new URL('../../../workshops/f-own-dataset/', import.meta.url).pathname;

  it('passes the reference dataset and scenario, generated twice from the seed', async () => {
    const items = await ownDatasetCheck.check(context(new Map(), { dataset: 'reference/rides.yaml', scenario: 'reference/ws-f-rides.yaml' }, dir), checkDeps);
    expect(passes(items), JSON.stringify(items, null, 1)).toBe(true);
  });

  it('fails a built-in dataset, a broken one (naming the field), and a rule that never fires', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'tierlab-ws-f-'));
    const payments = new URL('../../../datasets/payments.yaml', import.meta.url).pathname;
    const scenario = join(dir, 'reference/ws-f-rides.yaml');
    const copy = await ownDatasetCheck.check(context(new Map(), { dataset: payments, scenario }, dir), checkDeps);
    expect(failed(copy).map((i) => i.text)).toEqual(expect.arrayContaining(['your dataset is named the built-in "payments"']));

    const rides = await import('node:fs/promises').then((fs) => fs.readFile(join(dir, 'reference/rides.yaml'), 'utf8'));
    await writeFile(join(tmp, 'bad.yaml'), rides.replace('hotShare: 0.1', 'hotShare: 1.5'));
    onlyFailure(await ownDatasetCheck.check(context(new Map(), { dataset: join(tmp, 'bad.yaml'), scenario }, dir), checkDeps), 'answer', /\/keys\/hotShare must be <= 1/);

    await writeFile(join(tmp, 'silent.yaml'), rides.replace('value: black', 'value: gold'));
    const items = await ownDatasetCheck.check(context(new Map(), { dataset: join(tmp, 'silent.yaml'), scenario }, dir), checkDeps);
    // The scenario names the reference file, not this one, and the premium rule never fires.
    expect(failed(items).map((i) => i.text)).toEqual([expect.stringMatching(/runs the dataset "workshops\/f-own-dataset\/reference\/rides.yaml", not yours/), expect.stringMatching(/rule\(s\) premium flagged none/)]);
  });
});

describe('exercise (g): the war story', () => {
  const run = runOf('ws-a-three-use-cases');
  const answer: WarStoryAnswer = { predictedRatio: 1.3, verdict: 'refuted', largestLine: 'Kafka brokers' };

  it('passes the reference answer on the fixture run (1.29x, refuted)', async () => {
    expect(passes(await warStoryCheck.check(context(runsMap(run), answer), checkDeps))).toBe(true);
  });

  it("fails the seed's 6x, a reproduced verdict and the wrong largest line", async () => {
    const items = await warStoryCheck.check(context(runsMap(run), { predictedRatio: 6, verdict: 'reproduced', largestLine: 'worker compute' }), checkDeps);
    expect(failed(items).map((i) => i.text)).toEqual([
      'you say reproduced; the cost model says refuted',
      'you predicted 6x, the model computes 1.29x',
      expect.stringMatching(/largest line is Kafka brokers .*not "worker compute"/),
    ]);
  });

  it('needs both always-on tiers in the run', async () => {
    const onlyBatch = runOf('ws-a-three-use-cases', (r) => {
      r.tiers = { batch: r.tiers.batch };
      r.cost.warStory = { eventsPerDay: null, usdPerYear: {}, streamingOverMicrobatch: null, verdict: 'not reached', why: 'the run did not measure both' };
    });
    onlyFailure(await warStoryCheck.check(context(runsMap(onlyBatch), answer), checkDeps), 'run', /did not run the microbatch tier/);
  });
});

describe('exercise (h): one stream on several engines', () => {
  const mib = 2 ** 20;
  const node = tierRunOf('ws-h-streaming-node', 'streaming', (_, t) => {
    t.engine = { name: 'node', version: 'v24.21.0' };
    t.resources.peakRssBytes = 120 * mib;
  });
  const flink = tierRunOf('ws-h-streaming-flink', 'streaming', (_, t) => {
    t.engine = { name: 'flink', version: 'Flink 2.2.1 on Java 17.0.15', startupMs: 4_100 };
    t.resources.peakRssBytes = 490 * mib;
  });
  const spark = tierRunOf('ws-h-microbatch-spark', 'microbatch', (run, t) => {
    run.environment.schedule.microbatchTriggerMs = 3_000;
    t.engine = { name: 'spark', version: 'Spark 4.2.0 on Java 17.0.15', startupMs: 13_000 };
    t.resources.peakRssBytes = 800 * mib;
    t.latency.p50Micros = 2.4 * second;
    t.latency.p99Micros = 3.9 * second;
  });
  const answer: EnginesAnswer = { sameAnswer: 'yes', mostMemory: 'spark', slowestStart: 'spark', waitsForTrigger: 'yes' };

  it('passes the reference answer on a node, a flink and a spark run that all end correct', async () => {
    const items = await enginesCheck.check(context(runsMap(node, flink, spark), answer), checkDeps);
    expect(passes(items), JSON.stringify(items, null, 1)).toBe(true);
    expect(items.map((i) => i.text)).toContain('spark took longest to start: spark 13.0 s, flink 4.10 s (kept out of what was measured)');
  });

  it('names the engine that used the most memory and the one that waited, against a wrong prediction', async () => {
    const items = await enginesCheck.check(context(runsMap(node, flink, spark), { ...answer, mostMemory: 'node', waitsForTrigger: 'no' }), checkDeps);
    expect(failed(items).map((i) => i.text)).toEqual([
      'you said node; microbatch on spark used the most: spark 800 MiB, flink 490 MiB, node 120 MiB',
      'you said no; on Spark the p50 was 2.40 s and the p99 3.90 s at a 3.00 s trigger',
    ]);
  });

  it('judges the wait for the trigger on the p99: a p50 just under half a trigger is a coin toss, not an answer', async () => {
    const early = tierRunOf('ws-h-microbatch-spark', 'microbatch', (run, t) => {
      run.environment.schedule.microbatchTriggerMs = 3_000;
      t.engine = { name: 'spark', version: 'Spark 4.2.0 on Java 17.0.15', startupMs: 13_000 };
      t.resources.peakRssBytes = 800 * mib;
      t.latency.p50Micros = 1.45 * second;
      t.latency.p99Micros = 2.9 * second;
    });
    const items = await enginesCheck.check(context(runsMap(node, flink, early), answer), checkDeps);
    expect(passes(items), JSON.stringify(items, null, 1)).toBe(true);
  });

  it('takes an engine that disagrees with the ground truth as the finding, and needs a node run and a JVM one', async () => {
    const wrong = tierRunOf('ws-h-streaming-flink', 'streaming', (_, t) => {
      t.engine = { name: 'flink', version: 'Flink 2.2.1 on Java 17.0.15', startupMs: 4_100 };
      t.correct = false;
      t.mismatches = 3;
    });
    const items = await enginesCheck.check(context(runsMap(node, wrong), { ...answer, sameAnswer: 'no', mostMemory: 'flink', slowestStart: 'flink' }), checkDeps);
    onlyFailure(items, 'lesson', /streaming disagreed with the ground truth/);
    onlyFailure(await enginesCheck.check(context(runsMap(node), answer), checkDeps), 'run', /needs one on node and at least one on a JVM engine/);
  });
});

describe('one knob at a time', () => {
  it('refuses to compare runs that differ in the offered rate too', async () => {
    const at = (triggerSec: number, rate: number) =>
      tierRunOf(`ws-b-trigger-${triggerSec}s`, 'microbatch', (r, t) => {
        r.environment.schedule.microbatchTriggerMs = triggerSec * 1000;
        r.events.ratePerSec = rate;
        t.latency.p99Micros = triggerSec * second;
      });
    const items = await triggerCheck.check(context(runsMap(at(1, 2000), at(10, 5000)), undefined), checkDeps);
    expect(failed(items).map((i) => i.text)).toContain('the runs differ in their rate too (2000 vs 5000), so the difference cannot be put down to one knob');
  });
});
