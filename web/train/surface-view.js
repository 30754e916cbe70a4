// The loss surface over (w, b): the full-data loss as a heat map with contour
// lines, each optimizer's path up to the step shown, and, when the overlay is
// on, the contours of the shown step's mini-batch loss (the surface that step
// actually descended: it jumps from step to step, which is the noise).
// Gets its values as plain grids from the controller; never sees the engine.

import { buildRamp, finiteRange, paintHeat } from '../views/heatmap.js';
import { isolines, logLevels } from '../views/contours.js';

export function createSurfaceView(canvas) {
  const ctx = canvas.getContext('2d');
  let theme = null;
  let ramp = null;
  let heat = null; // offscreen canvas holding the heat map at grid resolution
  let full = null; // { values, width, height }
  let view = null;
  let frame = { paths: [], batch: null, minimum: null };

  function resize() {
    const ratio = window.devicePixelRatio || 1;
    const box = canvas.getBoundingClientRect();
    const w = Math.max(1, Math.round(box.width * ratio));
    const h = Math.max(1, Math.round(box.height * ratio));
    if (canvas.width !== w || canvas.height !== h) {
      canvas.width = w;
      canvas.height = h;
    }
  }

  const toPx = (w, b) => [
    ((w - view.x_min) / (view.x_max - view.x_min)) * canvas.width,
    ((view.y_max - b) / (view.y_max - view.y_min)) * canvas.height,
  ];

  function drawContours(grid, colour, dash) {
    const [lo, hi] = finiteRange(grid.values);
    if (!Number.isFinite(lo)) return;
    const sx = canvas.width / grid.width;
    const sy = canvas.height / grid.height;
    ctx.save();
    ctx.strokeStyle = colour;
    ctx.lineWidth = Math.max(1, canvas.width / 500);
    ctx.setLineDash(dash);
    ctx.beginPath();
    for (const level of logLevels(lo, hi, 1e-3)) {
      const s = isolines(grid.values, grid.width, grid.height, level);
      for (let i = 0; i < s.length; i += 4) {
        ctx.moveTo((s[i] + 0.5) * sx, (s[i + 1] + 0.5) * sy);
        ctx.lineTo((s[i + 2] + 0.5) * sx, (s[i + 3] + 0.5) * sy);
      }
    }
    ctx.stroke();
    ctx.restore();
  }

  function draw() {
    resize();
    ctx.fillStyle = theme?.surface ?? '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    if (!full || !view || !theme) return;
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(heat, 0, 0, canvas.width, canvas.height);
    drawContours(full, theme.contour, []);
    if (frame.batch) drawContours(frame.batch, theme.batch, [6, 4]);

    const lw = Math.max(1.5, canvas.width / 300);
    if (frame.minimum) {
      const [x, y] = toPx(frame.minimum[0], frame.minimum[1]);
      ctx.strokeStyle = theme.ink;
      ctx.lineWidth = lw;
      ctx.beginPath();
      ctx.moveTo(x - 3 * lw, y - 3 * lw); ctx.lineTo(x + 3 * lw, y + 3 * lw);
      ctx.moveTo(x - 3 * lw, y + 3 * lw); ctx.lineTo(x + 3 * lw, y - 3 * lw);
      ctx.stroke();
    }
    for (const path of frame.paths) {
      const t = path.trajectory;
      const rows = Math.min(path.upTo + 1, t.length / 3);
      if (rows < 1) continue;
      ctx.strokeStyle = path.colour;
      ctx.lineWidth = lw;
      ctx.lineJoin = 'round';
      ctx.beginPath();
      for (let k = 0; k < rows; ++k) {
        if (!Number.isFinite(t[3 * k]) || !Number.isFinite(t[3 * k + 1])) break;
        const [x, y] = toPx(t[3 * k], t[3 * k + 1]);
        if (k === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
      }
      ctx.stroke();
      const last = rows - 1;
      if (Number.isFinite(t[3 * last]) && Number.isFinite(t[3 * last + 1])) {
        const [x, y] = toPx(t[3 * last], t[3 * last + 1]);
        ctx.fillStyle = path.colour;
        ctx.strokeStyle = theme.halo;
        ctx.beginPath();
        ctx.arc(x, y, 2.5 * lw, 0, 2 * Math.PI);
        ctx.fill();
        ctx.stroke();
      }
    }
  }

  return {
    setTheme(next) {
      theme = next;
      ramp = buildRamp(theme.mapStops);
      if (full) this.setFull(full, view);
      draw();
    },
    /** The full-data loss grid (row-major, top row first) over `bounds`. */
    setFull(grid, bounds) {
      full = grid;
      view = bounds;
      heat = document.createElement('canvas');
      heat.width = grid.width;
      heat.height = grid.height;
      const image = new ImageData(grid.width, grid.height);
      if (ramp) paintHeat(grid.values, image.data, ramp);
      heat.getContext('2d').putImageData(image, 0, 0);
    },
    /** Paths ({trajectory, colour, upTo}), the mini-batch grid or null, the minimum [w, b] or null. */
    render(next) {
      frame = next;
      draw();
    },
    redraw: draw,
  };
}
