// The hyperparameter map's colours and cells, DOM-free but for HpMapView: a
// perceptual scale (viridis, matplotlib's, 9 stops interpolated in RGB) over
// the metric, on log10 of the gap to the known minimum (or of f) where every
// value allows it; cells that diverged and cells that never reach the
// tolerance (steps:TOL) in two greys the scale never uses.
//
// Cells come as pool.js's sweep gives them: 4 doubles per cell (value,
// diverged_at or -1, final f, best f), cell = i * cols + j with i along the
// first key (drawn across, left to right) and j along the second (drawn up).

export const VIRIDIS = ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725'];
export const DIVERGED_RGB = [236, 236, 236];
export const UNREACHED_RGB = [128, 128, 128];
const STOPS = VIRIDIS.map((hex) => [1, 3, 5].map((at) => parseInt(hex.slice(at, at + 2), 16)));

/** The viridis colour at t in [0, 1] as [r, g, b]. */
export function viridis(t) {
  const u = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const k = Math.min(STOPS.length - 2, Math.floor(u));
  const f = u - k;
  return STOPS[k].map((c, i) => Math.round(c + f * (STOPS[k + 1][i] - c)));
}

// diverged_at of a cell not computed yet (a map filling in): drawn transparent, counted nowhere.
export const PENDING = -2;

export const cellValue = (cells, c) => cells[4 * c];
export const cellDivergedAt = (cells, c) => cells[4 * c + 1];

/**
 * How values become colours for a computed map: { label, note (what f* is,
 * or ''), transform (value -> scale coordinate), lo, hi (the coordinates the
 * scale spans), log }. Diverged cells are left out of the range.
 * `metric` is the plan's ('final' | 'best' | 'steps:TOL'), fStar the f* used
 * (known or found; NaN when none).
 */
export function colourScale(cells, metric, fStar) {
  const count = cells.length / 4;
  const shown = [];
  for (let c = 0; c < count; ++c) {
    const v = cellValue(cells, c);
    if (cellDivergedAt(cells, c) === -1 && Number.isFinite(v)) shown.push(v);
  }
  let label;
  let transform;
  let log = false;
  if (metric.startsWith('steps:')) {
    label = `steps until f − f* ≤ ${metric.slice(6)}`;
    transform = (v) => v;
  } else {
    const what = metric === 'best' ? 'lowest f' : 'final f';
    const gaps = Number.isFinite(fStar) ? shown.map((v) => v - fStar) : shown;
    const positive = gaps.filter((g) => g > 0);
    if (positive.length && gaps.every((g) => g >= 0)) {
      // A gap of exactly 0 sits at the smallest positive one (the scale's floor).
      const floor = Math.min(...positive);
      const shift = Number.isFinite(fStar) ? fStar : 0;
      label = Number.isFinite(fStar) ? `log10(${what} − f*)` : `log10(${what})`;
      transform = (v) => Math.log10(Math.max(v - shift, floor));
      log = true;
    } else {
      label = what;
      transform = (v) => v;
    }
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of shown) {
    const t = transform(v);
    if (t < lo) lo = t;
    if (t > hi) hi = t;
  }
  if (!(lo <= hi)) lo = hi = 0;
  const note = Number.isFinite(fStar) && (log || metric.startsWith('steps:')) ? `f* = ${formatValue(fStar)}` : '';
  return { label, note, transform, lo, hi, log };
}

/** The RGB of one cell under a scale (null: not computed yet). */
export function cellColour(cells, c, scale) {
  if (cellDivergedAt(cells, c) === PENDING) return null;
  if (cellDivergedAt(cells, c) >= 0) return DIVERGED_RGB;
  const v = cellValue(cells, c);
  if (!Number.isFinite(v)) return UNREACHED_RGB;
  const t = scale.transform(v);
  return viridis(scale.hi > scale.lo ? (t - scale.lo) / (scale.hi - scale.lo) : 0.5);
}

/** RGBA pixels, one per cell: rows (first axis) across, cols (second axis) up. */
export function paintCells(cells, rows, cols, scale) {
  const pixels = new Uint8ClampedArray(4 * rows * cols);
  for (let i = 0; i < rows; ++i) {
    for (let j = 0; j < cols; ++j) {
      const rgb = cellColour(cells, i * cols + j, scale);
      if (!rgb) continue; // transparent until computed
      const p = 4 * ((cols - 1 - j) * rows + i);
      pixels[p] = rgb[0];
      pixels[p + 1] = rgb[1];
      pixels[p + 2] = rgb[2];
      pixels[p + 3] = 255;
    }
  }
  return pixels;
}

