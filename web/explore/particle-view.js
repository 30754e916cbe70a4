// The particle cloud: one canvas per optimizer, the surface's heat map and
// contours underneath (painted once per surface) and every particle as a small
// square in the optimizer's colour. The mapping from surface to canvas
// coordinates and the background painting are DOM-free; only ParticleView
// touches a canvas.
import { buildRamp, paintHeat, finiteRange } from '../views/heatmap.js';
import { logLevels, isolines } from '../views/contours.js';
import { sameBox } from './zoom.js';

/** Surface (x, y) -> canvas pixel (column, row) for a width x height canvas over box. */
export function surfaceToCanvas(box, width, height) {
  const sx = width / (box.x_max - box.x_min);
  const sy = height / (box.y_max - box.y_min);
  return (x, y) => [(x - box.x_min) * sx, (box.y_max - y) * sy];
}

/** Canvas pixel -> surface point (inverse of surfaceToCanvas). */
export function canvasToSurface(box, width, height) {
  return (px, py) => [
    box.x_min + (px / width) * (box.x_max - box.x_min),
    box.y_max - (py / height) * (box.y_max - box.y_min),
  ];
}

/**
 * Paints a heat map of `values` (nx x ny, top row first) with contour lines
 * onto a 2-D context sized to the canvas (DOM-free apart from the context).
 */
export function paintSurface(ctx, values, nx, ny, theme, width, height) {
  const pixels = new Uint8ClampedArray(4 * nx * ny);
  paintHeat(values, pixels, buildRamp(theme.mapStops));
  const tile = new OffscreenCanvas(nx, ny);
  tile.getContext('2d').putImageData(new ImageData(pixels, nx, ny), 0, 0);
  ctx.fillStyle = theme.surface;
  ctx.fillRect(0, 0, width, height);
  ctx.imageSmoothingEnabled = true;
  ctx.drawImage(tile, 0, 0, width, height);
  const [lo, hi] = finiteRange(values);
  ctx.strokeStyle = theme.contour;
  ctx.lineWidth = 1;
  ctx.beginPath();
  const sx = width / nx;
  const sy = height / ny;
  for (const level of logLevels(lo, hi, 1e-3)) {
    const seg = isolines(values, nx, ny, level);
    for (let i = 0; i < seg.length; i += 4) {
      ctx.moveTo((seg[i] + 0.5) * sx, (seg[i + 1] + 0.5) * sy);
      ctx.lineTo((seg[i + 2] + 0.5) * sx, (seg[i + 3] + 0.5) * sy);
    }
  }
  ctx.stroke();
}

/**
 * f on an nx x ny grid painted (paintSurface) off screen on a size x size
 * canvas and read back once: { canvas, image, surfaceColour } for
 * ParticleView.setSurface; frames are then plain pixel copies.
 */
export function paintedSurface(values, nx, ny, theme, size) {
  const canvas = new OffscreenCanvas(size, size);
  const scratch = canvas.getContext('2d', { willReadFrequently: true });
  paintSurface(scratch, values, nx, ny, theme, size, size);
  return { canvas, image: scratch.getImageData(0, 0, size, size), surfaceColour: theme.surface };
}

/** '#rrggbb' (or '#rgb') -> packed RGBA as a little-endian Uint32 pixel, opaque. */
export function packedColour(hex) {
  const h = hex.trim().replace('#', '');
  const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h;
  const n = parseInt(full, 16);
  return ((255 << 24) | ((n & 255) << 16) | (((n >> 8) & 255) << 8) | ((n >> 16) & 255)) >>> 0;
}

/** The side in pixels of one particle's square: small clouds get bigger dots. */
export function dotSize(n) {
  return n > 20000 ? 2 : n > 5000 ? 3 : 4;
}

/**
 * Writes every particle as a size x size square of `colour` (packed) into
 * `pixels` (a Uint32Array over width x height RGBA) over `box`. DOM-free.
 */
