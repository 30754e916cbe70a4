// The surface view: one canvas showing the cost surface (heat map painted as
// ImageData, log-spaced contour lines, axis ticks; cached) and, on top, minima,
// optimizer's path with a dot at its current point and the start marker.
// Clicking or dragging on it (or arrow keys when focused) picks the start.
//
// It never imports the engine: values come from the injected `sample(bounds,
// width, height)` and `valueAt(x, y)` functions, and the choice of a start goes
// out through `onStart(x, y, { final })` (final = pointer released / Enter).

import { buildRamp, paintHeat, finiteRange } from './heatmap.js';
import { logLevels, isolines } from './contours.js';
import { formatValue } from '../format.js';

const HEAT_MAX_SIDE = 1024; // grid cells along the longer side for the heat map
const CONTOUR_CELL_PX = 3; // contour grid spacing in CSS pixels
const GRAB_RADIUS_PX = 14; // how close to the start marker a press grabs it
const MAX_COORD_PX = 1e5; // clamp for far-off points of diverging paths
const HEAD_INSET_PX = 7; // current points outside the view are drawn this far inside the edge

export function createSurfaceView({ canvas, readout, sample, valueAt, onStart }) {
  const ctx = canvas.getContext('2d');
  const background = document.createElement('canvas');
  let theme = null;
  let bounds = null; // { x_min, x_max, y_min, y_max }
  let minima = [];
  let frame = null; // last frame rendered, re-used after a resize
  let cssWidth = 0;
  let cssHeight = 0;
  let dpr = 1;
  let backgroundStale = true;
  let dragging = false;
  const hint = readout.textContent;

  // --- coordinates ------------------------------------------------------
  const toCanvas = (x, y) => [
    ((x - bounds.x_min) / (bounds.x_max - bounds.x_min)) * cssWidth,
    ((bounds.y_max - y) / (bounds.y_max - bounds.y_min)) * cssHeight,
  ];
  const toSurface = (px, py) => [
    bounds.x_min + (px / cssWidth) * (bounds.x_max - bounds.x_min),
    bounds.y_max - (py / cssHeight) * (bounds.y_max - bounds.y_min),
  ];
  const clampPx = (v) => Math.max(-MAX_COORD_PX, Math.min(MAX_COORD_PX, v));

  // --- background: heat map, contours, ticks (repainted on resize/surface/theme)
  function paintBackground() {
    backgroundStale = false;
    background.width = canvas.width;
    background.height = canvas.height;
    if (!bounds || canvas.width === 0) return;
    const bg = background.getContext('2d');

    const scale = Math.min(1, HEAT_MAX_SIDE / Math.max(canvas.width, canvas.height));
    const gw = Math.max(1, Math.round(canvas.width * scale));
    const gh = Math.max(1, Math.round(canvas.height * scale));
    const heat = sample(bounds, gw, gh);
    const image = new ImageData(gw, gh);
    paintHeat(heat, image.data, buildRamp(theme.mapStops));
    const tile = document.createElement('canvas');
    tile.width = gw;
    tile.height = gh;
    tile.getContext('2d').putImageData(image, 0, 0);
    bg.imageSmoothingEnabled = true;
    bg.drawImage(tile, 0, 0, background.width, background.height);

    bg.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawContours(bg);
    drawTicks(bg);
  }

  function drawContours(g) {
    const cw = Math.max(8, Math.min(400, Math.round(cssWidth / CONTOUR_CELL_PX)));
    const ch = Math.max(8, Math.min(400, Math.round(cssHeight / CONTOUR_CELL_PX)));
    const values = sample(bounds, cw, ch);
    const [lo, hi] = finiteRange(values);
    const sx = cssWidth / cw;
    const sy = cssHeight / ch;
    g.strokeStyle = theme.contour;
    g.lineWidth = 1;
    g.lineJoin = 'round';
    g.beginPath();
    for (const level of logLevels(lo, hi)) {
      const seg = isolines(values, cw, ch, level);
      for (let i = 0; i < seg.length; i += 4) {
        g.moveTo((seg[i] + 0.5) * sx, (seg[i + 1] + 0.5) * sy);
        g.lineTo((seg[i + 2] + 0.5) * sx, (seg[i + 3] + 0.5) * sy);
      }
    }
    g.stroke();
  }

  function drawTicks(g) {
    g.font = `11px ${theme.font}`;
    g.fillStyle = theme.inkMuted;
    g.strokeStyle = theme.halo;
    g.lineWidth = 3;
    g.lineJoin = 'round';
    const label = (text, x, y) => {
      g.strokeText(text, x, y);
      g.fillText(text, x, y);
    };
    const xStep = niceStep((bounds.x_max - bounds.x_min) / Math.max(2, cssWidth / 90));
    g.textAlign = 'center';
    g.textBaseline = 'bottom';
    for (const x of ticks(bounds.x_min, bounds.x_max, xStep)) {
      const [px] = toCanvas(x, 0);
      if (px > 16 && px < cssWidth - 16) label(formatTick(x, xStep), px, cssHeight - 4);
    }
    const yStep = niceStep((bounds.y_max - bounds.y_min) / Math.max(2, cssHeight / 70));
    g.textAlign = 'left';
    g.textBaseline = 'middle';
    for (const y of ticks(bounds.y_min, bounds.y_max, yStep)) {
      const [, py] = toCanvas(0, y);
      if (py > 12 && py < cssHeight - 24) label(formatTick(y, yStep), 5, py);
    }
  }

  function drawMinimum(g, px, py) {
    g.beginPath();
    for (let i = 0; i < 10; ++i) {
      const r = i % 2 ? 3 : 7.5;
      const a = -Math.PI / 2 + (i * Math.PI) / 5;
      g.lineTo(px + r * Math.cos(a), py + r * Math.sin(a));
    }
    g.closePath();
    g.fillStyle = theme.surface;
    g.strokeStyle = theme.ink;
    g.lineWidth = 1.5;
    g.lineJoin = 'round';
    g.fill();
    g.stroke();
  }

  // --- foreground: paths, current points, start ---------------------------
  // Strokes a run's path up to its last finite point; returns that point's row (-1 if none).
  function drawPath(run) {
    const t = run.trajectory;
    const rows = t.length / 3;
    let last = -1; // last finite row
    ctx.beginPath();
    for (let k = 0; k < rows; ++k) {
      const x = t[3 * k];
      const y = t[3 * k + 1];
      if (!Number.isFinite(x) || !Number.isFinite(y)) break;
      const [px, py] = toCanvas(x, y);
      if (k === 0) ctx.moveTo(clampPx(px), clampPx(py));
      else ctx.lineTo(clampPx(px), clampPx(py));
      last = k;
    }
    if (last < 0) return last;
    ctx.lineJoin = 'round';
    ctx.lineCap = 'round';
    ctx.strokeStyle = theme.halo;
    ctx.lineWidth = 4;
    ctx.stroke();
    ctx.strokeStyle = run.colour;
    ctx.lineWidth = 2;
    ctx.stroke();
    return last;
  }

  // The current point: a dot, or a cross where a diverged run left the finite
  // world. Kept just inside the canvas edge when the point is outside the view,
  // so a run that flew off still shows where it went.
  function drawHead(run, last) {
    if (last < 0) return;
    const [x, y] = toCanvas(run.trajectory[3 * last], run.trajectory[3 * last + 1]);
    const px = clamp(x, HEAD_INSET_PX, cssWidth - HEAD_INSET_PX);
    const py = clamp(y, HEAD_INSET_PX, cssHeight - HEAD_INSET_PX);
    if (run.divergedAt >= 0) drawCross(px, py, run.colour);
    else drawDot(px, py, run.colour);
  }

  function drawDot(px, py, colour) {
    ctx.beginPath();
    ctx.arc(px, py, 5, 0, 2 * Math.PI);
    ctx.fillStyle = colour;
    ctx.strokeStyle = theme.halo;
    ctx.lineWidth = 2;
    ctx.fill();
    ctx.stroke();
  }

  function drawCross(px, py, colour) {
    ctx.beginPath();
    ctx.moveTo(px - 5, py - 5);
    ctx.lineTo(px + 5, py + 5);
    ctx.moveTo(px + 5, py - 5);
    ctx.lineTo(px - 5, py + 5);
    ctx.lineCap = 'round';
    ctx.strokeStyle = theme.halo;
    ctx.lineWidth = 5;
    ctx.stroke();
    ctx.strokeStyle = colour;
    ctx.lineWidth = 2.5;
    ctx.stroke();
  }

  function drawStart([x, y]) {
    const [px, py] = toCanvas(x, y);
    ctx.lineCap = 'round';
    for (const [colour, width] of [[theme.halo, 4], [theme.ink, 1.75]]) {
      ctx.strokeStyle = colour;
      ctx.lineWidth = width;
      ctx.beginPath();
      ctx.arc(px, py, 7, 0, 2 * Math.PI);
      for (const [dx, dy] of [[1, 0], [-1, 0], [0, 1], [0, -1]]) {
        ctx.moveTo(px + 10 * dx, py + 10 * dy);
        ctx.lineTo(px + 4 * dx, py + 4 * dy);
      }
      ctx.stroke();
    }
  }

  function draw() {
    if (!bounds || !theme || canvas.width === 0) return;
    if (backgroundStale) paintBackground();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(background, 0, 0);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    if (!frame) {
      for (const m of minima) drawMinimum(ctx, ...toCanvas(m.x, m.y));
      return;
    }
    // Paths first, then landmarks, then every current point, so no dot hides under a path.
    const lasts = frame.runs.map(drawPath);
    for (const m of minima) drawMinimum(ctx, ...toCanvas(m.x, m.y));
    drawStart(frame.start);
    frame.runs.forEach((run, i) => drawHead(run, lasts[i]));
  }

  // --- size ---------------------------------------------------------------
  function resize() {
    const rect = canvas.getBoundingClientRect();
    dpr = window.devicePixelRatio || 1;
    const w = Math.round(rect.width * dpr);
    const h = Math.round(rect.height * dpr);
    cssWidth = rect.width;
    cssHeight = rect.height;
    if (w === canvas.width && h === canvas.height) return;
    canvas.width = w;
    canvas.height = h;
    backgroundStale = true;
    draw();
  }
  new ResizeObserver(resize).observe(canvas);

  // --- input --------------------------------------------------------------
  const eventPoint = (event) => {
    const rect = canvas.getBoundingClientRect();
    return [event.clientX - rect.left, event.clientY - rect.top];
  };
  const nearStart = (px, py) => {
    if (!frame) return false;
    const [sx, sy] = toCanvas(...frame.start);
    return Math.hypot(px - sx, py - sy) <= GRAB_RADIUS_PX;
  };

  canvas.addEventListener('pointerdown', (event) => {
    if (!bounds || event.button !== 0) return;
    canvas.setPointerCapture(event.pointerId);
    dragging = true;
    canvas.classList.add('is-dragging');
    onStart(...toSurface(...eventPoint(event)), { final: false });
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!bounds) return;
    const [px, py] = eventPoint(event);
    const [x, y] = toSurface(px, py);
    showReadout(x, y);
    if (dragging) onStart(x, y, { final: false });
    else canvas.classList.toggle('is-grabbable', nearStart(px, py));
  });
  const release = (event) => {
    if (!dragging) return;
    dragging = false;
    canvas.classList.remove('is-dragging');
    if (event.type === 'pointerup') onStart(...toSurface(...eventPoint(event)), { final: true });
  };
  canvas.addEventListener('pointerup', release);
  canvas.addEventListener('pointercancel', release);
  canvas.addEventListener('pointerleave', () => {
    if (!dragging) readout.textContent = hint;
  });

  canvas.addEventListener('keydown', (event) => {
    if (!bounds || !frame) return;
    const moves = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
    if (event.key in moves) {
      const [dx, dy] = moves[event.key];
      const fraction = event.shiftKey ? 1 / 8 : 1 / 40;
      const x = clamp(frame.start[0] + dx * fraction * (bounds.x_max - bounds.x_min), bounds.x_min, bounds.x_max);
      const y = clamp(frame.start[1] + dy * fraction * (bounds.y_max - bounds.y_min), bounds.y_min, bounds.y_max);
      showReadout(x, y);
      onStart(x, y, { final: false });
      event.preventDefault();
    } else if (event.key === 'Enter') {
      onStart(...frame.start, { final: true });
      event.preventDefault();
    }
  });

  function showReadout(x, y) {
    const f = valueAt(x, y);
    readout.textContent = `x ${formatValue(x, 3)}   y ${formatValue(y, 3)}   f ${formatValue(f, 4)}`;
  }

  return {
    /** Shows a surface: { view: bounds, minima: [{x, y, f}] }. */
    setSurface(info) {
      bounds = { ...info.view };
      minima = info.minima ?? [];
      canvas.style.setProperty('--aspect', `${bounds.x_max - bounds.x_min} / ${bounds.y_max - bounds.y_min}`);
      frame = null;
      backgroundStale = true;
      resize();
      draw();
    },
    setTheme(next) {
      theme = next;
      backgroundStale = true;
      draw();
    },
    /** frame: { start: [x, y], runs: [{ colour, trajectory (x,y,f rows), divergedAt }] } */
    render(next) {
      frame = next;
      draw();
    },
    /** Surface coordinates -> CSS pixels relative to the canvas's top-left corner. */
    toCanvas: (x, y) => toCanvas(x, y),
    toSurface: (px, py) => toSurface(px, py),
    get bounds() {
      return bounds && { ...bounds };
    },
  };
}

const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

function niceStep(raw) {
  const p = 10 ** Math.floor(Math.log10(raw));
  const m = raw / p;
  return (m < 1.5 ? 1 : m < 3.5 ? 2 : m < 7.5 ? 5 : 10) * p;
}

function ticks(lo, hi, step) {
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

function formatTick(v, step) {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return v.toFixed(decimals).replace('-', '−');
}
