import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDataFile } from '../../../src/datafiles/load.ts';
import { loadDataset } from '../../../src/events/index.ts';
import { loadScenario } from '../../../src/scenarios/scenario.ts';
import { checkExercise, referenceAnswerPath } from '../../../src/workshops/check.ts';
import { exerciseChecks } from '../../../src/workshops/checks/index.ts';
import { checkDeps } from '../../../src/workshops/deps.ts';
import { findExercise, loadExercises, workshopsDir } from '../../../src/workshops/exercises.ts';
import { planReferenceRuns, referenceCommand } from '../../../src/workshops/reference.ts';
import { newestRunsOf } from '../../../src/workshops/runs.ts';
import { fixture, runOf } from './fixture-runs.ts';

const exercises = await loadExercises();

describe('the exercises in workshops/', () => {
  it('are the seven of issue 13, the engines exercise and the lakehouse one, numbered in letter order, each with a check and a README', async () => {
    expect(exercises.map((e) => `${e.number}${e.letter}`)).toEqual(['1a', '2b', '3c', '4d', '5e', '6f', '7g', '8h', '9i']);
    for (const exercise of exercises) {
      expect(exerciseChecks[exercise.letter], exercise.id).toBeDefined();
      expect(await readdir(exercise.dir), exercise.id).toEqual(expect.arrayContaining(['README.md', 'workshop.yaml']));
    }
  });

  it("have scenario files that pass the scenario schema, full and quick, and name datasets that load (paths from the repository's root)", async () => {
    const root = join(workshopsDir, '..');
    let scenarios = 0;
    for (const exercise of exercises) {
      for (const file of (await readdir(exercise.dir, { recursive: true })).filter((f) => /(^|\/)ws-.*\.yaml$/.test(f))) {
        for (const quick of [false, true]) {
          const scenario = await loadScenario(join(exercise.dir, file), { quick });
          const dataset = scenario.dataset.endsWith('.yaml') ? join(root, scenario.dataset) : scenario.dataset;
          await expect(loadDataset(dataset), `${file}: ${scenario.dataset}`).resolves.toBeDefined();
          // A run id carries the scenario's name, which is how check finds an exercise's runs.
          if (exercise.runsOf && !file.includes('/')) expect(scenario.name.startsWith(exercise.runsOf), file).toBe(true);
        }
        scenarios++;
      }
    }
    expect(scenarios).toBeGreaterThanOrEqual(10);
  });

  it("have templates and reference answers that pass their check's answer schema (the templates only once filled in)", async () => {
    for (const exercise of exercises) {
      const schema = exerciseChecks[exercise.letter]!.answerSchema!;
      await expect(loadDataFile(referenceAnswerPath(exercise)!, schema), exercise.id).resolves.toBeDefined();
      if (exercise.letter !== 'f') {
        // An unfilled template is refused, naming a field, so a participant who forgot sees where.
        await expect(loadDataFile(join(exercise.dir, 'answer.template.yaml'), schema), exercise.id).rejects.toThrow(/\(got "TODO"\)/);
      }
    }
  });

  it('are found by number, letter or folder; an unknown one lists the known', () => {
    expect(findExercise(exercises, '2').id).toBe('b-microbatch-trigger');
    expect(findExercise(exercises, 'B').id).toBe('b-microbatch-trigger');
    expect(findExercise(exercises, 'g-war-story').number).toBe(7);
    expect(() => findExercise(exercises, '10')).toThrow(/no workshop exercise "10"; known: 1 \(a, a-max-latency\)/);
  });
});

describe('reference runs', () => {
  it('run what (a) and (g) share once, and f none: twelve runs for all nine', () => {
    const planned = planReferenceRuns(exercises);
    expect(planned).toHaveLength(12);
    expect(planned[0]!.exercises).toEqual(['a', 'g']);
    expect(planReferenceRuns([findExercise(exercises, 'f')])).toEqual([]);
    const root = join(workshopsDir, '..');
    expect(planned.map((run) => referenceCommand(run, root))).toContain(
      'tierlab tier streaming --scenario workshops/e-kill-a-worker/ws-e-kill.yaml --quick --no-warmup --fault kill:streaming@3s',
    );
    expect(referenceCommand(planned[0]!, root)).toBe('tierlab run workshops/a-max-latency/ws-a-three-use-cases.yaml --quick --no-warmup');
    // The lakehouse pass follows one tier's, as long as it: one tier is the least the format allows.
    expect(referenceCommand(planned.at(-1)!, root)).toBe('tierlab tier batch --scenario workshops/i-lakehouse/ws-i-drift.yaml --quick --no-warmup');
  });
});

