// The step chart: Chart.js line chart of one quantity against step, one series
// per optimizer in its path colour, log y axis. The quantity (METRICS) is the
// loss, the distance to the nearest known minimum, the step length, or the
// effective learning rate per coordinate |Δθᵢ / gᵢ| (two series per optimizer:
// x solid, y dashed). Hovering reports the step under the pointer through
// `onHover(k)` (-1 when the pointer leaves). Animation is off and decimation on
// (our own, see Series, so a frame costs O(new rows), and Chart.js's on top);
// series grow incrementally from the trajectories each frame, and while the
// animation plays the chart redraws at most every REDRAW_MS (the surface view
// is the live picture; redrawing Chart.js every frame would cost most of it).
//
// A log axis cannot show zero, negative or non-finite losses, so only finite
// positive values are plotted (a diverged run simply stops). The axis spans
// whole decades: its floor is 1e-16 (below that a curve leaves the chart,
// converged to rounding level), its ceiling 1,000 times the highest start, so
// a diverging run shoots off the top instead of squashing the other curves.

import {
  Chart, LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Decimation,
} from 'chart.js';
import { formatValue, formatCount } from '../format.js';
import { createDecadeAxis } from './decade-axis.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Tooltip, Decimation);

const FLOOR = 1e-16;
const CEILING_DECADES = 3;
const REDRAW_MS = 100;

// Each metric: the axis title and the value at row k of a run (NaN = none).
// ctx: { offset, minima }; run: { trajectory (x, y, f rows), gradients (gx, gy rows) }.
export const METRICS = {
  loss: { title: (ctx) => ctx.title, values: (run, k, ctx) => [run.trajectory[3 * k + 2] - ctx.offset] },
  distance: {
    title: (ctx) => (ctx.minima.length ? 'distance to nearest minimum' : 'no known minimum here'),
    values: (run, k, ctx) => {
      const x = run.trajectory[3 * k];
      const y = run.trajectory[3 * k + 1];
      let best = NaN;
      for (const m of ctx.minima) {
        const d = Math.hypot(x - m.x, y - m.y);
        if (!(d >= best)) best = d;
      }
      return [best];
    },
  },
  step: {
    title: () => '|θₜ − θₜ₋₁|',
    values: (run, k) => (k === 0 ? [NaN] : [Math.hypot(
      run.trajectory[3 * k] - run.trajectory[3 * k - 3], run.trajectory[3 * k + 1] - run.trajectory[3 * k - 2])]),
  },
  // The learning rate step k ran with (its schedule's, or the lr setting).
  rate: {
    title: () => 'learning rate ηₜ',
    values: (run, k) => [k === 0 || !run.rates || k > run.rates.length ? NaN : run.rates[k - 1]],
  },
  lr: {
    title: () => '|Δθᵢ / gᵢ|  (x solid, y dashed)',
    perCoordinate: true,
    values: (run, k) => {
      if (k === 0 || 2 * k > run.gradients.length) return [NaN, NaN];
      const t = run.trajectory;
      const g = run.gradients;
      return [Math.abs((t[3 * k] - t[3 * k - 3]) / g[2 * k - 2]), Math.abs((t[3 * k + 1] - t[3 * k - 2]) / g[2 * k - 1])];
    },
  },
};

// One plotted series: the value at every row read (NaN where nothing is
// plotted) and a min-max decimation of it into at most MAX_BUCKETS buckets of
// `width` rows (a power of two, doubled by merging neighbours when the buckets
// run out), so an update costs O(new rows) and Chart.js is handed at most
// 2 * MAX_BUCKETS points however long the run. `end`: rows shown (the timeline
// may be behind the rows read).
const MAX_BUCKETS = 512;

class Series {
  constructor(run, coordinate) {
    this.run = run;
    this.coordinate = coordinate;
    this.values = new Float64Array(1024);
    this.consumed = 0;
    this.end = 0;
    this.plotted = 0; // finite positive values read
    this.width = 1;
    this.count = 0;
    this.minK = new Int32Array(MAX_BUCKETS).fill(-1);
    this.minY = new Float64Array(MAX_BUCKETS);
    this.maxK = new Int32Array(MAX_BUCKETS).fill(-1);
    this.maxY = new Float64Array(MAX_BUCKETS);
  }

