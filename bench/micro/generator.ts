import { Bench } from 'tinybench';
import { EventSource, loadDataset, Schedule, WindowAggregator } from '../../src/events/index.ts';
import { recordPayload } from '../../src/events/sinks/kafka.ts';

export const eventsPerIteration = 10_000;

/** In memory: the generator alone, then with encoding, then with ground-truth aggregation too. */
export async function generatorBench(dataset: string): Promise<Bench> {
  const profile = await loadDataset(dataset);
  const source = new EventSource(profile, 1);
  const schedule = new Schedule({ kind: 'constant', ratePerSec: 1_000_000 }, Date.UTC(2026, 0, 5) * 1000);
  const truth = new WindowAggregator(profile.windowMs, profile.rules);
  let sink = 0; // keeps the work observable so it is not optimised away
  const bench = new Bench({ name: `generator (${dataset})`, time: 2_000, warmupTime: 500 });
  bench
    .add('generate', () => {
      for (let i = 0; i < eventsPerIteration; i++) sink += source.next(schedule.next()).seq;
    })
    .add('generate + encode', () => {
      for (let i = 0; i < eventsPerIteration; i++) sink += recordPayload(source.next(schedule.next())).length;
    })
    .add('generate + encode + ground truth', () => {
      for (let i = 0; i < eventsPerIteration; i++) {
        const record = source.next(schedule.next());
        sink += recordPayload(record).length;
        if (record.valid) truth.add(record.event);
      }
    });
  await bench.run();
  if (sink === -1) console.log(sink);
  return bench;
}
