// The explore page's controller (web/explore.html): the batch workers (a pool,
// one per core: pool.js) do all the computing; this module keeps the page
// state (surface, optimizers A and B, particle and basin settings), talks to
// the pool in small messages and hands the copies it gets back to the views. window.descentExplore is the test hook
// (documented at the end).
import { readTheme, watchScheme } from '../theme.js';
import { lineupFor } from '../presets.js';
import { composeSpec, formatCount, formatSetting, parseSpec, specLabel } from '../format.js';
import { EXAMPLES, errorColumn } from '../views/formula-box.js';
import { ParticleView, paintedSurface } from './particle-view.js';
import { yieldToBrowser } from '../tasks.js';
import { showFatal } from '../views/notices.js';
import { WorkerPool, poolSize } from './pool.js';
import { HyperparameterMap } from './hpmap.js';
import { ViewZoom, pointAt } from './zoom.js';
import {
  BasinView, basinPalette, basinLegend, paintBasins, paintDifference, startAt, labelShares,
  SHADE_BANDS, NOT_CONVERGED, DIVERGED, shadeThresholds,
} from './basin-view.js';

const $ = (id) => document.getElementById(id);
const SLOTS = ['a', 'b'];
const DEFAULTS = { surface: 'himmelblau', a: 'adam', b: 'momentum' };
const HEAT_SIZE = 200;
const MAX_PARTICLE_STEPS = 20000;
// The Surface select's last choice: a typed formula (spec `expr:<formula>`).
const CUSTOM = 'expr:';
const FORMULA_HINT = 'Press Enter to apply: any formula in x and y (examples in the field\'s list). ' +
  'The gradient is exact (automatic differentiation).';

// ---- the workers ----

const pool = new WorkerPool(poolSize(), (detail) => fatal('A background worker failed to start.', detail));
const request = (type, payload) => pool.request(type, payload);
// The hyperparameter map section (hpmap.js); its registry arrives with the workers' ready reply.
const hpmap = new HyperparameterMap(pool, {
  get registry() { return state.registry; },
  get names() { return state.names; },
  surface: () => ({ spec: state.surface, info: state.info }),
  theme: () => state.theme,
});

// ---- state ----

const state = {
  catalogue: [],
  registry: [],
  names: new Map(),
  surface: DEFAULTS.surface, // the spec running: a catalogue id or `expr:<formula>`
  info: null, // its description (catalogue entry or the engine's surfaceInfo): view, minima
  view: null, // the view box the particles and basin maps use: the surface's, or zoomed / panned
  heatToken: 0, // the latest heat map asked for (older replies are dropped)
  formula: { token: 0, error: null }, // the latest formula check; error: { message, column }
  theme: null,
  particles: {
    runId: 0, playing: false, inFlight: false, steps: 0, converged: [0, 0], diverged: [0, 0], n: 0,
    compiled: [false, false], surface: '', specs: [], // the surface and optimizer specs of the cloud shown
    clouds: [], // [{ xs, ys }] per slot, as shown
  },
  basin: { status: 'idle', id: 0, maps: null, minima: [], nx: 0, ny: 0, k: 0, box: null, specs: [], thresholds: [0, 0, 0],
    framesMidway: 0 },
  trajectory: null,
  rafTicks: 0,
  moduleName: '',
  simd: false,
};

const particleViews = SLOTS.map((s) => new ParticleView($(`particles-${s}`)));
const basinViews = ['a', 'b', 'diff'].map((s) => {
  const canvas = $(`basin-${s}`);
  return new BasinView(canvas, canvas.parentElement.querySelector('.map-overlay'));
});

function fatal(title, detail) {
  showFatal($('fatal'), title, detail);
  document.body.dataset.state = 'error';
}

function setupError(message) {
  const p = $('setup-error');
  p.textContent = message ?? '';
  p.hidden = !message;
}