describe('reading the runs of an exercise', () => {
  async function store(dir: string, runId: string, body: string) {
    await mkdir(join(dir, runId), { recursive: true });
    await writeFile(join(dir, runId, 'summary.json'), body);
  }

  it('takes the newest valid run of each scenario with the prefix, tells of a broken one, and ignores other scenarios', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tierlab-ws-runs-'));
    const older = runOf('ws-b-trigger-1s', (r) => (r.runId = '20261125-090000-ws-b-trigger-1s-0001'));
    await store(dir, older.runId, JSON.stringify(older));
    await store(dir, '20261125-100000-ws-b-trigger-1s-0002', '{"schemaVersion": 3, "broken": true}');
    await store(dir, '20261125-093000-ws-b-trigger-10s-0003', JSON.stringify(runOf('ws-b-trigger-10s')));
    await store(dir, '20261125-110000-demo-0004', JSON.stringify(fixture));
    await mkdir(join(dir, '20261125-120000-ws-b-trigger-1s-0005')); // a run that did not finish
    const skipped: string[] = [];
    const runs = await newestRunsOf(dir, 'ws-b-', (path) => skipped.push(path));
    expect([...runs.keys()].sort()).toEqual(['ws-b-trigger-10s', 'ws-b-trigger-1s']);
    expect(runs.get('ws-b-trigger-1s')!.runId).toBe(older.runId);
    expect(skipped).toEqual([join(dir, '20261125-100000-ws-b-trigger-1s-0002', 'summary.json')]);
  });

  it('checks an exercise end to end from a results folder and an answer file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tierlab-ws-check-'));
    const run = runOf('ws-a-three-use-cases');
    await store(dir, run.runId, JSON.stringify(run));
    const g = findExercise(exercises, 'g');
    const passed = await checkExercise(g, { resultsDir: dir, answerPath: referenceAnswerPath(g)!, deps: checkDeps });
    expect(passed.passed, JSON.stringify(passed.items, null, 1)).toBe(true);
    const nothing = await checkExercise(g, { resultsDir: dir, answerPath: join(dir, 'none.yaml'), deps: checkDeps });
    expect(nothing.passed).toBe(false);
    expect(nothing.items[0]!.text).toContain('no answer file');
  });
});

describe('what check prints', () => {
  it('puts what is right first, then what to look at again with where to look, and says whether it passed', async () => {
    const { checkLines } = await import('../../../src/workshops/render.ts');
    const exercise = findExercise(exercises, 'e');
    const lines = checkLines({
      exercise,
      runs: new Map(),
      passed: false,
      answerPath: '/x/answer.yaml',
      items: [
        { verdict: 'look-again', about: 'prediction', text: 'you predicted recovery in 60 s: measured 10.4 s', hint: 'who notices that the worker died?' },
        { verdict: 'right', about: 'lesson', text: 'nothing lost' },
      ],
    });
    expect(lines).toEqual([
      'exercise 5 (e) Kill a worker and prove nothing is lost',
      '  answer: /x/answer.yaml',
      '  right       [lesson] nothing lost',
      '  look again  [prediction] you predicted recovery in 60 s: measured 10.4 s',
      '              -> who notices that the worker died?',
      '  1 to look at again',
    ]);
  });

  it('turns an answer left at TODO into something to look at again, naming the field', async () => {
    const b = findExercise(exercises, 'b');
    const result = await checkExercise(b, { resultsDir: '/nonexistent', answerPath: join(b.dir, 'answer.template.yaml'), deps: checkDeps });
    expect(result.passed).toBe(false);
    expect(result.items).toHaveLength(1);
    expect(result.items[0]!.text).toMatch(/\/kafkaCost must be equal to one of the allowed values.*\(got "TODO"\)/);
  });
});
