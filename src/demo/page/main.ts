/// <reference lib="dom" />
import { human } from '../../results/recommend.ts';
import type { DemoEvents, DemoFinal, DemoHello, DemoTick, FaultMarker, LaneTick } from '../types.ts';
import { LaneChart } from './chart.ts';
import { requestFault } from './faults.ts';
import { laneVerdict, microsToSlider, recommendationAt, sliderToMicros } from './sla.ts';

/** The live page: one lane per tier on one clock, the SLA control, and the run's answer at the end. */

interface Lane {
  name: string;
  chart: LaneChart;
  fields: Record<string, HTMLElement>;
  root: HTMLElement;
}

const view = {
  hello: undefined as DemoHello | undefined,
  history: [] as DemoTick[],
  markers: [] as FaultMarker[],
  final: undefined as DemoFinal | undefined,
  slaMicros: 0,
  lanes: [] as Lane[],
};

const $ = <T extends HTMLElement = HTMLElement>(selector: string, root: ParentNode = document): T => {
  const found = root.querySelector<T>(selector);
  if (!found) throw new Error(`the page has no ${selector}`);
  return found;
};

const perSec = (n: number) => `${Math.round(n).toLocaleString('en-US')}/s`;
const count = (n: number) => Math.round(n).toLocaleString('en-US');
const orDash = (micros: number | undefined) => (micros === undefined ? '-' : human(micros));
const dollars = (usd: number) => `$${Math.round(usd).toLocaleString('en-US')}`;

const laneFields = ['state', 'offered', 'visible', 'p50', 'p99', 'freshness', 'backlog', 'meets', 'correct', 'cost'] as const;
const laneLabels: Record<(typeof laneFields)[number], string> = {
  state: 'state',
  offered: 'offered',
  visible: 'made visible',
  p50: 'p50 (rolling 10 s)',
  p99: 'p99 (rolling 10 s)',
  freshness: 'age of newest result',
  backlog: 'backlog',
  meets: 'SLA',
  correct: 'correct',
  cost: '$/year',
};

function buildLanes(hello: DemoHello): void {
  const container = $('#lanes');
  container.replaceChildren();
  const built = hello.tiers.map((name) => {
    const root = document.createElement('section');
    root.className = 'lane';
    root.dataset.tier = name;
    const title = document.createElement('h2');
    title.textContent = hello.laneTitles[name] ?? name;
    const stats = document.createElement('dl');
    const fields: Record<string, HTMLElement> = {};
    for (const field of laneFields) {
      const dt = document.createElement('dt');
      dt.textContent = laneLabels[field];
      const dd = document.createElement('dd');
      dd.dataset.field = field;
      dd.textContent = '-';
      fields[field] = dd;
      stats.append(dt, dd);
    }
    const chart = document.createElement('div');
    chart.className = 'chart';
    const kill = faultButton(`kill:${name}`, `kill the ${name} worker`);
    root.append(title, stats, kill, chart);
    return { name, root, fields, chartHost: chart };
  });
  // All lanes in the grid first, so each chart is sized to its own column, not to a row it had alone.
  container.append(...built.map((lane) => lane.root));
  view.lanes = built.map(({ chartHost, ...lane }) => ({ ...lane, chart: new LaneChart(chartHost, lane.name) }));
}

/** A button that asks the run to inject a fault now; the answer (injected, or why not) shows beside the SLA control. */
function faultButton(spec: string, label: string): HTMLButtonElement {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'fault';
  button.dataset.fault = spec;
  button.textContent = `⚡ ${label}`;
  // fetch through a closure: called as a method of the io object, window.fetch throws "Illegal invocation".
  const io = { fetch: (url: string, init: RequestInit) => fetch(url, init), token, say: (text: string) => ($('#fault-status').textContent = text) };
  button.addEventListener('click', () => void requestFault(button, spec, io));
  return button;
}

/** This run's token, written into the page by the server: fault requests carry it (the server's guard.ts). */
const token = $<HTMLMetaElement>('meta[name="tierlab-token"]').content;

function renderLanes(): void {
  const last = view.history[view.history.length - 1];
  for (const lane of view.lanes) {
    const tick = last?.lanes.find((l) => l.name === lane.name);
    const tier = view.final?.tiers[lane.name as keyof DemoFinal['tiers']];
    renderLane(lane, tick, tier);
    lane.chart.update({ history: view.history, slaMicros: view.slaMicros, markers: view.markers });
  }
}

