import { resolve } from 'node:path';
import { describeError } from '../../errors.ts';
import type { DatasetProfile } from '../../events/index.ts';
import type { DatasetSample } from '../sample.ts';
import type { CheckItem, ExerciseCheck } from '../types.ts';
import { lookAgain, noAnswer, right } from './items.ts';

export interface OwnDatasetAnswer {
  /** Your dataset profile and a scenario that runs it, relative to the exercise folder (or absolute). */
  dataset: string;
  scenario: string;
}

export interface OwnDatasetDeps {
  loadDataset: (path: string) => Promise<DatasetProfile>;
  /** The scenario's dataset (as written in it) and seed; rejects a bad scenario, naming the field. */
  loadScenario: (path: string) => Promise<{ dataset: string; seed: number }>;
  builtIns: () => Promise<DatasetProfile[]>;
  sample: (profile: DatasetProfile, seed: number, count: number) => DatasetSample;
}

/** Events generated to look at the dataset: enough for a rule with a 0.2% share to fire. */
export const sampleSize = 5_000;

export const ownDatasetCheck: ExerciseCheck<OwnDatasetAnswer, OwnDatasetDeps> = {
  answerSchema: {
    type: 'object',
    additionalProperties: false,
    required: ['dataset', 'scenario'],
    properties: { dataset: { type: 'string', minLength: 1 }, scenario: { type: 'string', minLength: 1 } },
  },
  async check({ answer, answerPath, exerciseDir }, deps) {
    if (!answer) return [noAnswer(answerPath)];
    const items: CheckItem[] = [];
    const datasetPath = resolve(exerciseDir, answer.dataset);
    let profile: DatasetProfile;
    try {
      profile = await deps.loadDataset(datasetPath);
    } catch (error) {
      return [lookAgain('answer', `your dataset does not load: ${describeError(error)}`, 'the message names the field and the value; datasets/payments.yaml shows every field in use, src/events/dataset-schema.ts is the schema')];
    }
    items.push(right('answer', `${datasetPath} is a valid dataset profile ("${profile.name}"): no code, one data file`));
    const builtIns = await deps.builtIns();
    const same = builtIns.find((b) => b.name === profile.name || JSON.stringify(b) === JSON.stringify(profile));
    items.push(
      same
        ? lookAgain('answer', `your dataset is ${same.name === profile.name ? 'named' : 'the same as'} the built-in "${same.name}"`, 'give it your own name and your own keys, attributes and rules: the point is a workload the lab does not ship')
        : right('answer', `it is your own: ${profile.keys.count.toLocaleString('en-US')} keys, ${profile.attributes.length} attributes, ${profile.rules.length} rules`),
    );
    if (profile.rules.length === 0) {
      items.push(lookAgain('lesson', 'your dataset has no rules, so its windows carry counts and sums only', 'add a rule (e.g. { name: big, field: amountCents, op: gte, value: 100000 }): each tier must then flag the same events'));
    }
    const scenarioPath = resolve(exerciseDir, answer.scenario);
    try {
      const scenario = await deps.loadScenario(scenarioPath);
      // A scenario names a dataset by id or by a path from where tierlab runs (the repository's root).
      const named = scenario.dataset === profile.name || resolve(scenario.dataset) === datasetPath;
      items.push(
        named
          ? right('answer', `${scenarioPath} is a valid scenario and runs your dataset`)
          : lookAgain('answer', `your scenario runs the dataset "${scenario.dataset}", not yours`, `set dataset: to the path of your file from the repository's root (e.g. ${answer.dataset.startsWith('/') ? answer.dataset : `workshops/f-own-dataset/${answer.dataset}`})`),
      );
      const first = deps.sample(profile, scenario.seed, sampleSize);
      const again = deps.sample(profile, scenario.seed, sampleSize);
      items.push(
        first.digest === again.digest
          ? right('lesson', `seed ${scenario.seed} gives the same ${sampleSize.toLocaleString('en-US')} events twice (sha256 ${first.digest.slice(0, 12)}…): every tier and every rerun sees the same stream`)
          : lookAgain('lesson', 'the same seed gave two different streams', 'this is a bug in the generator, not in your file: report it with your dataset'),
      );
      const silent = Object.entries(first.flagged).filter(([, n]) => n === 0).map(([name]) => name);
      if (profile.rules.length > 0) {
        items.push(
          silent.length === 0
            ? right('lesson', `every rule fires in ${sampleSize.toLocaleString('en-US')} events: ${Object.entries(first.flagged).map(([name, n]) => `${name} ${n}`).join(', ')}`)
            : lookAgain('lesson', `rule(s) ${silent.join(', ')} flagged none of ${sampleSize.toLocaleString('en-US')} events`, 'a rule that never fires tests nothing: check its field, operator and value against what the dataset generates (or add an anomaly that produces it)'),
        );
      }
    } catch (error) {
      items.push(lookAgain('answer', `your scenario does not load: ${describeError(error)}`, 'copy bench/scenarios/demo.yaml and change dataset: to your file; the message names the bad field'));
    }
    return items;
  },
};
