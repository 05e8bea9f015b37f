// temporary hand measurement (not committed)
import { loadDataset, systemClock } from '../src/events/index.ts';
import { measureBatchFloor, deliveryBufferLake } from '../pipelines/batch/floor/batch-floor.ts';
const s3 = { endpoint: `http://127.0.0.1:${process.env.TIERLAB_S3_PORT}`, region: 'us-east-1', accessKeyId: 'tierlab', secretAccessKey: 'tierlab-secret' };
const profile = await loadDataset('payments');
const [runs, warmupRuns] = (process.argv[2] ?? '5,1').split(',').map(Number);
for (let k = 0; k < Number(process.argv[3] ?? 1); k++) {
  const r = await measureBatchFloor({ s3, profile, seed: 42, rate: 10_000, durationMs: 30_000, windowMs: profile.windowMs, runs: runs!, warmupRuns: warmupRuns!, clock: systemClock, partitions: 6, lake: deliveryBufferLake });
  const [l, j] = r.rows;
  console.log(`runs ${runs}+${warmupRuns}: local p50 ${(l.p50Micros/1000).toFixed(1)} job p50 ${(j.p50Micros/1000).toFixed(1)} ratio ${r.ratio.toFixed(2)} bd ${JSON.stringify(j.breakdownMicros)} localruns ${l.runMicros.map(x=>Math.round(x/1000))} jobruns ${j.runMicros.map(x=>Math.round(x/1000))}`);
}