/** The cell under a point at fraction (fx, fy) of the drawn map (fy from the top): { i, j, cell }. */
export function cellAt(rows, cols, fx, fy) {
  const i = Math.min(rows - 1, Math.max(0, Math.floor(fx * rows)));
  const j = Math.min(cols - 1, Math.max(0, Math.floor((1 - fy) * cols)));
  return { i, j, cell: i * cols + j };
}

/** A number for text: 6 significant digits, shortest form, a true minus sign. */
export function formatValue(v) {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  return String(Number(v.toPrecision(6))).replace('-', '−');
}

/** Counts for the legend and the text alternative: { diverged, unreached, best } (best: the lowest cell, or -1). */
export function summarise(cells) {
  let diverged = 0;
  let unreached = 0;
  let best = -1;
  for (let c = 0; c < cells.length / 4; ++c) {
    const v = cellValue(cells, c);
    if (cellDivergedAt(cells, c) === PENDING) continue;
    if (cellDivergedAt(cells, c) >= 0) diverged++;
    else if (!Number.isFinite(v)) unreached++;
    // descent sweep --best: the lowest finite value, the first in grid order on ties.
    if (Number.isFinite(v) && (best < 0 || v < cellValue(cells, best))) best = c;
  }
  return { diverged, unreached, best };
}

/** The map's canvas (one pixel per cell) and its overlay (the cursor cell's outline). */
export class HpMapView {
  #canvas;
  #overlay;
  #rows = 0;
  #cols = 0;
  #image = null; // OffscreenCanvas of the map shown, stretched while a zoom or pan runs

  constructor(canvas, overlay) {
    this.#canvas = canvas;
    this.#overlay = overlay;
  }

  show(pixels, rows, cols) {
    this.#rows = rows;
    this.#cols = cols;
    this.#canvas.width = rows;
    this.#canvas.height = cols;
    this.#image = new OffscreenCanvas(rows, cols);
    this.#image.getContext('2d').putImageData(new ImageData(pixels, rows, cols), 0, 0);
    const ctx = this.#canvas.getContext('2d');
    ctx.clearRect(0, 0, rows, cols);
    ctx.drawImage(this.#image, 0, 0);
    this.mark(null);
  }

  /**
   * Shows the part `box` of the map (in map fractions: x across, y up, the
   * map itself { 0..1, 0..1 }) while a zoom or pan runs: the map stretched.
   */
  setView(box) {
    if (!this.#image) return;
    const ctx = this.#canvas.getContext('2d');
    const { width, height } = this.#canvas;
    const sx = width / (box.x_max - box.x_min);
    const sy = height / (box.y_max - box.y_min);
    ctx.clearRect(0, 0, width, height);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.#image, -box.x_min * sx, (box.y_max - 1) * sy, sx, sy);
    this.mark(null);
  }

  clear() {
    this.#rows = this.#cols = 0;
    this.#image = null;
    this.#canvas.getContext('2d').clearRect(0, 0, this.#canvas.width, this.#canvas.height);
    this.mark(null);
  }

  /** Outlines cell { i, j } (null: none) in ink on a light halo. */
  mark(at, ink = '#000', halo = '#fff') {
    const rect = this.#canvas.getBoundingClientRect();
    const dpr = globalThis.devicePixelRatio || 1;
    this.#overlay.width = Math.max(1, Math.round(rect.width * dpr));
    this.#overlay.height = Math.max(1, Math.round(rect.height * dpr));
    const ctx = this.#overlay.getContext('2d');
    ctx.clearRect(0, 0, this.#overlay.width, this.#overlay.height);
    if (!at || !this.#rows) return;
    const w = this.#overlay.width / this.#rows;
    const h = this.#overlay.height / this.#cols;
    const x = at.i * w;
    const y = (this.#cols - 1 - at.j) * h;
    const pad = 2 * dpr;
    ctx.lineWidth = 3 * dpr;
    ctx.strokeStyle = halo;
    ctx.strokeRect(x - pad, y - pad, w + 2 * pad, h + 2 * pad);
    ctx.lineWidth = 1.5 * dpr;
    ctx.strokeStyle = ink;
    ctx.strokeRect(x - pad, y - pad, w + 2 * pad, h + 2 * pad);
  }
}