export function plotParticles(pixels, width, height, box, xs, ys, colour, size) {
  const sx = width / (box.x_max - box.x_min);
  const sy = height / (box.y_max - box.y_min);
  const half = size / 2;
  for (let i = 0; i < xs.length; ++i) {
    const c0 = Math.round((xs[i] - box.x_min) * sx - half);
    const r0 = Math.round((box.y_max - ys[i]) * sy - half);
    if (!(c0 > -size && c0 < width && r0 > -size && r0 < height)) continue; // also skips NaN
    const c1 = Math.min(width, c0 + size);
    const r1 = Math.min(height, r0 + size);
    for (let r = Math.max(0, r0); r < r1; ++r) pixels.fill(colour, r * width + Math.max(0, c0), r * width + c1);
  }
}

export class ParticleView {
  #canvas;
  #ctx;
  #background = null; // Uint32Array of the painted surface
  #painted = null; // OffscreenCanvas of the same, stretched while the view moves
  #frame;
  #box = null; // the box the background was painted for
  #view = null; // the box shown (differs from #box while zooming, until the repaint)
  #cloud = null; // [xs, ys, colour] drawn last
  #surfaceColour = '#ffffff';
  #layer = null; // the dots while the view moves (drawn over the stretched background)

  /** `canvas`: the visible canvas; its backing store is size x size pixels. */
  constructor(canvas, size = 480) {
    this.#canvas = canvas;
    canvas.width = size;
    canvas.height = size;
    this.#ctx = canvas.getContext('2d');
    this.#frame = new ImageData(size, size);
  }

  /** The canvas's backing store size: a painted surface (paintedSurface) for it must be this size. */
  get size() {
    return this.#canvas.width;
  }

  /**
   * The heat map under the particles (paintedSurface's, over `box`, for this
   * view's size); redraws the last cloud over it. Views over the same box
   * share one painting.
   */
  setSurface(box, { canvas, image, surfaceColour }) {
    this.#box = box;
    this.#view = box;
    this.#painted = canvas;
    this.#background = new Uint32Array(image.data.buffer); // read only: each frame copies it
    this.#surfaceColour = surfaceColour;
    this.#ctx.putImageData(image, 0, 0);
    if (this.#cloud) this.draw(...this.#cloud);
  }

  /** Forgets the cloud drawn (a new surface: its dots do not belong on the next heat map). */
  forgetCloud() {
    this.#cloud = null;
  }

  /** Shows the view `box` (a zoom or pan under way): the painted surface stretched, the cloud redrawn. */
  setView(box) {
    this.#view = box;
    if (this.#cloud) this.draw(...this.#cloud);
  }

  /** Draws one cloud (xs, ys Float32Arrays) in `colour` (hex) over the surface. */
  draw(xs, ys, colour) {
    this.#cloud = [xs, ys, colour];
    if (!this.#box || !this.#background) return;
    const { width, height } = this.#canvas;
    const pixels = new Uint32Array(this.#frame.data.buffer);
    const view = this.#view;
    const moved = view !== this.#box && !sameBox(view, this.#box);
    if (!moved) pixels.set(this.#background);
    else pixels.fill(0);
    plotParticles(pixels, width, height, view, xs, ys, packedColour(colour), dotSize(xs.length));
    if (!moved) {
      this.#ctx.putImageData(this.#frame, 0, 0);
      return;
    }
    // The old background stretched into the moved view, the dots on top.
    const ctx = this.#ctx;
    const toPixel = surfaceToCanvas(view, width, height);
    const [x0, y0] = toPixel(this.#box.x_min, this.#box.y_max);
    const [x1, y1] = toPixel(this.#box.x_max, this.#box.y_min);
    ctx.fillStyle = this.#surfaceColour;
    ctx.fillRect(0, 0, width, height);
    ctx.drawImage(this.#painted, x0, y0, x1 - x0, y1 - y0);
    this.#layer ??= new OffscreenCanvas(width, height);
    this.#layer.getContext('2d').putImageData(this.#frame, 0, 0);
    ctx.drawImage(this.#layer, 0, 0);
  }
}