function renderLane(lane: Lane, tick: LaneTick | undefined, tier: DemoFinal['tiers'][keyof DemoFinal['tiers']] | undefined): void {
  const f = lane.fields;
  const set = (field: (typeof laneFields)[number], text: string) => (f[field]!.textContent = text);
  lane.root.classList.toggle('active', tick?.active === true);
  set('state', tier ? tier.state : tick ? `${tick.state}${tick.active ? '' : ' (not fed now)'}` : 'waiting');
  if (tick) {
    set('offered', perSec(tick.offeredPerSec));
    set('visible', `${perSec(tick.visiblePerSec)} (${count(tick.visible)} so far)`);
    set('p50', orDash(tick.p50Micros));
    set('p99', orDash(tick.p99Micros));
    set('freshness', orDash(tick.freshnessMicros));
    set('backlog', tick.active ? `${count(tick.backlog)} events` : '-');
  }
  const verdict = laneVerdict(view.slaMicros, tick, tier);
  // Mid-run a tier may run on a compressed schedule (the nightly job every few seconds): only the run's
  // own p99, under the real schedule where the tier projects one, says whether it meets the SLA.
  set(
    'meets',
    !verdict
      ? `judged when the run ends`
      : verdict.basis === 'final'
        ? `${verdict.meets ? 'meets' : 'misses'} ${human(view.slaMicros)} (the run's p99)`
        : `p99 so far ${verdict.meets ? 'under' : 'over'} ${human(view.slaMicros)}; judged when the run ends, on each tier's real schedule`,
  );
  lane.root.classList.toggle('meets', verdict?.basis === 'final' && verdict.meets);
  if (tier) {
    set('correct', tier.correct ? 'yes: equals the ground truth' : `NO: ${tier.mismatches} windows differ, ${tier.unseen} unseen, ${tier.appliedTwice} applied twice`);
    set('cost', `${dollars(tier.cost.usdPerYear)} projected at ${count(view.final!.eventsPerDay)} events/day (${Math.round(tier.cost.measuredShare * 100)}% measured)`);
  } else {
    set('correct', tick?.state === 'errored' ? 'NO: the tier failed' : 'checked against the ground truth at the end');
    // The cost model prices measured CPU and bytes, known only when the tier's process is done.
    set('cost', 'projected when the run ends');
  }
}

function renderRecommendation(): void {
  const box = $('#recommendation');
  if (!view.final) {
    box.textContent = `At ${human(view.slaMicros)}: the recommendation comes when the run ends and every tier is checked against the ground truth.`;
    return;
  }
  const { tier, why } = recommendationAt(view.final, view.slaMicros);
  box.dataset.tier = tier ?? 'none';
  box.textContent = `${tier ? `Recommended: ${tier}. ` : ''}${why}`;
}

function renderSla(): void {
  $('#sla-value').textContent = human(view.slaMicros);
  renderLanes();
  renderRecommendation();
}

function renderFinal(final: DemoFinal): void {
  view.final = final;
  const link = $<HTMLAnchorElement>('#report-link');
  link.href = final.reportHref;
  $<HTMLAnchorElement>('#summary-link').href = final.summaryHref;
  $('#done').hidden = false;
  $('#run-id').textContent = final.runId;
  renderWeek(final.weekChartSvg);
  renderSla();
}

/** The report's week chart, as the server drew it from the summary (our own SVG, its text escaped there). */
function renderWeek(svg: string): void {
  const section = $('#week');
  section.innerHTML = svg;
  section.hidden = svg === '';
}

function addStage(message: string): void {
  const li = document.createElement('li');
  li.textContent = message;
  $('#stages').append(li);
  $('#stage').textContent = ` · ${message}`;
}

function onHello(hello: DemoHello): void {
  view.hello = hello;
  view.history = [...hello.history];
  view.markers = hello.faults;
  view.slaMicros ||= hello.scenario.slaMicros;
  $('#title').textContent = hello.scenario.title;
  $('#question').textContent = hello.scenario.question;
  $('#execution').textContent =
    hello.execution === 'together'
      ? 'The tiers run side by side on one stream: their figures include contention for this machine (tierlab run measures each alone).'
      : 'Each tier runs alone on the identical stream, one after another: a lane is live while its tier is fed.';
  $<HTMLInputElement>('#sla').value = String(microsToSlider(view.slaMicros));
  $('#stages').replaceChildren();
  for (const stage of hello.stages) addStage(stage);
  buildLanes(hello);
  if (hello.failed) $('#failed').textContent = `The run failed: ${hello.failed}`;
  if (hello.final) renderFinal(hello.final);
  else renderSla();
}

function on<K extends keyof DemoEvents>(source: EventSource, event: K, handle: (data: DemoEvents[K]) => void): void {
  source.addEventListener(event, (message) => handle(JSON.parse((message as MessageEvent<string>).data) as DemoEvents[K]));
}

function connect(): void {
  const source = new EventSource('/api/stream');
  on(source, 'hello', onHello);
  on(source, 'tick', (tick) => {
    view.history.push(tick);
    $('#clock').textContent = `${new Date(tick.atMs).toLocaleTimeString()} · ${tick.pass ?? ''} ${tick.phase ?? ''} · ${count(tick.produced)} events produced`;
    renderLanes();
  });
  on(source, 'stage', ({ message }) => addStage(message));
  on(source, 'faults', (markers) => {
    view.markers = markers;
    renderLanes();
  });
  on(source, 'final', renderFinal);
  on(source, 'failed', ({ message }) => ($('#failed').textContent = `The run failed: ${message}`));
  source.onerror = () => ($('#connection').textContent = view.final ? '' : 'connection to the demo lost; retrying…');
  source.onopen = () => ($('#connection').textContent = '');
}

$('#faults').prepend(faultButton('broker-restart', 'restart the Kafka broker'));
$<HTMLInputElement>('#sla').addEventListener('input', (event) => {
  view.slaMicros = sliderToMicros(Number((event.target as HTMLInputElement).value));
  renderSla();
});
addEventListener('resize', () => view.lanes.forEach((lane) => lane.chart.resize()));
connect();
