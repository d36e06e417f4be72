/**
 * Small SVG charts for synth reports. The line chart: panels stacked vertically, each with axes, ticks,
 * gridlines, a legend and its series as polylines; the bar chart: groups of stacked bars. No
 * domain knowledge; fixed number formatting, so the same data gives the same bytes.
 */

export interface ChartSeries {
  readonly name: string;
  /** [x, y] in data units, drawn in the given order. */
  readonly points: readonly (readonly [number, number])[];
  /** Any SVG colour, e.g. "#1f77b4". */
  readonly color: string;
  /** Draw dashed, to tell a limit (capacity) from a flow (load). @default false */
  readonly dashed?: boolean;
}

export interface ChartPanel {
  readonly title: string;
  readonly series: readonly ChartSeries[];
}

export interface LineChartOptions {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly panels: readonly ChartPanel[];
  /** @default 760 */
  readonly width?: number;
  /** Height of each panel, its title and legend included. @default 300 */
  readonly panelHeight?: number;
  /** Tick labels of the x axis. @default the number, up to two decimals */
  readonly formatX?: (x: number) => string;
  /** Tick labels of the y axis. @default the number, up to two decimals */
  readonly formatY?: (y: number) => string;
}

const MARGIN = { left: 72, right: 24, top: 44, bottom: 64 };
const TITLE_HEIGHT = 32;

/** The chart as a standalone SVG document. */
export function lineChart(options: LineChartOptions): string {
  const width = options.width ?? 760;
  const panelHeight = options.panelHeight ?? 300;
  const height = TITLE_HEIGHT + options.panels.length * panelHeight;
  const formatX = options.formatX ?? plain;
  const formatY = options.formatY ?? plain;
  const lines = documentStart(width, height, options.title);
  options.panels.forEach((panel, i) => lines.push(...drawPanel(panel, TITLE_HEIGHT + i * panelHeight, width, panelHeight, options, formatX, formatY)));
  lines.push('</svg>');
  return `${lines.join('\n')}\n`;
}

