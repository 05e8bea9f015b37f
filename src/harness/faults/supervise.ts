import { describeError } from '../../errors.ts';
import type { TierName } from '../../tiers/types.ts';
import { committedBaseline } from './baseline.ts';
import type { TierSpec } from '../tier-runner.ts';
import type { Baseline, RestartableRunner } from './restartable.ts';
import type { FaultContext, FaultRecord } from './types.ts';

/**
 * A worker that dies again this soon after it was replaced is not replaced again: a crash loop
 * (a bad config, a poison record) would otherwise repeat until the drain gives up, and the tier's
 * error would name a timeout instead of the cause.
 */
export const crashLoopWindowMs = 30_000;

/**
 * Replaces a tier worker that ends unplanned (a crash, an OOM kill, a `kill -9` by hand) as an
 * orchestrator would, exactly as a planned kill is: the new worker restores its windows from the
 * changelog and takes over the group. Each such exit is a fault record marked `unplanned`, with
 * its recovery time. A second exit within crashLoopWindowMs of a replacement errors the tier with
 * both reasons.
 */
export function superviseWorkers(
  context: FaultContext,
  baselineOf: (spec: TierSpec) => Promise<Baseline> = (spec) => committedBaseline(context.admin, context.config.kafka, spec),
): { records(): FaultRecord[] } {
  const { clock, sampler } = context.config;
  const restarts: Array<{ record: () => FaultRecord }> = [];
  const replacedAtMicros = new Map<TierName, number>();
  for (const runner of context.runners) {
    const restartable = runner as Partial<RestartableRunner>;
    const spec = context.specs.get(runner.name);
    if (!restartable.onUnplannedExit || !restartable.restart || !spec) continue;
    restartable.onUnplannedExit(async (reason) => {
      const atMicros = clock.nowMicros();
      const since = replacedAtMicros.get(runner.name);
      if (since !== undefined && atMicros - since < crashLoopWindowMs * 1000) {
        const after = ((atMicros - since) / 1e6).toFixed(1);
        context.onError(runner.name, `its worker died again ${after} s after it was replaced, so it was not replaced again: ${reason}`);
        return;
      }
      const atSec = ((atMicros - context.startMicros) / 1e6).toFixed(1);
      try {
        const restart = await restartable.restart!(() => clock.nowMicros(), () => baselineOf(spec));
        replacedAtMicros.set(runner.name, clock.nowMicros());
        // Named apart from planned kills' replacements (#1, #2, ...); lab-run adds every `tier:NAME#...` into `tier:NAME`.
        if (runner.pid !== process.pid) sampler?.watch(`tier:${runner.name}#exit${restarts.length + 1}`, runner.pid);
        restarts.push({
          record: () => ({
            spec: `exit:${runner.name}@${atSec}s`,
            tier: runner.name,
            atMicros: restart.killedAtMicros,
            recoveryMicros: restart.recoveryMicros() ?? null,
            unplanned: true,
          }),
        });
      } catch (error) {
        context.onError(runner.name, `its worker ended unplanned (${reason}) and could not be replaced: ${describeError(error)}`);
      }
    });
  }
  return { records: () => restarts.map((restart) => restart.record()) };
}
