// The basin map: per grid start, the minimum it reached (a colour per minimum,
// grey for not converged, near-black for diverged), darkened in four bands by
// the steps it took; or, as a difference view, where two optimizers end in
// different basins. Palette and painting are DOM-free (RGBA arrays); BasinView
// draws them on a canvas (one pixel per start) with the clicked start's
// trajectory on an overlay canvas.
import { surfaceToCanvas } from './particle-view.js';

export const NOT_CONVERGED = -1;
export const DIVERGED = -2;
export const SHADE_BANDS = 4;
const SHADE_STEP = 0.2; // band b keeps 1 - 0.2 b of the colour

function hexToRgb(hex) {
  const h = hex.trim().replace('#', '');
  const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h;
  const n = parseInt(full, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

const rgbHex = ([r, g, b]) => `#${[r, g, b].map((c) => c.toString(16).padStart(2, '0')).join('')}`;

/**
 * Colours for `minimaCount` minima from the series colours (hex strings),
 * plus not converged and diverged: { minima: [[r,g,b], ...], notConverged, diverged }.
 */
export function basinPalette(series, minimaCount) {
  return {
    minima: Array.from({ length: minimaCount }, (_, i) => hexToRgb(series[i % series.length])),
    notConverged: [190, 190, 190],
    diverged: [34, 34, 34],
  };
}

/**
 * Legend rows: [{ label, colour (hex), key }] for a palette and the minima
 * points; a found minimum ({ found: true }, discovered from the end points)
 * reads "near (x, y) (found)".
 */
export function basinLegend(palette, minima) {
  const fmt = (v) => v.toFixed(2).replace('-', '−');
  const known = (v) => String(Number(v.toFixed(2))).replace('-', '−');
  const labelOf = (m) => (m.found ? `near (${fmt(m.x)}, ${fmt(m.y)}) (found)` : `(${known(m.x)}, ${known(m.y)})`);
  return [
    ...minima.map((m, i) => ({ key: i, label: labelOf(m), colour: rgbHex(palette.minima[i]) })),
    { key: NOT_CONVERGED, label: 'not at a known minimum', colour: rgbHex(palette.notConverged) },
    { key: DIVERGED, label: 'diverged', colour: rgbHex(palette.diverged) },
  ];
}

const colourOf = (palette, label) =>
  label >= 0 ? palette.minima[label] ?? palette.notConverged : label === DIVERGED ? palette.diverged : palette.notConverged;

/**
 * The shading's band limits: the quartiles of the steps taken by the starts
 * that reached a minimum, over all `maps` ({ labels, steps }), so each band
 * holds about a quarter of them whatever the optimizer's pace.
 */
export function shadeThresholds(maps) {
  const taken = [];
  for (const { labels, steps } of maps) {
    for (let i = 0; i < labels.length; ++i) if (labels[i] >= 0) taken.push(steps[i]);
  }
  if (taken.length === 0) return [0, 0, 0];
  const sorted = Uint32Array.from(taken).sort();
  return [1, 2, 3].map((q) => sorted[Math.min(sorted.length - 1, Math.floor((q * sorted.length) / SHADE_BANDS))]);
}

/** Shade band 0..3 of a start that took `steps` (0: the fastest quarter). */
export function shadeBand(steps, thresholds) {
  let band = 0;
  while (band < thresholds.length && steps > thresholds[band]) band++;
  return band;
}

/** The RGB of `rgb` in shade band `band` (band 0 is the colour itself). */
export function shade([r, g, b], band) {
  const keep = 1 - SHADE_STEP * band;
  return [Math.round(r * keep), Math.round(g * keep), Math.round(b * keep)];
}

/**
 * Paints basin labels into RGBA `pixels`, the starts that reached a minimum
 * darkened by the steps they took (bands from shadeThresholds).
 */
export function paintBasins(labels, steps, thresholds, pixels, palette) {
  for (let i = 0; i < labels.length; ++i) {
    const label = labels[i];
    const [r, g, b] = label >= 0 ? shade(colourOf(palette, label), shadeBand(steps[i], thresholds))
      : colourOf(palette, label);
    const p = 4 * i;
    pixels[p] = r;
    pixels[p + 1] = g;
    pixels[p + 2] = b;
    pixels[p + 3] = 255;
  }
}

/**
 * Difference of two maps: where B ends in another basin than A, B's colour at
 * full strength; where they agree, the shared colour faded 75% towards
 * `background` (hex: the page's surface colour, light or dark).
 * Returns the number of starts that differ.
 */
export function paintDifference(labelsA, labelsB, pixels, palette, background = '#ffffff') {
  const [br, bg, bb] = hexToRgb(background);
  let differ = 0;
  for (let i = 0; i < labelsA.length; ++i) {
    const same = labelsA[i] === labelsB[i];
    const [r, g, b] = colourOf(palette, labelsB[i]);
    const fade = same ? 0.75 : 0;
    if (!same) differ++;
    const p = 4 * i;
    pixels[p] = Math.round(r + fade * (br - r));
    pixels[p + 1] = Math.round(g + fade * (bg - g));
    pixels[p + 2] = Math.round(b + fade * (bb - b));
    pixels[p + 3] = 255;
  }
  return differ;
}

/** Share of starts per label: Map label -> fraction. */
export function labelShares(labels) {
  const counts = new Map();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  for (const [l, c] of counts) counts.set(l, c / Math.max(1, labels.length));
  return counts;
}

/** The grid start (cell centre) under a click at fraction (fx, fy) of the map. */
export function startAt(box, nx, ny, fx, fy) {
  const col = Math.min(nx - 1, Math.max(0, Math.floor(fx * nx)));
  const row = Math.min(ny - 1, Math.max(0, Math.floor(fy * ny)));
  const x = box.x_min + ((col + 0.5) / nx) * (box.x_max - box.x_min);
  const y = box.y_max - ((row + 0.5) / ny) * (box.y_max - box.y_min);
  return { col, row, index: row * nx + col, x, y };
}

export class BasinView {
  #canvas;
  #overlay;
  #box = null; // the box of the map shown
  #view = null; // the box on screen (differs from #box while zooming, until the map is recomputed)
  #image = null; // OffscreenCanvas of the map, stretched while the view moves
  #path = null; // [xs, ys, colour, halo] of the trajectory drawn

  /** `canvas` shows the map (one pixel per start), `overlay` the trajectory on top. */
  constructor(canvas, overlay) {
    this.#canvas = canvas;
    this.#overlay = overlay;
  }

  get canvas() {
    return this.#canvas;
  }

  /** Shows an RGBA image of nx x ny starts over box; clears the trajectory. */
  show(pixels, nx, ny, box) {
    this.#box = box;
    this.#view = box;
    this.#canvas.width = nx;
    this.#canvas.height = ny;
    this.#image = new OffscreenCanvas(nx, ny);
    this.#image.getContext('2d').putImageData(new ImageData(pixels, nx, ny), 0, 0);
    this.#canvas.getContext('2d').drawImage(this.#image, 0, 0);
    this.clearTrajectory();
  }

  /** Shows the view `box` (a zoom or pan under way, or a map being recomputed): the map stretched into it. */
  setView(box) {
    this.#view = box;
    if (!this.#box || !this.#image) return;
    const { width, height } = this.#canvas;
    const ctx = this.#canvas.getContext('2d');
    const toPixel = surfaceToCanvas(box, width, height);
    const [x0, y0] = toPixel(this.#box.x_min, this.#box.y_max);
    const [x1, y1] = toPixel(this.#box.x_max, this.#box.y_min);
    ctx.clearRect(0, 0, width, height);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(this.#image, x0, y0, x1 - x0, y1 - y0);
    if (this.#path) this.drawTrajectory(...this.#path);
  }

  clear() {
    this.#box = null;
    this.#view = null;
    this.#image = null;
    const ctx = this.#canvas.getContext('2d');
    ctx.clearRect(0, 0, this.#canvas.width, this.#canvas.height);
    this.clearTrajectory();
  }

  #sizeOverlay() {
    const rect = this.#canvas.getBoundingClientRect();
    const dpr = globalThis.devicePixelRatio || 1;
    this.#overlay.width = Math.max(1, Math.round(rect.width * dpr));
    this.#overlay.height = Math.max(1, Math.round(rect.height * dpr));
  }

  clearTrajectory() {
    this.#path = null;
    this.#sizeOverlay();
    this.#overlay.getContext('2d').clearRect(0, 0, this.#overlay.width, this.#overlay.height);
  }

  /** Draws a path (xs, ys in surface units) in `colour` with a light halo and a start marker. */
  drawTrajectory(xs, ys, colour, halo) {
    this.clearTrajectory();
    if (!this.#view || xs.length === 0) return;
    this.#path = [xs, ys, colour, halo];
    const { width, height } = this.#overlay;
    const ctx = this.#overlay.getContext('2d');
    const toPixel = surfaceToCanvas(this.#view, width, height);
    const dpr = globalThis.devicePixelRatio || 1;
    const path = new Path2D();
    for (let i = 0; i < xs.length; ++i) {
      const [px, py] = toPixel(xs[i], ys[i]);
      if (i === 0) path.moveTo(px, py);
      else path.lineTo(px, py);
    }
    ctx.lineJoin = 'round';
    ctx.strokeStyle = halo;
    ctx.lineWidth = 5 * dpr;
    ctx.stroke(path);
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2 * dpr;
    ctx.stroke(path);
    const [sx, sy] = toPixel(xs[0], ys[0]);
    ctx.beginPath();
    ctx.arc(sx, sy, 5 * dpr, 0, 2 * Math.PI);
    ctx.fillStyle = colour;
    ctx.fill();
    ctx.lineWidth = 2 * dpr;
    ctx.strokeStyle = halo;
    ctx.stroke();
  }
}
