// The digest's trend chart as a PNG, drawn pixel by pixel: pure JavaScript (pngjs), so it renders
// headless on any Node 20 without native canvas builds or downloaded binaries.
import { PNG } from 'pngjs';
import type { ChartGroup } from './digests.models.ts';

type Rgb = [number, number, number];

export interface ChartInput {
  /** One label per week, oldest first, such as "03/02". */
  weekLabels: string[];
  groups: ChartGroup[];
}

const WIDTH = 800;
const HEIGHT = 360;
const MARGIN = { left: 56, right: 16, top: 24, bottom: 40 };
const AXIS: Rgb = [90, 90, 90];
const GRID: Rgb = [228, 228, 228];

// 3×5 glyphs for the digits and separators axis labels use, one row per 3 bits.
const GLYPHS: Record<string, number[]> = {
  '0': [7, 5, 5, 5, 7], '1': [2, 6, 2, 2, 7], '2': [7, 1, 7, 4, 7], '3': [7, 1, 7, 1, 7], '4': [5, 5, 7, 1, 1],
  '5': [7, 4, 7, 1, 7], '6': [7, 4, 7, 5, 7], '7': [7, 1, 2, 2, 2], '8': [7, 5, 7, 5, 7], '9': [7, 5, 7, 1, 7],
  '/': [1, 1, 2, 4, 4], '-': [0, 0, 7, 0, 0], ' ': [0, 0, 0, 0, 0],
};

class Canvas {
  readonly png = new PNG({ width: WIDTH, height: HEIGHT });
  constructor() {
    this.png.data.fill(255);
  }
  rect(x: number, y: number, w: number, h: number, [r, g, b]: Rgb) {
    for (let yy = Math.max(0, Math.round(y)); yy < Math.min(HEIGHT, Math.round(y + h)); yy++) {
      for (let xx = Math.max(0, Math.round(x)); xx < Math.min(WIDTH, Math.round(x + w)); xx++) {
        const i = (yy * WIDTH + xx) * 4;
        this.png.data[i] = r;
        this.png.data[i + 1] = g;
        this.png.data[i + 2] = b;
        this.png.data[i + 3] = 255;
      }
    }
  }
  /** Draws text in the small glyph font at `scale`; `anchor` picks which end `x` is. */
  text(s: string, x: number, y: number, scale = 2, anchor: 'left' | 'center' | 'right' = 'left', color: Rgb = AXIS) {
    const width = s.length * 4 * scale - scale;
    const left = anchor === 'left' ? x : anchor === 'center' ? x - width / 2 : x - width;
    [...s].forEach((ch, i) => {
      (GLYPHS[ch] ?? GLYPHS[' ']!).forEach((bits, row) => {
        for (let col = 0; col < 3; col++) if (bits & (4 >> col)) this.rect(left + (i * 4 + col) * scale, y + row * scale, scale, scale, color);
      });
    });
  }
}

/** A round axis maximum at or above `max`: 1, 2 or 5 times a power of ten. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return [1, 2, 5, 10].map((m) => m * power).find((v) => v >= max)!;
}

/** Renders stacked weekly bars, one bar per group side by side in each week, as PNG bytes. */
export function renderWeeklyChart({ weekLabels, groups }: ChartInput): Buffer {
  const canvas = new Canvas();
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const totals = weekLabels.map((_, w) => groups.map((g) => g.series.reduce((sum, s) => sum + (s.values[w] ?? 0), 0)));
  const top = niceMax(Math.max(0, ...totals.flat()));
  const y = (v: number) => MARGIN.top + plotH - (v / top) * plotH;

  for (let i = 0; i <= 4; i++) {
    const value = (top * i) / 4;
    canvas.rect(MARGIN.left, y(value), plotW, 1, GRID);
    if (Number.isInteger(value)) canvas.text(String(value), MARGIN.left - 8, y(value) - 5, 2, 'right');
  }
  const slot = plotW / Math.max(1, weekLabels.length);
  const barW = (slot * 0.7) / Math.max(1, groups.length);
  weekLabels.forEach((label, w) => {
    const x0 = MARGIN.left + w * slot + slot * 0.15;
    groups.forEach((group, g) => {
      let base = 0;
      for (const s of group.series) {
        const v = s.values[w] ?? 0;
        if (v > 0) canvas.rect(x0 + g * barW + 1, y(base + v), barW - 2, y(base) - y(base + v), s.color);
        base += v;
      }
    });
    canvas.text(label, MARGIN.left + w * slot + slot / 2, HEIGHT - MARGIN.bottom + 12, 2, 'center');
  });
  canvas.rect(MARGIN.left, MARGIN.top, 1, plotH, AXIS);
  canvas.rect(MARGIN.left, MARGIN.top + plotH, plotW, 1, AXIS);
  return PNG.sync.write(canvas.png);
}