const isFormula = (spec) => spec.startsWith(CUSTOM);
const box = () => state.view;
const home = () => state.info.view;
// How near a minimum an end point counts as reaching it: 1% of the surface's
// own view, whatever the zoom, so a start's label does not depend on the view.
const radiusOf = (view) => 0.01 * Math.max(view.x_max - view.x_min, view.y_max - view.y_min);
const colourOf = (slot) => state.theme.series[slot === 'a' ? 0 : 1];

// The spec of optimizer slot A or B: the surface's line-up settings for that
// optimizer (if it has one), with the learning rate from the field.
function specOf(slot) {
  const id = $(`opt-${slot}`).value;
  const base = lineupFor(state.surface).map(parseSpec).find((p) => p.id === id);
  const settings = (base?.settings ?? []).filter(([key]) => key !== 'lr');
  const entry = state.registry.find((r) => r.id === id);
  const lr = Number($(`lr-${slot}`).value);
  if (entry?.params.some((p) => p.key === 'lr')) {
    if (!(lr > 0) || !Number.isFinite(lr)) throw new Error(`Optimizer ${slot.toUpperCase()}: the learning rate must be a positive number`);
    settings.unshift(['lr', formatSetting(lr)]);
  }
  return composeSpec(id, settings);
}

function specs() {
  return SLOTS.map(specOf);
}

// The default learning rate of an optimizer on the current surface.
function defaultLr(id) {
  const fromLineup = lineupFor(state.surface).map(parseSpec).find((p) => p.id === id)?.settings.find(([k]) => k === 'lr');
  if (fromLineup) return Number(fromLineup[1]);
  return state.registry.find((r) => r.id === id)?.params.find((p) => p.key === 'lr')?.default;
}

function fillLr(slot) {
  const lr = defaultLr($(`opt-${slot}`).value);
  const input = $(`lr-${slot}`);
  input.disabled = lr === undefined;
  input.value = lr === undefined ? '' : formatSetting(lr);
}

function labelNames() {
  let list;
  try {
    list = specs();
    setupError(null);
  } catch (error) {
    setupError(error.message);
    return false;
  }
  SLOTS.forEach((slot, i) => {
    const label = specLabel(list[i], state.names);
    document.querySelector(`[data-testid=particles-name-${slot}]`).textContent = label;
    document.querySelector(`[data-testid=basin-name-${slot}]`).textContent = label;
  });
  return true;
}

// ---- particles ----

function showParticleFrame(frame) {
  state.particles.steps = frame.steps;
  state.particles.clouds = frame.clouds.map(({ xs, ys }) => ({ xs, ys }));
  $('particles-steps').textContent = formatCount(frame.steps);
  frame.clouds.forEach((cloud, i) => {
    const slot = SLOTS[i];
    particleViews[i].draw(cloud.xs, cloud.ys, colourOf(slot));
    state.particles.converged[i] = cloud.converged;
    state.particles.diverged[i] = cloud.diverged;
    state.particles.compiled[i] = cloud.compiled;
    const n = cloud.xs.length;
    const diverged = cloud.diverged ? `, ${formatCount(cloud.diverged)} diverged` : '';
    document.querySelector(`[data-testid=converged-${slot}]`).textContent =
      `${formatCount(cloud.converged)} / ${formatCount(n)} converged${diverged}`;
  });
  showKernelNote(frame.clouds.map((c) => c.compiled));
}

// Next to the module badge, for a typed formula: whether Adam's group step runs
// the formula compiled to WebAssembly at run time or the interpreted program.
function showKernelNote(compiled) {
  const note = document.querySelector('[data-testid=kernel-note]');
  note.hidden = !isFormula(state.surface);
  if (note.hidden) return;
  const where = state.simd ? 'WebAssembly SIMD' : 'WebAssembly';
  const names = SLOTS.map((slot) => state.names.get($(`opt-${slot}`).value) ?? slot.toUpperCase());
  let text;
  if (compiled.every(Boolean)) text = `formula compiled to ${where}`;
  else if (!compiled.some(Boolean)) text = 'formula interpreted';
  else {
    const on = names.filter((_, i) => compiled[i]).join(', ');
    const off = names.filter((_, i) => !compiled[i]).join(', ');
    text = `formula compiled to ${where} for ${on}, interpreted for ${off}`;
  }
  note.textContent = text;
  note.classList.toggle('is-compiled', compiled.some(Boolean));
  note.title = compiled.some(Boolean)
    ? "Adam's steps run a kernel generated from this formula at run time (no interpreter in the loop)"
    : 'The formula runs as an interpreted lane program (only Adam gets a compiled kernel, and only for formulas without sin, exp, log...)';
}

