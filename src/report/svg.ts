/** Small SVG building blocks; the charts are drawn here so the report needs no browser library. */

export const palette: Record<string, string> = {
  batch: '#4C72B0',
  microbatch: '#DD8452',
  streaming: '#55A868',
  sla: '#C44E52',
  grid: '#e3e3e3',
  text: '#333',
};

export const stageColours = ['#8C8C8C', '#64B5CD', '#CCB974', '#8172B3', '#DA8BC3'];

export function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;');
}

export interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

export const frame = (width: number, height: number, left = 70, right = 20, top = 30, bottom = 45): Frame => ({
  width,
  height,
  left,
  right,
  top,
  bottom,
});

/** A linear map from [min, max] onto [from, to]. */
export function scale(min: number, max: number, from: number, to: number): (value: number) => number {
  const span = max - min || 1;
  return (value) => from + ((value - min) / span) * (to - from);
}

export function svg(f: Frame, title: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" font-family="system-ui, sans-serif" font-size="11">`,
    `<title>${escapeXml(title)}</title>`,
    ...body,
    '</svg>',
  ].join('\n');
}

/**
 * The attributes of one element: the builder's defaults, then the caller's extras. XML allows a
 * name once per element (a second `fill` makes the SVG invalid and browsers drop the colour), so
 * an extra named like a default replaces it in place instead of being appended.
 */
export function attributes(defaults: Record<string, string>, extra = ''): string {
  const merged = new Map(Object.entries(defaults));
  const rest = extra.replace(/([A-Za-z_:][\w:.-]*)="([^"]*)"/g, (_, name: string, value: string) => {
    merged.set(name, value);
    return '';
  });
  // Anything left over is not name="value": a caller's typo that would otherwise ship as broken XML.
  if (rest.trim() !== '') throw new Error(`not an SVG attribute list: ${JSON.stringify(extra)}`);
  return [...merged].map(([name, value]) => `${name}="${value}"`).join(' ');
}

/** A text label, in the text colour unless `attrs` names a `fill` of its own. */
export function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text ${attributes({ x: x.toFixed(1), y: y.toFixed(1), fill: palette.text! }, attrs)}>${escapeXml(content)}</text>`;
}

export function line(x1: number, y1: number, x2: number, y2: number, stroke: string, attrs = ''): string {
  return `<line ${attributes({ x1: x1.toFixed(1), y1: y1.toFixed(1), x2: x2.toFixed(1), y2: y2.toFixed(1), stroke }, attrs)}/>`;
}

export function rect(x: number, y: number, width: number, height: number, fill: string, tip: string): string {
  return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(0, width).toFixed(1)}" height="${height.toFixed(1)}" fill="${fill}"><title>${escapeXml(tip)}</title></rect>`;
}

export function polyline(points: Array<[number, number]>, stroke: string, attrs = ''): string {
  const d = points.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
  return `<polyline ${attributes({ points: d, fill: 'none', stroke, 'stroke-width': '2' }, attrs)}/>`;
}

/** A legend of five entries a row; `dashed` names the entries drawn dashed. */
export function legend(x: number, y: number, entries: Array<[string, string]>, dashed: string[] = []): string[] {
  return entries.flatMap(([label, colour], i) => {
    const left = x + (i % 5) * 130;
    const top = y + Math.floor(i / 5) * 14;
    return [
      line(left, top, left + 22, top, colour, `stroke-width="3"${dashed.includes(label) ? ' stroke-dasharray="5,3"' : ''}`),
      text(left + 28, top + 4, label),
    ];
  });
}

/** Powers of ten between two values, for log axes. */
export function decades(min: number, max: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) out.push(10 ** e);
  return out;
}