  push(k, value) {
    if (k >= this.values.length) {
      const grown = new Float64Array(2 * this.values.length);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[k] = value;
    if (!(Number.isFinite(value) && value > 0)) return;
    ++this.plotted;
    let b = Math.floor(k / this.width);
    while (b >= MAX_BUCKETS) {
      this.merge();
      b = Math.floor(k / this.width);
    }
    for (; this.count <= b; ++this.count) this.minK[this.count] = this.maxK[this.count] = -1;
    if (this.minK[b] < 0 || value < this.minY[b]) { this.minK[b] = k; this.minY[b] = value; }
    if (this.maxK[b] < 0 || value > this.maxY[b]) { this.maxK[b] = k; this.maxY[b] = value; }
  }

  // Halves the bucket count: bucket i becomes buckets 2i and 2i + 1 together.
  merge() {
    const half = Math.ceil(this.count / 2);
    for (let i = 0; i < half; ++i) {
      let [lk, ly, hk, hy] = [this.minK[2 * i], this.minY[2 * i], this.maxK[2 * i], this.maxY[2 * i]];
      const j = 2 * i + 1;
      if (j < this.count && this.minK[j] >= 0) {
        if (lk < 0 || this.minY[j] < ly) { lk = this.minK[j]; ly = this.minY[j]; }
        if (hk < 0 || this.maxY[j] > hy) { hk = this.maxK[j]; hy = this.maxY[j]; }
      }
      this.minK[i] = lk; this.minY[i] = ly; this.maxK[i] = hk; this.maxY[i] = hy;
    }
    for (let i = half; i < this.count; ++i) this.minK[i] = this.maxK[i] = -1;
    this.count = half;
    this.width *= 2;
  }

  // The points Chart.js draws: each whole bucket's min and max in step order,
  // the last, partly shown bucket from the values themselves, and the last step.
  points() {
    const out = [];
    const add = (k1, y1, k2, y2) => {
      if (k1 < 0) return;
      if (k1 === k2) out.push({ x: k1, y: y1 });
      else if (k1 < k2) out.push({ x: k1, y: y1 }, { x: k2, y: y2 });
      else out.push({ x: k2, y: y2 }, { x: k1, y: y1 });
    };
    const whole = Math.min(this.count, Math.floor(this.end / this.width));
    for (let b = 0; b < whole; ++b) add(this.minK[b], this.minY[b], this.maxK[b], this.maxY[b]);
    let lk = -1; let ly = 0; let hk = -1; let hy = 0;
    for (let k = whole * this.width; k < this.end; ++k) {
      const v = this.values[k];
      if (!(Number.isFinite(v) && v > 0)) continue;
      if (lk < 0 || v < ly) { lk = k; ly = v; }
      if (hk < 0 || v > hy) { hk = k; hy = v; }
    }
    add(lk, ly, hk, hy);
    // The line ends at the last step shown, whatever its stretch's extremes.
    for (let k = this.end - 1; k >= 0 && k >= this.end - this.width; --k) {
      const v = this.values[k];
      if (!(Number.isFinite(v) && v > 0)) continue;
      if (!out.length || out[out.length - 1].x < k) out.push({ x: k, y: v });
      break;
    }
    return out;
  }

  /** The last plotted point up to `end`, or null. */
  last() {
    for (let k = this.end - 1; k >= 0; --k) {
      const v = this.values[k];
      if (Number.isFinite(v) && v > 0) return { x: k, y: v };
    }
    return null;
  }

  /** Every plotted point up to `end`, undecimated. */
  all() {
    const out = [];
    for (let k = 0; k < this.end; ++k) {
      const v = this.values[k];
      if (Number.isFinite(v) && v > 0) out.push({ x: k, y: v });
    }
    return out;
  }
}

export function createLossChart(canvas, { onHover = () => {} } = {}) {
  let offset = 0; // the loss chart shows f - offset (see setRuns)
  let metric = 'loss';
  let context = { offset: 0, title: 'loss f(x, y)', minima: [] };
  let runInfo = []; // [{ label, colour }] of setRuns
  let series = []; // per dataset: a Series
  let extent = { lo: Infinity, hi: 0, startHi: 0 }; // of all plotted losses
  let lastDraw = 0;
  const yAxis = createDecadeAxis();

  const chart = new Chart(canvas, {
    type: 'line',
    data: { datasets: [] },
    options: {
      animation: false,
      parsing: false,
      normalized: true,
      spanGaps: true,
      responsive: true,
      maintainAspectRatio: false,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      onHover: (event) => {
        const scale = chart.scales.x;
        if (event.type === 'mouseout' || !scale) return onHover(-1);
        const k = Math.round(scale.getValueForPixel(event.x));
        onHover(event.x >= scale.left && event.x <= scale.right && k >= 0 ? k : -1);
      },
      elements: { point: { radius: 0, hoverRadius: 3 }, line: { borderWidth: 2, tension: 0 } },
      plugins: {
        // min-max keeps each pixel column's extremes, so oscillations stay visible.
        decimation: { enabled: true, algorithm: 'min-max' },
        tooltip: {
          callbacks: {
            title: (items) => (items.length ? `step ${formatCount(items[0].parsed.x)}` : ''),
            label: (item) => ` ${item.dataset.label}: ${formatValue(item.parsed.y + (metric === 'loss' ? offset : 0))}`,
          },
        },
      },
      scales: {
        x: {
          type: 'linear',
          min: 0,
          suggestedMax: 10,
          title: { display: true, text: 'step' },
          ticks: { maxTicksLimit: 6, callback: (v) => formatCount(v) },
        },
        y: yAxis.options('loss f(x, y)'),
      },
    },
  });

  canvas.addEventListener('mouseleave', () => onHover(-1));

  // Whole decades from the lowest loss (not below FLOOR) to the highest, at
  // most CEILING_DECADES above the highest start.
  function fitAxis() {
    const { lo, hi, startHi } = extent;
    const ceiling = hi > 0 ? 10 ** (Math.ceil(Math.log10(startHi)) + CEILING_DECADES) : 0;
    yAxis.fit(chart.options.scales.y, Math.max(lo, FLOOR), Math.min(hi, ceiling));
  }

  // New, empty series for runInfo and the metric.
  function rebuild() {
    const { perCoordinate } = METRICS[metric];
    const coordinates = perCoordinate ? [0, 1] : [0];
    series = [];
    chart.data.datasets = [];
    runInfo.forEach((run, i) => {
      for (const coordinate of coordinates) {
        series.push(new Series(i, coordinate));
        chart.data.datasets.push({
          label: perCoordinate ? `${run.label} (${coordinate ? 'y' : 'x'})` : run.label,
          data: [],
          borderColor: run.colour,
          backgroundColor: run.colour,
          borderDash: coordinate ? [5, 4] : [],
        });
      }
    });
    extent = { lo: Infinity, hi: 0, startHi: 0 };
    chart.options.scales.y.title.text = METRICS[metric].title(context);
    draw();
  }

  function draw() {
    series.forEach((s, d) => { chart.data.datasets[d].data = s.points(); });
    fitAxis();
    chart.update('none');
    lastDraw = performance.now();
  }

  return {
    chart,
    /**
     * Starts new, empty series. runs: [{ label, colour }]; baseline: what the
     * y axis measures, { value, title }: f - value is plotted, e.g. the gap to
     * the surface's global minimum.
     */
    setRuns(runs, baseline = { value: 0, title: 'loss f(x, y)' }, minima = []) {
      offset = baseline.value;
      context = { offset, title: baseline.title, minima };
      runInfo = runs;
      rebuild();
    },
    /** Switches the quantity shown (a METRICS key); the series are recomputed on the next update. */
    setMetric(next) {
      if (!(next in METRICS) || next === metric) return;
      metric = next;
      rebuild();
    },
    get metric() {
      return metric;
    },
    /**
     * Appends the trajectory rows (x, y, f) not yet plotted; redraws unless
     * `throttle` is set and the last redraw was less than REDRAW_MS ago.
     */
    update(runs, { throttle = false } = {}) {
      const { values } = METRICS[metric];
      series.forEach((s, d) => {
        const run = runs[s.run];
        if (!run) return;
        const rows = run.trajectory.length / 3;
        const end = run.divergedAt >= 0 ? Math.min(rows, run.divergedAt) : rows;
        if (chart.data.datasets[d]) chart.data.datasets[d].hidden = Boolean(run.hidden);
        // Rows already read keep their values: going back and forth on the timeline reads nothing again.
        for (let k = s.consumed; k < end; ++k) {
          const value = values(run, k, context)[s.coordinate];
          if (Number.isFinite(value) && value > 0) {
            if (s.plotted === 0) extent.startHi = Math.max(extent.startHi, value);
            if (value < extent.lo) extent.lo = value;
            if (value > extent.hi) extent.hi = value;
          }
          s.push(k, value);
        }
        s.consumed = Math.max(s.consumed, end);
        s.end = end;
      });
      if (!throttle || performance.now() - lastDraw >= REDRAW_MS) draw();
    },
    /** What the chart shows, in words: the quantity and each series' last value (its text alternative). */
    summary() {
      const parts = series.map((s, d) => {
        const last = s.last();
        const label = chart.data.datasets[d]?.label ?? '';
        return last ? `${label} ${formatValue(last.y)} at step ${formatCount(last.x)}` : `${label} nothing plotted`;
      });
      return `${chart.options.scales.y.title.text} against step, log scale${parts.length ? ': ' : ''}${parts.join('; ')}.`;
    },
    /** New colours for the current series (after a theme change). */
    setColours(colours) {
      chart.data.datasets.forEach((ds, d) => {
        ds.borderColor = ds.backgroundColor = colours[series[d].run];
      });
      chart.update('none');
    },
    setTheme(theme) {
      chart.options.color = theme.inkMuted;
      chart.options.font = { family: theme.font };
      for (const axis of ['x', 'y']) {
        const scale = chart.options.scales[axis];
        scale.ticks.color = theme.inkMuted;
        scale.title.color = theme.inkMuted;
        scale.border = { color: theme.grid };
        scale.grid = { color: theme.grid };
      }
      chart.update('none');
    },
    /** The full (undecimated) plotted points per dataset up to the step shown (per run, or per run and coordinate for lr). */
    series: () => series.map((s) => s.all()),
  };
}