// The views' heat map, painted once (they show the same box at the same size),
// then shown by each view in a task of its own (tasks.js); a later paint
// supersedes one under way.
async function paintSurface() {
  const token = ++state.heatToken;
  const view = box();
  const reply = await request('heatmap', { surface: state.surface, box: view, nx: HEAT_SIZE, ny: HEAT_SIZE });
  if (token !== state.heatToken) return;
  const painted = paintedSurface(reply.values, HEAT_SIZE, HEAT_SIZE, state.theme, particleViews[0].size);
  for (const v of particleViews) {
    await yieldToBrowser();
    // A newer view or surface asking for its own paint stops this one.
    if (token !== state.heatToken) return;
    v.setSurface(view, painted);
  }
}

async function newParticles() {
  if (!labelNames()) return;
  const input = $('particles-n');
  const n = Math.round(Number(input.value));
  if (!(n >= 1 && n <= 100000)) {
    input.setAttribute('aria-invalid', 'true');
    setupError('N must be a whole number from 1 to 100,000');
    return;
  }
  input.removeAttribute('aria-invalid');
  const runId = ++state.particles.runId;
  state.particles.n = n;
  try {
    state.particles.inFlight = true;
    const surface = state.surface;
    const list = specs();
    const reply = await pool.particles({ runId, surface, specs: list, n, seed: runId, box: box() });
    if (reply.runId === state.particles.runId) {
      state.particles.surface = surface;
      state.particles.specs = list;
      showParticleFrame(reply.frame);
    }
  } catch (error) {
    setupError(error.message);
    setPlaying(false);
  } finally {
    state.particles.inFlight = false;
  }
}

function setPlaying(playing) {
  state.particles.playing = playing;
  const button = $('particles-play');
  button.textContent = playing ? 'Pause' : 'Start';
  button.classList.toggle('is-playing', playing);
}

// One request in flight at a time: the animation runs as fast as the workers do.
async function particleTick() {
  const p = state.particles;
  if (!p.playing || p.inFlight || p.runId === 0) return;
  if (p.steps >= MAX_PARTICLE_STEPS) {
    setPlaying(false);
    return;
  }
  const k = Math.min(100, Math.max(1, Math.round(Number($('particles-speed').value)) || 1));
  p.inFlight = true;
  try {
    const reply = await pool.particlesStep({ runId: p.runId, k });
    if (reply.type === 'particles' && reply.runId === p.runId) showParticleFrame(reply.frame);
  } catch (error) {
    setupError(error.message);
    setPlaying(false);
  } finally {
    p.inFlight = false;
  }
}

async function togglePlay() {
  if (state.particles.playing) {
    setPlaying(false);
    return;
  }
  if (state.particles.runId === 0 || state.particles.steps >= MAX_PARTICLE_STEPS) await newParticles();
  setPlaying(true);
}

// ---- basin map ----

function basinPaletteNow() {
  return basinPalette(state.theme.series, state.basin.minima.length);
}

