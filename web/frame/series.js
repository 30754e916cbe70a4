// The step chart's data, DOM-free (the chart in views/loss-chart.js draws it;
// tests/node/frame.test.mjs checks it): what each metric plots at row k of a
// run, and a Series per plotted line that reads each row once and keeps a
// bounded min-max decimation of it, so a frame costs O(new rows) however long
// the run.

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
// may be behind the rows read). 256 buckets give about a point per pixel
// column of the chart (some 500 px wide); every point more is Chart.js work
// (its per-point update is most of a redraw) that the picture does not show.
export const MAX_BUCKETS = 256;

export class Series {
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
    this.lastK = new Int32Array(MAX_BUCKETS).fill(-1); // per bucket, its last plotted row
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
    for (; this.count <= b; ++this.count) this.minK[this.count] = this.maxK[this.count] = this.lastK[this.count] = -1;
    if (k > this.lastK[b]) this.lastK[b] = k;
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
      this.lastK[i] = Math.max(this.lastK[2 * i], j < this.count ? this.lastK[j] : -1);
    }
    for (let i = half; i < this.count; ++i) this.minK[i] = this.maxK[i] = this.lastK[i] = -1;
    this.count = half;
    this.width *= 2;
  }

  // Buckets [0, whole) lie wholly below `end`; the rows of the partly shown
  // bucket that may hold plotted values are [whole * width, partEnd) (no row
  // beyond the last bucket made holds one), at most `width` rows, so reading
  // them costs O(width), never O(steps).
  get whole() {
    return Math.min(this.count, Math.floor(this.end / this.width));
  }
  get partEnd() {
    return Math.min(this.end, this.count * this.width);
  }

  // The points Chart.js draws: each whole bucket's min and max in step order,
  // the last, partly shown bucket from the values themselves, and the last
  // plotted step. O(MAX_BUCKETS + width) whatever the run's length. Written
  // into `out` (its { x, y } objects reused, its length set), so a redraw
  // while playing allocates nothing.
  points(out = []) {
    let n = 0;
    const put = (x, y) => {
      if (n < out.length) { out[n].x = x; out[n].y = y; } else out.push({ x, y });
      ++n;
    };
    const add = (k1, y1, k2, y2) => {
      if (k1 < 0) return;
      if (k1 === k2) put(k1, y1);
      else if (k1 < k2) { put(k1, y1); put(k2, y2); } else { put(k2, y2); put(k1, y1); }
    };
    const { whole } = this;
    for (let b = 0; b < whole; ++b) add(this.minK[b], this.minY[b], this.maxK[b], this.maxY[b]);
    let lk = -1; let ly = 0; let hk = -1; let hy = 0;
    for (let k = whole * this.width; k < this.partEnd; ++k) {
      const v = this.values[k];
      if (!(Number.isFinite(v) && v > 0)) continue;
      if (lk < 0 || v < ly) { lk = k; ly = v; }
      if (hk < 0 || v > hy) { hk = k; hy = v; }
    }
    add(lk, ly, hk, hy);
    // The line ends at the last step plotted, whatever its stretch's extremes.
    const end = this.last();
    if (end && (n === 0 || out[n - 1].x < end.x)) put(end.x, end.y);
    out.length = n;
    return out;
  }

  /** The last plotted point up to `end`, or null: from the partly shown bucket, else the buckets' last rows. */
  last() {
    const { whole } = this;
    for (let k = this.partEnd - 1; k >= whole * this.width; --k) {
      const v = this.values[k];
      if (Number.isFinite(v) && v > 0) return { x: k, y: v };
    }
    for (let b = whole - 1; b >= 0; --b) {
      const k = this.lastK[b];
      if (k >= 0) return { x: k, y: this.values[k] };
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

/**
 * Reads the rows of `run` (cut to the step shown) that series `s` has not read
 * into it, with `values` (a METRICS entry's) and `context`; widens `extent`
 * ({ lo, hi, startHi } of every plotted value) and sets the rows shown. Rows
 * already read keep their values: going back and forth on the timeline reads
 * nothing again.
 */
export function appendRows(s, run, values, context, extent) {
  const rows = run.trajectory.length / 3;
  const end = run.divergedAt >= 0 ? Math.min(rows, run.divergedAt) : rows;
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
}
