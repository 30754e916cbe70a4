// The surface view: one canvas showing the cost surface (heat map painted as
// ImageData, log-spaced contour lines, axis ticks; cached) and, on top, minima,
// optimizer's path with a dot at its current point, optional arrows there
// (the gradient, the next update, the momentum buffer), a highlighted step and
// the start marker.
//
// Input: a click or tap sets the start (and runs); dragging the start marker
// (mouse or finger), or shift-dragging anywhere, moves it; dragging elsewhere
// (one finger on a touch screen) pans; the wheel zooms about the cursor, two
// fingers pinch-zoom and pan; arrow keys move the start, Enter runs; + / − / 0 zoom.
// While the view moves the old background is stretched into place and the
// heat map and contours are recomputed once the view rests (VIEW_REPAINT_MS).
//
// It never imports the engine: values come from the injected `sample(bounds,
// width, height)` and `valueAt(x, y)` functions; the choice of a start goes out
// through `onStart(x, y, { final })` (final = pointer released / Enter), a new
// view box through `onView(box | null)` (null = the surface's own view).

import { buildRamp, paintHeat, finiteRange } from './heatmap.js';
import { logLevels, isolines } from './contours.js';
import { formatValue } from '../format.js';
import { runSteps } from '../tasks.js';
import { clampPx, createPath, pathFits, extendPath, lastFiniteRow, keptUpTo } from '../frame/path.js';

const HEAT_MAX_SIDE = 1024; // grid cells along the longer side for the heat map
const HEAT_BAND_CELLS = 1 << 17; // cells the heat map colours in one part of a start (a few ms)
const CONTOUR_CELL_PX = 3; // contour grid spacing in CSS pixels
const GRAB_RADIUS_PX = 14; // how close to the start marker a press grabs it
const HEAD_INSET_PX = 7; // current points outside the view are drawn this far inside the edge
const VIEW_REPAINT_MS = 120; // the heat map is recomputed once the view rests this long
const CLICK_SLOP_PX = 4; // a press that moves less than this is a click
const WHEEL_ZOOM = 1.0015; // zoom factor per wheel delta pixel
const MIN_SPAN = 1e-9; // smallest view width / height (relative to the surface's)
const MAX_SPAN = 1e4; // largest view width / height (relative to the surface's)
const ARROW_PX = 44; // length of the gradient arrow (directions; see drawArrows)