function renderLegend() {
  const list = $('basin-legend');
  list.replaceChildren();
  if (!state.basin.maps) return;
  const palette = basinPaletteNow();
  for (const row of basinLegend(palette, state.basin.minima)) {
    const li = document.createElement('li');
    li.dataset.testid = 'basin-legend-item';
    li.dataset.label = row.key;
    li.dataset.colour = row.colour;
    const sw = document.createElement('span');
    sw.className = 'swatch';
    sw.style.background = row.colour;
    li.append(sw, document.createTextNode(row.key >= 0 ? `minimum ${row.label}` : row.label));
    list.append(li);
  }
  const shade = document.createElement('li');
  const ramp = document.createElement('span');
  ramp.className = 'shade';
  for (let b = 0; b < SHADE_BANDS; ++b) {
    const s = document.createElement('span');
    const v = Math.round(200 * (1 - 0.2 * b));
    s.style.background = `rgb(${v} ${v} ${v})`;
    ramp.append(s);
  }
  const [q1, q2, q3] = state.basin.thresholds.map(formatCount);
  shade.append(ramp, document.createTextNode(`steps taken: ≤ ${q1}, ≤ ${q2}, ≤ ${q3}, more (quarters; darker = slower)`));
  list.append(shade);
}

function renderBasins() {
  const b = state.basin;
  const mode = $('basin-mode').value;
  for (const panel of document.querySelectorAll('[data-view]')) panel.hidden = panel.dataset.view !== mode;
  if (!b.maps) return;
  const palette = basinPaletteNow();
  const size = b.nx * b.ny;
  if (mode === 'side') {
    b.maps.forEach((map, i) => {
      const pixels = new Uint8ClampedArray(4 * size);
      paintBasins(map.labels, map.steps, b.thresholds, pixels, palette);
      basinViews[i].show(pixels, b.nx, b.ny, b.box);
    });
  } else {
    const pixels = new Uint8ClampedArray(4 * size);
    const differ = paintDifference(b.maps[0].labels, b.maps[1].labels, pixels, palette, state.theme.surface);
    basinViews[2].show(pixels, b.nx, b.ny, b.box);
    document.querySelector('[data-testid=basin-differ]').textContent =
      `${(100 * differ / Math.max(1, size)).toFixed(1)}% differ`;
  }
  renderLegend();
  if (state.trajectory) drawTrajectory(state.trajectory);
}

function basinSummary(map) {
  const shares = labelShares(map.labels);
  const conv = shares.get(NOT_CONVERGED) ?? 0;
  const div = shares.get(DIVERGED) ?? 0;
  // Minima known or found (a typed formula): the share that reaches one. None
  // (nothing converged, so none found): say how many starts stopped instead.
  const reached = state.basin.minima.length ? `${(100 * (1 - conv - div)).toFixed(1)}% reach a minimum`
    : `${(100 * map.converged / Math.max(1, map.labels.length)).toFixed(1)}% converge (no known minima)`;
  return `${specLabel(map.spec, state.names)}: ${reached}, ${(100 * div).toFixed(1)}% diverge`;
}

async function runBasins() {
  if (!labelNames()) return;
  const nx = Number($('basin-grid').value);
  const kInput = $('basin-k');
  const k = Math.round(Number(kInput.value));
  if (!(k >= 1 && k <= 20000)) {
    kInput.setAttribute('aria-invalid', 'true');
    setupError('K must be a whole number from 1 to 20,000');
    return;
  }
  kInput.removeAttribute('aria-invalid');
  cancelBasins();
  const b = state.basin;
  const list = specs();
  const view = box();
  const radius = radiusOf(home());
  b.status = 'running';
  b.framesMidway = 0;
  $('basin-run').disabled = true;
  $('basin-cancel').disabled = false;
  $('basin-progress').value = 0;
  $('basin-status').textContent = `computing ${formatCount(nx * nx)} starts × ${formatCount(k)} steps…`;
  // At most one found minimum per palette colour, so no two share one.
  const promise = pool.basin({ surface: state.surface, specs: list, box: view, nx, ny: nx, k, radius,
    maxMinima: state.theme.series.length },
    ({ done, total }) => {
      $('basin-progress').value = total ? done / total : 0;
    });
  const myId = ++b.id;
  const started = performance.now();
  try {
    const reply = await promise;
    if (b.id !== myId) return;
    Object.assign(b, { status: 'done', maps: reply.maps, minima: reply.minima, nx, ny: nx, k, box: view, specs: list,
      thresholds: shadeThresholds(reply.maps) });
    state.trajectory = null;
    $('trajectory-info').textContent = "Click a pixel of a map to see that start's trajectory.";
    $('basin-progress').value = 1;
    $('basin-status').textContent = `${reply.maps.map(basinSummary).join('; ')} (${((performance.now() - started) / 1000).toFixed(1)} s)`;
    renderBasins();
  } catch (error) {
    if (b.id !== myId || error.message === 'cancelled') return;
    b.status = 'error';
    $('basin-status').textContent = `failed: ${error.message}`;
  } finally {
    if (b.id === myId && b.status !== 'running') {
      $('basin-run').disabled = false;
      $('basin-cancel').disabled = true;
    }
  }
}

