/// <reference lib="dom" />
import uPlot from 'uplot';
import { human } from '../../results/recommend.ts';
import type { DemoTick, FaultMarker } from '../types.ts';

export interface LaneChartInput {
  history: readonly DemoTick[];
  slaMicros: number;
  markers: readonly FaultMarker[];
}

const chartWidth = (host: HTMLElement) => Math.max(280, host.getBoundingClientRect().width);
const isDecade = (v: number) => Math.abs(Math.log10(v) - Math.round(Math.log10(v))) < 1e-9;

/** The y range in whole decades around the data (ms), so a lane with nothing yet still has an axis. */
function decades(min: number | null, max: number | null): [number, number] {
  if (min === null || max === null || !(min > 0) || !(max > 0)) return [1, 1_000];
  const lo = 10 ** Math.floor(Math.log10(min));
  const hi = 10 ** Math.ceil(Math.log10(max));
  return [lo, hi > lo ? hi : lo * 10];
}

const ms = (micros: number | undefined) => (micros === undefined || micros <= 0 ? null : micros / 1000);

/** One lane's latency chart: rolling p50 and p99, the freshness clock and the SLA line, on a log scale of ms. */
export class LaneChart {
  private readonly plot: uPlot;
  private readonly host: HTMLElement;
  private readonly tier: string;
  private markers: readonly FaultMarker[] = [];

  constructor(host: HTMLElement, tier: string) {
    this.host = host;
    this.tier = tier;
    const line = (label: string, stroke: string, extra: Partial<uPlot.Series> = {}): uPlot.Series => ({ label, stroke, width: 2, points: { show: false }, ...extra });
    const opts: uPlot.Options = {
      width: chartWidth(host),
      height: 190,
      // One clock: hovering one lane shows the same instant in the other two.
      cursor: { sync: { key: 'lanes' } },
      // The page has one key for all three lanes.
      legend: { show: false },
      scales: { x: { time: true }, y: { distr: 3, log: 10, range: (_u, min, max) => decades(min, max) } },
      series: [
        {},
        line('p50 (rolling)', '#2b6cb0', { spanGaps: true }),
        line('p99 (rolling)', '#c05621', { spanGaps: true }),
        line('age of newest result', '#718096', { dash: [4, 4], width: 1.5 }),
        line('SLA', '#e53e3e', { dash: [10, 5], width: 1.5 }),
      ],
      // Labels on whole decades only: 1 ms, 10 ms, 100 ms, 1 s ...
      axes: [{}, { size: 76, values: (_u, splits) => splits.map((v) => (isDecade(v) ? human(v * 1000) : '')) }],
      hooks: { draw: [(u) => this.drawMarkers(u)] },
    };
    this.plot = new uPlot(opts, [[], [], [], [], []], host);
  }

  update(input: LaneChartInput): void {
    this.markers = input.markers.filter((m) => m.tier === undefined || m.tier === this.tier);
    const lanes = input.history.map((tick) => tick.lanes.find((l) => l.name === this.tier));
    this.plot.setData([
      input.history.map((tick) => tick.atMs / 1000),
      lanes.map((l) => ms(l?.p50Micros)),
      lanes.map((l) => ms(l?.p99Micros)),
      lanes.map((l) => ms(l?.freshnessMicros)),
      input.history.map(() => input.slaMicros / 1000),
    ]);
  }

  resize(): void {
    this.plot.setSize({ width: chartWidth(this.host), height: 190 });
  }

  /** Faults: a vertical line where each hit this tier, solid once measured, dashed while planned. */
  private drawMarkers(u: uPlot): void {
    const { ctx, bbox } = u;
    ctx.save();
    ctx.strokeStyle = '#805ad5';
    ctx.fillStyle = '#805ad5';
    ctx.font = `${Math.round(11 * devicePixelRatio)}px sans-serif`;
    for (const marker of this.markers) {
      const x = u.valToPos(marker.atMs / 1000, 'x', true);
      if (!Number.isFinite(x) || x < bbox.left || x > bbox.left + bbox.width) continue;
      ctx.setLineDash(marker.measured ? [] : [4, 4]);
      ctx.beginPath();
      ctx.moveTo(x, bbox.top);
      ctx.lineTo(x, bbox.top + bbox.height);
      ctx.stroke();
      ctx.fillText(marker.spec, x + 4, bbox.top + 12 * devicePixelRatio);
    }
    ctx.restore();
  }
}