function drawPanel(
  panel: ChartPanel,
  top: number,
  width: number,
  height: number,
  options: LineChartOptions,
  formatX: (x: number) => string,
  formatY: (y: number) => string,
): string[] {
  const all = panel.series.flatMap((s) => s.points);
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => y);
  const xTicks = niceTicks(Math.min(0, ...xs), Math.max(1, ...xs));
  const yTicks = niceTicks(Math.min(0, ...ys), Math.max(1, ...ys));
  const [x0, x1] = [xTicks[0], xTicks[xTicks.length - 1]];
  const [y0, y1] = [yTicks[0], yTicks[yTicks.length - 1]];
  const left = MARGIN.left;
  const right = width - MARGIN.right;
  const plotTop = top + MARGIN.top;
  const bottom = top + height - MARGIN.bottom;
  const px = (x: number) => left + ((x - x0) / (x1 - x0)) * (right - left);
  const py = (y: number) => bottom - ((y - y0) / (y1 - y0)) * (bottom - plotTop);
  const out = [`<g class="panel">`, `<text x="${left}" y="${n(top + 20)}" font-size="13" font-weight="bold">${escapeXml(panel.title)}</text>`];
  const plot = { left, right, top: plotTop, bottom };
  out.push(...yGridlines(plot, yTicks, py, formatY));
  for (const x of xTicks) {
    out.push(`<line x1="${n(px(x))}" y1="${n(bottom)}" x2="${n(px(x))}" y2="${n(bottom + 5)}" stroke="#333333"/>`);
    out.push(`<text x="${n(px(x))}" y="${n(bottom + 18)}" text-anchor="middle">${escapeXml(formatX(x))}</text>`);
  }
  out.push(...axes(plot));
  out.push(`<text x="${n((left + right) / 2)}" y="${n(bottom + 36)}" text-anchor="middle">${escapeXml(options.xLabel)}</text>`);
  out.push(yAxisLabel(plot, options.yLabel));
  for (const s of panel.series) {
    const points = s.points.map(([x, y]) => `${n(px(x))},${n(py(y))}`).join(' ');
    out.push(
      `<polyline class="series" data-name="${escapeXml(s.name)}" fill="none" stroke="${escapeXml(s.color)}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''} points="${points}"/>`,
    );
  }
  // The legend, in one row under the axis label.
  const legendY = bottom + 54;
  out.push(
    ...legendRow(
      left,
      n(legendY),
      panel.series.map((s) => ({
        name: s.name,
        textOffset: 30,
        swatch: (x: number) =>
          `<line x1="${x}" y1="${n(legendY - 4)}" x2="${x + 24}" y2="${n(legendY - 4)}" stroke="${escapeXml(s.color)}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      })),
    ),
  );
  out.push('</g>');
  return out;
}

/** A plot area in SVG coordinates. */
interface PlotArea {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/** The XML declaration, the `<svg>` element, its title, a white background and the title as text. */
function documentStart(width: number, height: number, title: string): string[] {
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="15" font-weight="bold">${escapeXml(title)}</text>`,
  ];
}

/** A light gridline across the plot and a label left of the axis, per y tick. */
function yGridlines(plot: PlotArea, ticks: readonly number[], py: (y: number) => number, format: (y: number) => string): string[] {
  return ticks.flatMap((y) => [
    `<line x1="${plot.left}" y1="${n(py(y))}" x2="${plot.right}" y2="${n(py(y))}" stroke="#e0e0e0"/>`,
    `<text x="${plot.left - 6}" y="${n(py(y) + 4)}" text-anchor="end">${escapeXml(format(y))}</text>`,
  ]);
}

/** The x axis along the bottom and the y axis along the left of the plot. */
function axes(plot: PlotArea): string[] {
  return [
    `<line x1="${plot.left}" y1="${n(plot.bottom)}" x2="${plot.right}" y2="${n(plot.bottom)}" stroke="#333333"/>`,
    `<line x1="${plot.left}" y1="${n(plot.top)}" x2="${plot.left}" y2="${n(plot.bottom)}" stroke="#333333"/>`,
  ];
}

/** The y axis' label, turned to read upwards, left of the tick labels. */
function yAxisLabel(plot: PlotArea, label: string): string {
  const yMid = n((plot.top + plot.bottom) / 2);
  return `<text x="16" y="${yMid}" text-anchor="middle" transform="rotate(-90 16 ${yMid})">${escapeXml(label)}</text>`;
}

/** One legend entry: its swatch drawn at `x`, its name `textOffset` to the right. */
interface LegendEntry {
  readonly name: string;
  readonly textOffset: number;
  readonly swatch: (x: number) => string;
}

/** The legend in one row from `left`, each entry as wide as its name needs (at least 60). */
function legendRow(left: number, textY: string, entries: readonly LegendEntry[]): string[] {
  let x = left;
  return entries.flatMap((entry) => {
    const drawn = [entry.swatch(x), `<text x="${x + entry.textOffset}" y="${textY}">${escapeXml(entry.name)}</text>`];
    x += entry.textOffset + Math.max(60, entry.name.length * 7) + 16;
    return drawn;
  });
}

/** Round ticks (1, 2 or 5 times a power of ten) covering [min, max], about six of them. */
export function niceTicks(min: number, max: number, count = 6): number[] {
  const span = max - min || 1;
  const raw = span / (count - 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const first = Math.floor(min / step + 1e-9) * step;
  const ticks: number[] = [];
  for (let t = first; t < max + step - 1e-9 * step; t += step) ticks.push(Math.round(t / step) * step);
  if (ticks.length < 2) ticks.push(first + step);
  return ticks.map((t) => Number(t.toPrecision(12)));
}

function plain(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** Coordinates to one decimal, always written the same way. */
function n(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A part of a stacked bar: one series' value. */
export interface BarSegment {
  readonly series: string;
  readonly value: number;
}

/** One bar: its segments stacked bottom to top, and a mark (a need, a limit) drawn across it. */
export interface Bar {
  readonly label: string;
  readonly segments: readonly BarSegment[];
  readonly mark?: { readonly value: number; readonly label: string };
}

/** Bars side by side under one name (a service, say). */
export interface BarGroup {
  readonly name: string;
  readonly bars: readonly Bar[];
}

export interface BarChartOptions {
  readonly title: string;
  readonly yLabel: string;
  /** The series in legend and stacking order, each with its colour. */
  readonly series: readonly { readonly name: string; readonly color: string }[];
  readonly groups: readonly BarGroup[];
  /** @default 120 per group, at least 480 */
  readonly width?: number;
  /** @default 360 */
  readonly height?: number;
}

const BAR = { width: 36, gap: 8 } as const;

/** A grouped, stacked bar chart as a standalone SVG document; each segment and bar total written as text. */
export function barChart(options: BarChartOptions): string {
  const groupWidth = Math.max(...options.groups.map((g) => g.bars.length), 1) * (BAR.width + BAR.gap) + 40;
  const width = options.width ?? Math.max(480, MARGIN.left + MARGIN.right + options.groups.length * groupWidth);
  const height = options.height ?? 360;
  const colorOf = new Map(options.series.map((s) => [s.name, s.color]));
  const totals = options.groups.flatMap((g) => g.bars.map((b) => Math.max(sum(b.segments), b.mark?.value ?? 0)));
  const ticks = niceTicks(0, Math.max(1, ...totals));
  const top = ticks[ticks.length - 1];
  const left = MARGIN.left;
  const right = width - MARGIN.right;
  const plotTop = TITLE_HEIGHT + 16;
  const bottom = height - MARGIN.bottom - 16;
  const py = (y: number) => bottom - (y / top) * (bottom - plotTop);
  const plot = { left, right, top: plotTop, bottom };
  const out = [...documentStart(width, height, options.title), ...yGridlines(plot, ticks, py, plain), ...axes(plot), yAxisLabel(plot, options.yLabel)];
  const band = (right - left) / Math.max(1, options.groups.length);
  options.groups.forEach((group, g) => {
    const center = left + band * (g + 0.5);
    const span = group.bars.length * (BAR.width + BAR.gap) - BAR.gap;
    out.push(`<g class="group" data-name="${escapeXml(group.name)}">`);
    group.bars.forEach((bar, b) => {
      const x = center - span / 2 + b * (BAR.width + BAR.gap);
      let base = 0;
      out.push(`<g class="bar" data-name="${escapeXml(bar.label)}">`);
      for (const segment of bar.segments) {
        if (segment.value <= 0) continue;
        const y0 = py(base);
        const y1 = py(base + segment.value);
        out.push(
          `<rect class="segment" data-series="${escapeXml(segment.series)}" data-value="${segment.value}" x="${n(x)}" y="${n(y1)}" width="${BAR.width}" height="${n(y0 - y1)}" fill="${escapeXml(colorOf.get(segment.series) ?? '#999999')}"/>`,
        );
        if (y0 - y1 >= 14)
          out.push(
            `<text x="${n(x + BAR.width / 2)}" y="${n((y0 + y1) / 2 + 4)}" text-anchor="middle" fill="#ffffff">${escapeXml(plain(segment.value))}</text>`,
          );
        base += segment.value;
      }
      out.push(`<text x="${n(x + BAR.width / 2)}" y="${n(py(base) - 4)}" text-anchor="middle" font-weight="bold">${escapeXml(plain(base))}</text>`);
      if (bar.mark) {
        const y = py(bar.mark.value);
        out.push(
          `<line class="mark" data-value="${bar.mark.value}" x1="${n(x - 4)}" y1="${n(y)}" x2="${n(x + BAR.width + 4)}" y2="${n(y)}" stroke="#000000" stroke-width="2" stroke-dasharray="4 3"><title>${escapeXml(bar.mark.label)}</title></line>`,
        );
      }
      out.push(`<text x="${n(x + BAR.width / 2)}" y="${n(bottom + 16)}" text-anchor="middle">${escapeXml(bar.label)}</text>`);
      out.push('</g>');
    });
    out.push(`<text x="${n(center)}" y="${n(bottom + 34)}" text-anchor="middle" font-weight="bold">${escapeXml(group.name)}</text>`);
    out.push('</g>');
  });
  // The legend, in one row under the group names; a mark's meaning comes last.
  const legendY = height - 16;
  const markLabel = options.groups.flatMap((g) => g.bars).find((b) => b.mark)?.mark?.label;
  out.push(
    ...legendRow(left, String(legendY), [
      ...options.series.map((s) => ({
        name: s.name,
        textOffset: 20,
        swatch: (x: number) => `<rect x="${x}" y="${legendY - 10}" width="14" height="12" fill="${escapeXml(s.color)}"/>`,
      })),
      ...(markLabel
        ? [
            {
              name: markLabel,
              textOffset: 30,
              swatch: (x: number) =>
                `<line x1="${x}" y1="${legendY - 4}" x2="${x + 24}" y2="${legendY - 4}" stroke="#000000" stroke-width="2" stroke-dasharray="4 3"/>`,
            },
          ]
        : []),
    ]),
  );
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

function sum(segments: readonly BarSegment[]): number {
  return segments.reduce((total, s) => total + Math.max(0, s.value), 0);
}