function cancelBasins() {
  const b = state.basin;
  if (b.status !== 'running') return;
  b.status = b.maps ? 'done' : 'idle';
  $('basin-status').textContent = 'cancelled';
  $('basin-progress').value = 0;
  $('basin-run').disabled = false;
  $('basin-cancel').disabled = true;
  pool.cancelBasin(); // the map's promise rejects with 'cancelled' (ignored in runBasins)
}

function drawTrajectory(t) {
  basinViews.forEach((v) => v.clearTrajectory());
  // Ink on a light halo: readable on every basin colour.
  basinViews[t.view].drawTrajectory(t.xs, t.ys, state.theme.ink, state.theme.halo);
}

// A tap at fraction (fx, fy) of basin canvas `viewIndex`: the trajectory of the
// map's grid start there (the view shown may be zoomed past the map's box while
// it is recomputed: a tap outside the map's box does nothing).
async function showTrajectory(viewIndex, fx, fy) {
  const b = state.basin;
  if (!b.maps) return;
  const [x, y] = pointAt(zoom.current, fx, fy);
  const mx = (x - b.box.x_min) / (b.box.x_max - b.box.x_min);
  const my = (b.box.y_max - y) / (b.box.y_max - b.box.y_min);
  if (!(mx >= 0 && mx <= 1 && my >= 0 && my <= 1)) return;
  const start = startAt(b.box, b.nx, b.ny, mx, my);
  const mapIndex = viewIndex === 2 ? 1 : viewIndex; // the difference view shows B's basins
  const spec = b.specs[mapIndex];
  const radius = radiusOf(home());
  // Found minima (a typed formula) go along: the start is classified against the map's list.
  const found = b.minima.some((m) => m.found);
  const reply = await request('trajectory', { surface: state.surface, spec, x: start.x, y: start.y, k: b.k, radius,
    minima: found ? b.minima.map(({ x, y }) => ({ x, y })) : null });
  const label = b.maps[mapIndex].labels[start.index];
  const at = (m) => `(${m.x.toFixed(2)}, ${m.y.toFixed(2)})`;
  const where = label >= 0
    ? (b.minima[label].found ? `reaches the minimum found near ${at(b.minima[label])}` : `reaches the minimum ${at(b.minima[label])}`)
    : label === DIVERGED ? 'diverges' : `ends near none of the ${found ? 'found' : 'known'} minima`;
  const steps = b.maps[mapIndex].steps[start.index];
  state.trajectory = { view: viewIndex, xs: reply.xs, ys: reply.ys, start, spec, label: reply.label, mapLabel: label };
  $('trajectory-info').textContent =
    `Start (${start.x.toFixed(3)}, ${start.y.toFixed(3)}): ${specLabel(spec, state.names)} ${where}` +
    `${label >= 0 ? ` after ${formatCount(steps)} steps` : ''}; path of ${formatCount(reply.xs.length - 1)} steps shown.`;
  drawTrajectory(state.trajectory);
}

// ---- the view box (zoom and pan: zoom.js) ----