export function createSurfaceView({ canvas, readout, sample, valueAt, onStart, onView = () => {} }) {
  const ctx = canvas.getContext('2d');
  const background = document.createElement('canvas');
  const layer = document.createElement('canvas'); // paths stroked so far while playing
  let paths = []; // per run: its polyline in canvas px (see syncPath)
  let layerStale = true;
  let pathsGeometry = ''; // the view box and size the cached pixels are for
  let layerDrawn = []; // per run: kept points stroked on the layer
  let theme = null;
  let bounds = null; // the view box shown: { x_min, x_max, y_min, y_max }
  let home = null; // the surface's own view box
  let painted = null; // the box the background was painted for
  let repaintTimer = 0;
  let arrows = ''; // arrows drawn at the current points: g, u, m
  let highlight = -1; // a step to mark on every path (chart hover), -1 = none
  let minima = [];
  let frame = null; // last frame rendered, re-used after a resize
  let cssWidth = 0;
  let cssHeight = 0;
  let dpr = 1;
  let backgroundStale = true;
  let drag = null; // { mode: 'pending' | 'start' | 'pan', px, py, from: bounds at press }
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

  // --- background: heat map, contours, ticks (repainted on resize/surface/theme)
  function paintBackground() {
    runSteps(paintBackgroundSteps());
  }

  // paintBackground in parts (the page's start yields to the browser between
  // them, see tasks.js): the heat grid, its pixels, the contours, the ticks. A
  // paint begun meanwhile (a resize, a new view) supersedes it: it stops.
  let paintCount = 0;
  function* paintBackgroundSteps() {
    const paint = ++paintCount;
    const current = () => paint === paintCount;
    backgroundStale = false;
    clearTimeout(repaintTimer);
    painted = bounds && { ...bounds };
    background.width = canvas.width;
    background.height = canvas.height;
    if (!bounds || canvas.width === 0) return;
    const bg = background.getContext('2d');

    const scale = Math.min(1, HEAT_MAX_SIDE / Math.max(canvas.width, canvas.height));
    const gw = Math.max(1, Math.round(canvas.width * scale));
    const gh = Math.max(1, Math.round(canvas.height * scale));
    const heat = sample(bounds, gw, gh);
    yield;
    if (!current()) return;
    const image = new ImageData(gw, gh);
    const ramp = buildRamp(theme.mapStops);
    const range = finiteRange(heat);
    const band = Math.max(gw, HEAT_BAND_CELLS - (HEAT_BAND_CELLS % gw)); // whole rows
    for (let from = 0; from < heat.length; from += band) {
      yield;
      if (!current()) return;
      paintHeat(heat, image.data, ramp, { range, from, to: Math.min(heat.length, from + band) });
    }
    const tile = document.createElement('canvas');
    tile.width = gw;
    tile.height = gh;
    tile.getContext('2d').putImageData(image, 0, 0);
    bg.imageSmoothingEnabled = true;
    bg.drawImage(tile, 0, 0, background.width, background.height);
    yield;
    if (!current()) return;

    bg.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawContours(bg);
    yield;
    if (!current()) return;
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
  // Paths are kept per run as polylines in canvas pixels (frame/path.js),
  // extended by the rows added since the last frame, so a frame costs O(new
  // rows), not O(steps taken). While playing (`live`), new segments are
  // stroked onto a layer canvas that keeps the older ones; any other render
  // strokes the kept points again from step 0, which is cheap because the kept
  // points stay few where a run converges.
  // Brings run i's cache up to date with the rows given; returns the cache.
  function syncPath(run, i) {
    let cache = paths[i];
    if (!pathFits(cache, run)) {
      cache = paths[i] = createPath({ bounds: { ...bounds }, width: cssWidth, height: cssHeight, colour: run.colour, label: run.label });
      layerStale = true;
    }
    return extendPath(cache, run.trajectory);
  }

  // The last finite row of a run among the rows given (-1 if none), from its cache.
  function lastFinite(run, cache) {
    return lastFiniteRow(cache, run.trajectory.length / 3);
  }

  // Strokes kept points [from, to) of a cache, then (when `head`) on to the exact point of row `last`.
  function strokePath(g, cache, from, to, colour, run, last) {
    if (to - from < 1) return;
    g.beginPath();
    g.moveTo(cache.x[from], cache.y[from]);
    for (let j = from + 1; j < to; ++j) g.lineTo(cache.x[j], cache.y[j]);
    if (run && last >= 0 && cache.row[to - 1] !== last) g.lineTo(...toCanvas(run.trajectory[3 * last], run.trajectory[3 * last + 1]).map(clampPx));
    g.lineJoin = 'round';
    g.lineCap = 'round';
    g.strokeStyle = theme.halo;
    g.lineWidth = 4;
    g.stroke();
    g.strokeStyle = colour;
    g.lineWidth = 2;
    g.stroke();
  }

  // Draws every path (on the layer when live, else on the canvas); returns each run's last finite row.
  function drawPaths(runs, live) {
    const geometry = `${bounds.x_min} ${bounds.x_max} ${bounds.y_min} ${bounds.y_max} ${cssWidth} ${cssHeight} ${dpr}`;
    if (geometry !== pathsGeometry) {
      invalidatePaths();
      pathsGeometry = geometry;
    }
    const caches = runs.map(syncPath);
    const lasts = runs.map((run, i) => lastFinite(run, caches[i]));
    const counts = caches.map((cache, i) => keptUpTo(cache, lasts[i]));
    if (!live) {
      runs.forEach((run, i) => strokePath(ctx, caches[i], 0, counts[i], run.colour, run, lasts[i]));
      layerStale = true; // the layer no longer matches what is shown
      return lasts;
    }
    const g = layer.getContext('2d');
    if (layerStale || layer.width !== canvas.width || layer.height !== canvas.height ||
        runs.length !== layerDrawn.length || counts.some((c, i) => c < layerDrawn[i])) {
      layer.width = canvas.width;
      layer.height = canvas.height;
      g.setTransform(dpr, 0, 0, dpr, 0, 0);
      layerDrawn = counts.map(() => 0);
      layerStale = false;
    }
    runs.forEach((run, i) => {
      const done = layerDrawn[i];
      if (counts[i] <= done) return;
      // Re-stroke a few px of the older path so the new halo does not notch its end.
      let from = Math.max(0, done - 1);
      let back = 0;
      while (from > 0 && back < 4) {
        back += Math.hypot(caches[i].x[from] - caches[i].x[from - 1], caches[i].y[from] - caches[i].y[from - 1]);
        --from;
      }
      strokePath(g, caches[i], from, counts[i], run.colour, null, -1);
      layerDrawn[i] = counts[i];
    });
    ctx.save();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.drawImage(layer, 0, 0);
    ctx.restore();
    // The bit from the last kept point to the exact current point.
    runs.forEach((run, i) => {
      const c = counts[i];
      if (c > 0 && lasts[i] >= 0 && caches[i].row[c - 1] !== lasts[i]) strokePath(ctx, caches[i], c - 1, c, run.colour, run, lasts[i]);
    });
    return lasts;
  }

  /** Forgets the cached paths (the view, size or theme changed). */
  function invalidatePaths() {
    paths = [];
    layerStale = true;
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

  function draw({ live = false } = {}) {
    if (!bounds || !theme || canvas.width === 0) return;
    if (backgroundStale) paintBackground();
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    if (sameBox(painted, bounds)) {
      ctx.drawImage(background, 0, 0);
    } else {
      // The view moved: stretch the last background into place until the repaint.
      const [x0, y0] = toCanvas(painted.x_min, painted.y_max);
      const [x1, y1] = toCanvas(painted.x_max, painted.y_min);
      ctx.fillStyle = theme.surface;
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      ctx.drawImage(background, x0 * dpr, y0 * dpr, (x1 - x0) * dpr, (y1 - y0) * dpr);
    }
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    if (!frame) {
      for (const m of minima) drawMinimum(ctx, ...toCanvas(m.x, m.y));
      return;
    }
    // Paths first, then landmarks, then every current point, so no dot hides under a path.
    const lasts = drawPaths(frame.runs, live);
    for (const m of minima) drawMinimum(ctx, ...toCanvas(m.x, m.y));
    drawStart(frame.start);
    if (arrows) frame.runs.forEach((run, i) => drawArrows(run, lasts[i]));
    frame.runs.forEach((run, i) => drawHead(run, lasts[i]));
    if (highlight >= 0) frame.runs.forEach((run) => drawHighlight(run, highlight));
  }

  // Arrows at the current point, in the path's colour: the next update at its
  // true length (dashes-free, filled head); the downhill direction −g (dashed)
  // at a fixed length; the momentum buffer −m (dotted, open head) scaled by
  // |m| / |g| against the gradient arrow, so their mix makes the update.
  function drawArrows(run, last) {
    const a = run.arrows;
    if (!a || last < 0 || run.divergedAt >= 0) return;
    const [px, py] = toCanvas(run.trajectory[3 * last], run.trajectory[3 * last + 1]);
    if (px < 0 || py < 0 || px > cssWidth || py > cssHeight) return;
    const perPxX = cssWidth / (bounds.x_max - bounds.x_min);
    const perPxY = cssHeight / (bounds.y_max - bounds.y_min);
    const g = a.gradient;
    const gNorm = g ? Math.hypot(g[0] * perPxX, g[1] * perPxY) : 0;
    const screen = (v, length) => { // a surface vector as a screen vector of the given length
      const sx = v[0] * perPxX;
      const sy = -v[1] * perPxY;
      const n = Math.hypot(sx, sy);
      return n > 0 && Number.isFinite(n) ? [(sx / n) * length, (sy / n) * length] : null;
    };
    if (arrows.includes('m') && a.momentum && g) {
      const m = a.momentum;
      const ratio = gNorm > 0 ? Math.hypot(m[0] * perPxX, m[1] * perPxY) / gNorm : 1;
      const v = screen([-m[0], -m[1]], clamp(ARROW_PX * ratio, 8, 3 * ARROW_PX));
      if (v) arrow(px, py, v, run.colour, 'momentum');
    }
    if (arrows.includes('g') && g) {
      const v = screen([-g[0], -g[1]], ARROW_PX);
      if (v) arrow(px, py, v, run.colour, 'gradient');
    }
    if (arrows.includes('u') && a.update) {
      const u = a.update;
      const length = Math.hypot(u[0] * perPxX, u[1] * perPxY);
      const v = screen(u, clamp(length, 10, 4 * ARROW_PX));
      if (v) arrow(px, py, v, run.colour, 'update');
    }
  }

  function arrow(px, py, [dx, dy], colour, kind) {
    drawArrow(ctx, px, py, dx, dy, colour, kind, theme.halo);
  }

  function drawHighlight(run, k) {
    const t = run.trajectory;
    if (3 * k + 1 >= t.length) return;
    const [x, y] = toCanvas(t[3 * k], t[3 * k + 1]);
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    ctx.beginPath();
    ctx.arc(clamp(x, HEAD_INSET_PX, cssWidth - HEAD_INSET_PX), clamp(y, HEAD_INSET_PX, cssHeight - HEAD_INSET_PX), 7, 0, 2 * Math.PI);
    ctx.lineWidth = 4;
    ctx.strokeStyle = theme.halo;
    ctx.stroke();
    ctx.lineWidth = 2;
    ctx.strokeStyle = run.colour;
    ctx.stroke();
  }

  // --- the view box -----------------------------------------------------------
  // Moves the view; the background follows once the view rests.
  function moveView(next, { report = true } = {}) {
    bounds = next;
    clearTimeout(repaintTimer);
    repaintTimer = setTimeout(() => { backgroundStale = true; draw(); }, VIEW_REPAINT_MS);
    draw();
    if (report) onView(sameBox(bounds, home) ? null : { ...bounds });
  }

  // Zooms by `factor` (> 1 = in) keeping the surface point under (px, py) in place.
  function zoomAbout(factor, px = cssWidth / 2, py = cssHeight / 2) {
    if (!bounds || !home) return;
    const [cx, cy] = toSurface(px, py);
    const w = bounds.x_max - bounds.x_min;
    const h = bounds.y_max - bounds.y_min;
    const homeW = home.x_max - home.x_min;
    const f = clamp(factor, w / (MAX_SPAN * homeW), w / (MIN_SPAN * homeW));
    const fx = (cx - bounds.x_min) / w;
    const fy = (bounds.y_max - cy) / h;
    const nw = w / f;
    const nh = h / f;
    const x_min = cx - fx * nw;
    const y_max = cy + fy * nh;
    moveView({ x_min, x_max: x_min + nw, y_min: y_max - nh, y_max });
  }

  // --- size ---------------------------------------------------------------
  function resize() {
    if (measure()) draw();
  }

  // Takes the canvas's size; whether it changed (the background is then stale).
  function measure() {
    const rect = canvas.getBoundingClientRect();
    dpr = window.devicePixelRatio || 1;
    const w = Math.round(rect.width * dpr);
    const h = Math.round(rect.height * dpr);
    cssWidth = rect.width;
    cssHeight = rect.height;
    if (w === canvas.width && h === canvas.height) return false;
    canvas.width = w;
    canvas.height = h;
    backgroundStale = true;
    return true;
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

  // Two fingers down: pinch to zoom about their midpoint, which the view follows
  // as they move (a two-finger pan); the surface point under the midpoint at
  // the start stays under it. Nothing else happens until every finger is up.
  const pointers = new Map(); // pointerId -> [px, py] of the pointers down
  let pinch = null; // { from: bounds, mid: [px, py] at the start, spread, point: surface point under mid }
  const spreadOf = ([a, b]) => Math.max(1, Math.hypot(a[0] - b[0], a[1] - b[1]));
  const midOf = ([a, b]) => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  function startPinch() {
    const two = [...pointers.values()].slice(0, 2);
    const mid = midOf(two);
    pinch = { from: { ...bounds }, spread: spreadOf(two), point: toSurface(...mid) };
    if (drag) canvas.classList.remove('is-dragging', 'is-panning');
    drag = { mode: 'pinch' };
  }
  function movePinch() {
    const two = [...pointers.values()].slice(0, 2);
    const { from, point } = pinch;
    const w = from.x_max - from.x_min;
    const h = from.y_max - from.y_min;
    const homeW = home.x_max - home.x_min;
    const f = clamp(spreadOf(two) / pinch.spread, w / (MAX_SPAN * homeW), w / (MIN_SPAN * homeW));
    const [mx, my] = midOf(two);
    const nw = w / f;
    const nh = h / f;
    const x_min = point[0] - (mx / cssWidth) * nw;
    const y_max = point[1] + (my / cssHeight) * nh;
    moveView({ x_min, x_max: x_min + nw, y_min: y_max - nh, y_max });
  }

  canvas.addEventListener('pointerdown', (event) => {
    if (!bounds || event.button !== 0) return;
    canvas.setPointerCapture(event.pointerId);
    pointers.set(event.pointerId, eventPoint(event));
    if (pointers.size >= 2) {
      startPinch();
      return;
    }
    if (drag?.mode === 'pinch') return;
    const [px, py] = eventPoint(event);
    const mode = nearStart(px, py) || event.shiftKey ? 'start' : 'pending';
    drag = { mode, px, py, from: { ...bounds } };
    if (mode === 'start') {
      canvas.classList.add('is-dragging');
      onStart(...toSurface(px, py), { final: false });
    }
  });
  canvas.addEventListener('pointermove', (event) => {
    if (!bounds) return;
    if (pointers.has(event.pointerId)) pointers.set(event.pointerId, eventPoint(event));
    if (drag?.mode === 'pinch') {
      if (pointers.size >= 2) movePinch();
      return;
    }
    const [px, py] = eventPoint(event);
    if (drag?.mode === 'pending' && Math.hypot(px - drag.px, py - drag.py) >= CLICK_SLOP_PX) {
      drag.mode = 'pan';
      canvas.classList.add('is-panning');
    }
    if (drag?.mode === 'pan') {
      const { from } = drag;
      const dx = ((px - drag.px) / cssWidth) * (from.x_max - from.x_min);
      const dy = ((py - drag.py) / cssHeight) * (from.y_max - from.y_min);
      moveView({ x_min: from.x_min - dx, x_max: from.x_max - dx, y_min: from.y_min + dy, y_max: from.y_max + dy });
      return;
    }
    const [x, y] = toSurface(px, py);
    showReadout(x, y);
    if (drag?.mode === 'start') onStart(x, y, { final: false });
    else if (!drag) canvas.classList.toggle('is-grabbable', nearStart(px, py));
  });
  const release = (event) => {
    pointers.delete(event.pointerId);
    if (drag?.mode === 'pinch') {
      if (pointers.size < 2) pinch = null;
      if (pointers.size === 0) drag = null; // a pinch ends with the last finger, never as a tap
      return;
    }
    if (!drag) return;
    const { mode } = drag;
    drag = null;
    canvas.classList.remove('is-dragging', 'is-panning');
    if (event.type !== 'pointerup' || mode === 'pan') return;
    onStart(...toSurface(...eventPoint(event)), { final: true });
  };
  canvas.addEventListener('pointerup', release);
  canvas.addEventListener('pointercancel', release);
  canvas.addEventListener('pointerleave', () => {
    if (!drag) readout.textContent = hint;
  });
  canvas.addEventListener('wheel', (event) => {
    if (!bounds) return;
    event.preventDefault();
    const delta = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
    zoomAbout(WHEEL_ZOOM ** -clamp(delta, -400, 400), ...eventPoint(event));
  }, { passive: false });

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
    } else if (event.key === '+' || event.key === '=' || event.key === '-' || event.key === '0') {
      if (event.key === '0') moveView({ ...home });
      else zoomAbout(event.key === '-' ? 1 / 1.5 : 1.5);
      event.preventDefault();
    }
  });

  function showReadout(x, y) {
    const f = valueAt(x, y);
    readout.textContent = `x ${formatValue(x, 3)}   y ${formatValue(y, 3)}   f ${formatValue(f, 4)}`;
  }

  function* setSurfaceSteps(info) {
    home = { ...info.view };
    bounds = { ...home };
    minima = info.minima ?? [];
    canvas.style.setProperty('--aspect', `${bounds.x_max - bounds.x_min} / ${bounds.y_max - bounds.y_min}`);
    frame = null;
    backgroundStale = true;
    measure(); // a layout of the new markup: a part of its own
    yield;
    if (theme && canvas.width > 0) yield* paintBackgroundSteps();
    draw();
  }

  return {
    /** Shows a surface: { view: bounds, minima: [{x, y, f}] }. */
    setSurface: (info) => runSteps(setSurfaceSteps(info)),
    /** setSurface in parts (a generator; see tasks.js). */
    setSurfaceSteps,
    /** Forgets the paths drawn: the runs restarted (their rows may differ from step 1 on). */
    clearPaths: () => invalidatePaths(),
    setTheme(next) {
      theme = next;
      backgroundStale = true;
      layerStale = true;
      draw();
    },
    /**
     * frame: { start: [x, y], runs: [{ colour, label, trajectory (x,y,f rows), divergedAt }] };
     * `live` while playing: only the rows added since the last frame are stroked.
     */
    render(next, { live = false } = {}) {
      frame = next;
      draw({ live });
    },
    /** Shows the box `view` (null = the surface's own), repainting at once; does not call onView. */
    setView(view) {
      if (!home) return;
      bounds = view ? { ...view } : { ...home };
      backgroundStale = true;
      draw();
    },
    /** Zoom in (factor > 1) or out about the centre; reports the view. */
    zoom: (factor) => zoomAbout(factor),
    /** Back to the surface's own view; reports it. */
    resetView() {
      if (home) moveView({ ...home });
    },
    /** Which arrows to draw at the current points: a string of g, u, m. */
    setArrows(next) {
      arrows = next;
      draw();
    },
    /** Marks step k on every path (-1 = none). */
    setHighlight(k) {
      if (k === highlight) return;
      highlight = k;
      draw();
    },
    /** Surface coordinates -> CSS pixels relative to the canvas's top-left corner. */
    toCanvas: (x, y) => toCanvas(x, y),
    toSurface: (px, py) => toSurface(px, py),
    get highlight() {
      return highlight;
    },
    get bounds() {
      return bounds && { ...bounds };
    },
  };
}