const zoom = new ViewZoom({
  home,
  view: box,
  // While a gesture runs: what is shown, stretched or redrawn into the box.
  preview: (view) => {
    particleViews.forEach((v) => v.setView(view));
    basinViews.forEach((v) => v.setView(view));
    showView(view);
  },
  // The gesture ended: the page's view becomes the box; the heat map is
  // repainted over it and a basin map shown (or running) is recomputed.
  commit: (view) => {
    state.view = { ...view };
    showView(state.view);
    paintSurface().catch((error) => setupError(error.message));
    if (state.basin.maps || state.basin.status === 'running') runBasins();
  },
});

function showView(view) {
  const f = (v) => formatSetting(Number(v.toPrecision(4))).replace('-', '−');
  $('view-box').textContent = `x ${f(view.x_min)} to ${f(view.x_max)}, y ${f(view.y_min)} to ${f(view.y_max)}`;
}

// ---- setup ----

function fillSelect(select, items, value) {
  select.replaceChildren(...items.map(({ id, name }) => new Option(name, id, false, id === value)));
  select.disabled = false;
}

// The Surface select: a built-in runs at once; "Custom formula…" reveals the
// formula field and applies what it holds.
async function onSurfaceSelect() {
  const choice = $('surface').value;
  $('formula-field').hidden = choice !== CUSTOM;
  if (choice === CUSTOM) {
    await applyFormula();
    return;
  }
  state.formula.token++; // a formula check still on its way no longer counts
  showFormulaOk();
  await useSurface(choice, state.catalogue.find((s) => s.id === choice));
}

function showFormulaError(message) {
  const input = $('formula');
  const column = errorColumn(message);
  const text = $('formula-message');
  const still = isFormula(state.surface) ? 'the last valid formula keeps running'
    : `${state.info.name} keeps running`;
  text.textContent = `${message} (${still})`;
  text.classList.add('is-error');
  text.dataset.column = column ?? '';
  input.setAttribute('aria-invalid', 'true');
  state.formula.error = { message, column };
}

function showFormulaOk() {
  const text = $('formula-message');
  text.textContent = FORMULA_HINT;
  text.classList.remove('is-error');
  delete text.dataset.column;
  $('formula').setAttribute('aria-invalid', 'false');
  state.formula.error = null;
}

// Checks the typed formula with the engine (in the worker); a valid one
// becomes the surface, a bad one shows the engine's message with its column
// and the surface running stays. Enter, blur and change all land here; the
// same formula twice is applied once, and only the latest check counts.
async function applyFormula() {
  if ($('surface').value !== CUSTOM) return;
  const text = $('formula').value.trim();
  const token = ++state.formula.token;
  if (!text) {
    showFormulaError('Type a formula in x and y, e.g. (1 - x)^2 + 100*(y - x^2)^2');
    return;
  }
  const spec = `${CUSTOM}${text}`;
  if (spec === state.surface) {
    showFormulaOk();
    return;
  }
  let info;
  try {
    info = (await request('surface', { spec })).info;
  } catch (error) {
    if (token === state.formula.token) showFormulaError(error.message);
    return;
  }
  if (token !== state.formula.token) return;
  showFormulaOk();
  await useSurface(spec, info);
}

async function useSurface(spec, info) {
  state.surface = spec;
  state.info = info;
  zoom.cancel();
  state.view = { ...info.view };
  showView(state.view);
  particleViews.forEach((v) => v.forgetCloud());
  SLOTS.forEach(fillLr);
  labelNames();
  hpmap.onSurface();
  cancelBasins();
  state.basin.maps = null;
  state.trajectory = null;
  basinViews.forEach((v) => v.clear());
  renderLegend();
  $('basin-status').textContent = 'not computed yet';
  $('basin-progress').value = 0;
  setPlaying(false);
  state.particles.runId = 0;
  state.particles.steps = 0;
  await paintSurface();
  await newParticles();
}

function onOptimizerChange() {
  if (!labelNames()) return;
  // A new line-up: new clouds from the same kind of starts (kept paused or playing).
  newParticles();
}

async function start() {
  state.theme = readTheme();
  // explore.html?baseline forces the baseline build (to compare speeds, and for the tests).
  const ready = await pool.init({ forceBaseline: new URLSearchParams(location.search).has('baseline') });
  state.catalogue = ready.catalogue;
  state.registry = ready.registry;
  state.names = new Map(ready.registry.map((r) => [r.id, r.name]));
  state.moduleName = ready.name;
  state.simd = ready.simd;
  const badge = document.querySelector('[data-testid=module-name]');
  badge.textContent = ready.name;
  const workers = pool.size === 1 ? 'one worker' : `${pool.size} workers, one per core`;
  badge.title = `${ready.simd ? 'This browser supports WebAssembly SIMD: the wasm_simd128 kernels run'
    : 'No WebAssembly SIMD here: the scalar kernels run'}, in ${workers}`;

  fillSelect($('surface'), state.catalogue, DEFAULTS.surface);
  $('surface').append(new Option('Custom formula…', CUSTOM));
  $('formula-examples').replaceChildren(...EXAMPLES.map((e) => new Option(e.name, e.formula)));
  fillSelect($('opt-a'), state.registry, DEFAULTS.a);
  fillSelect($('opt-b'), state.registry, DEFAULTS.b);
  state.surface = $('surface').value;
  state.info = state.catalogue.find((s) => s.id === state.surface);
  state.view = { ...state.info.view };
  showView(state.view);
  SLOTS.forEach(fillLr);
  labelNames();

  $('surface').addEventListener('change', onSurfaceSelect);
  const formula = $('formula');
  formula.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault();
    applyFormula();
  });
  formula.addEventListener('change', applyFormula);
  formula.addEventListener('blur', applyFormula);
  for (const slot of SLOTS) {
    $(`opt-${slot}`).addEventListener('change', () => {
      fillLr(slot);
      onOptimizerChange();
    });
    $(`lr-${slot}`).addEventListener('change', onOptimizerChange);
  }
  $('particles-play').addEventListener('click', togglePlay);
  $('particles-reset').addEventListener('click', newParticles);
  $('particles-n').addEventListener('change', newParticles);
  $('basin-run').addEventListener('click', runBasins);
  $('basin-cancel').addEventListener('click', cancelBasins);
  $('basin-mode').addEventListener('change', renderBasins);
  particleViews.forEach((_, i) => zoom.attach($(`particles-${SLOTS[i]}`)));
  basinViews.forEach((view, i) => zoom.attach(view.canvas, {
    tap: (fx, fy) => showTrajectory(i, fx, fy).catch((error) => setupError(error.message)),
  }));
  $('view-in').addEventListener('click', () => zoom.zoomBy(1.5));
  $('view-out').addEventListener('click', () => zoom.zoomBy(1 / 1.5));
  $('view-reset').addEventListener('click', () => zoom.reset());
  watchScheme(() => {
    state.theme = readTheme();
    paintSurface().catch(() => {});
    renderBasins();
  });

  hpmap.start(DEFAULTS.a);
  await paintSurface();
  await newParticles();
  for (const id of ['particles-play', 'particles-reset', 'basin-run', 'view-in', 'view-out', 'view-reset']) $(id).disabled = false;
  document.body.dataset.state = 'ready';
  hook.ready = true;
}

function frame() {
  state.rafTicks++;
  // Frames that ran while a basin map was part way through: the page keeps painting.
  const progress = $('basin-progress').value;
  if (state.basin.status === 'running' && progress > 0 && progress < 1) state.basin.framesMidway++;
  hpmap.frame();
  particleTick();
  requestAnimationFrame(frame);
}
requestAnimationFrame(frame);