const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));
const sameBox = (a, b) =>
  Boolean(a && b) && a.x_min === b.x_min && a.x_max === b.x_max && a.y_min === b.y_min && a.y_max === b.y_max;

/**
 * An arrow from (px, py) along (dx, dy) CSS px on a halo: `update` solid with a
 * filled head, `gradient` dashed with a filled head, `momentum` dotted with an
 * open head. Shared with the legend's swatches.
 */
export function drawArrow(g, px, py, dx, dy, colour, kind, halo) {
  const length = Math.hypot(dx, dy);
  if (!(length > 0)) return;
  const ux = dx / length;
  const uy = dy / length;
  const head = Math.min(9, 0.45 * length + 3);
  const tipX = px + dx;
  const tipY = py + dy;
  const baseX = tipX - ux * head;
  const baseY = tipY - uy * head;
  const wing = head * 0.55;
  const shaft = () => {
    g.beginPath();
    g.moveTo(px, py);
    g.lineTo(kind === 'momentum' ? tipX : baseX, kind === 'momentum' ? tipY : baseY);
  };
  const headPath = () => {
    g.beginPath();
    g.moveTo(baseX - uy * wing, baseY + ux * wing);
    g.lineTo(tipX, tipY);
    g.lineTo(baseX + uy * wing, baseY - ux * wing);
    if (kind !== 'momentum') g.closePath();
  };
  g.save();
  g.lineCap = 'round';
  g.lineJoin = 'round';
  const dash = kind === 'gradient' ? [5, 4] : kind === 'momentum' ? [0.5, 4.5] : [];
  const width = kind === 'update' ? 2.75 : 2.25;
  for (const [stroke, w] of [[halo, width + 2.5], [colour, width]]) {
    g.setLineDash(dash);
    g.strokeStyle = stroke;
    g.lineWidth = w;
    shaft();
    g.stroke();
    g.setLineDash([]);
    headPath();
    g.lineWidth = stroke === halo ? 4 : 1.5;
    g.stroke();
    if (kind !== 'momentum' && stroke !== halo) {
      g.fillStyle = colour;
      g.fill();
    }
  }
  g.restore();
}

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