// ---- test hook ----
// window.descentExplore: read-mostly state for the browser tests.
//   ready                  true once the module is loaded and the page is wired
//   module()               { name, simd }
//   workers()              the number of batch workers (pool.js: one per core, or ?workers=N)
//   rafTicks()             requestAnimationFrame callbacks so far (responsiveness)
//   particles()            { steps, playing, n, converged: [A, B], diverged: [A, B], compiled: [A, B],
//                          surface (the spec the cloud shown descends), specs (its optimizers A and B) }
//                          (compiled: Adam's group step runs the typed formula's run-time compiled kernel)
//   particleCloud(i)       { xs, ys } of cloud i as drawn (Arrays), or null
//   surface()              { spec, formula (the text of a typed formula, else null), view (the box the
//                          particles and basin maps use: zoomed / panned), home (the surface's own box),
//                          error: { message, column } of the formula field, or null }
//   basin()                { status: idle|running|done|error, nx, ny, k, box (of the map shown), specs, minima, progress,
//                          framesMidway (animation frames of the latest map while it was past 0 and short of 1) }
//                          (minima: [{ x, y }], or [{ x, y, f, found: true }] found for a typed formula)
//   basinLabels(i)         map i's per-pixel labels (minimum index, -1 not converged, -2 diverged) as an Array
//   basinSteps(i)          map i's per-pixel steps taken (to convergence, or all k) as an Array
//   legend()               [{ label, colour, text }] as shown
//   trajectory()           { view, points, x, y, spec, label (where the single-start run ends),
//                          mapLabel (the pixel's label) } of the clicked start, or null
//   hpmap()                the hyperparameter map: { status: idle|running|done|error|cancelled, progress,
//                          framesMidway, filling (the canvas shows the map part way, as its cells come),
//                          error (the message shown, or null), invalid (ids of the fields
//                          marked), settings (the descent sweep arguments of the map shown), seconds,
//                          plan { rows, cols, keys, metric, steps }, cursor { i, j, cell }, link (race URL) }
//   hpmapCells()           its cells as descent sweep --format json lists them, or null
//   hpmapSettings()        the form read as descent sweep arguments now (throws on a bad start or K)
const hook = {
  ready: false,
  module: () => ({ name: state.moduleName, simd: state.simd }),
  workers: () => pool.size,
  rafTicks: () => state.rafTicks,
  particles: () => ({
    steps: state.particles.steps, playing: state.particles.playing, n: state.particles.n,
    converged: [...state.particles.converged], diverged: [...state.particles.diverged],
    compiled: [...state.particles.compiled], surface: state.particles.surface,
    specs: [...state.particles.specs],
  }),
  particleCloud: (i) => {
    const cloud = state.particles.clouds[i];
    return cloud ? { xs: Array.from(cloud.xs), ys: Array.from(cloud.ys) } : null;
  },
  surface: () => ({
    spec: state.surface, formula: isFormula(state.surface) ? state.surface.slice(CUSTOM.length) : null,
    view: { ...box() }, home: { ...home() }, error: state.formula.error ? { ...state.formula.error } : null,
  }),
  basin: () => ({
    status: state.basin.status, nx: state.basin.nx, ny: state.basin.ny, k: state.basin.k,
    box: state.basin.box && { ...state.basin.box },
    specs: [...state.basin.specs], minima: state.basin.minima, progress: $('basin-progress').value,
    framesMidway: state.basin.framesMidway,
  }),
  basinLabels: (i) => (state.basin.maps ? Array.from(state.basin.maps[i].labels) : null),
  basinSteps: (i) => (state.basin.maps ? Array.from(state.basin.maps[i].steps) : null),
  legend: () => [...document.querySelectorAll('[data-testid=basin-legend-item]')]
    .map((li) => ({ label: Number(li.dataset.label), colour: li.dataset.colour, text: li.textContent })),
  hpmap: () => hpmap.snapshot(),
  hpmapCells: () => hpmap.cells(),
  hpmapSettings: () => hpmap.sweepSettings(),
  trajectory: () => (state.trajectory ? {
    view: state.trajectory.view, points: state.trajectory.xs.length,
    x: state.trajectory.start.x, y: state.trajectory.start.y, spec: state.trajectory.spec,
    label: state.trajectory.label, mapLabel: state.trajectory.mapLabel,
  } : null),
};
window.descentExplore = hook;

start().catch((error) => fatal('The explorer could not start.', error.message));
