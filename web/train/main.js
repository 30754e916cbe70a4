// The training page's controller: loads the module (SIMD when the browser has
// it), owns the page state, and wires the engine to the views. The picture is
// a function of the state: the data set, the model and sampling settings, the
// optimizers, and the step shown. Any change the core refuses shows the core's
// message next to the control and changes nothing else.
//
// Large data sets: every full-data loss value is a pass over all samples, so
// the surface grid is coarser the more samples there are (about GRID_BUDGET
// sample evaluations in all), computed in strips between frames with a
// progress bar; the play loop steps only as much as fits in a frame.

import { loadDescentModule } from '../module-loader.js';
import { TrainEngine } from './engine.js';
import { createSurfaceView } from './surface-view.js';
import { createDataChart } from './data-chart.js';
import { createTrainLossChart } from './loss-chart.js';
import { readTheme, seriesColour, watchScheme, cssColours } from '../theme.js';
import { composeSpec, formatCount } from '../format.js';
import { yieldToBrowser, runSteps } from '../tasks.js';

const GRID_BUDGET = 4e7; // sample evaluations per surface grid
const GRID_MAX = 96; // cells per side
const GRID_MIN = 12;
const FRAME_MS = 12; // time per frame for stepping or grid strips
const MAX_BUDGET = 100000;
const MAX_CSV_BYTES = 50_000_000;
const CHART_SAMPLES = 2000;

const $ = (id) => document.getElementById(id);
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));

// Learning rates that make a sensible first race for each model.
const DEFAULT_LR = {
  linear: { sgd: 0.05, momentum: 0.02, adam: 0.1 },
  logistic: { sgd: 0.5, momentum: 0.2, adam: 0.1 },
};

const state = {
  model: 'linear',
  precision: 'f32',
  l2: 0,
  batch: 16,
  replacement: false,
  seed: 1,
  optimizers: ['sgd', 'adam'].map((id) => ({ id, lr: DEFAULT_LR.linear[id] })),
  budget: 300,
  shown: 0,
  overlay: false,
};

let engine;
let moduleInfo;
let theme;
let surfaceView;
let dataChart;
let lossChart;
let runs = []; // engine.runs() for the current steps, refreshed after stepping
let surface = null; // surfaceJson of the current trainer
let grid = null; // { values, width, height }
let gridToken = 0;
let playing = false;
let dataVersion = 0; // bumped whenever the data set changes
let gridKey = '';

function gridSide(samples) {
  return Math.max(GRID_MIN, Math.min(GRID_MAX, Math.floor(Math.sqrt(GRID_BUDGET / Math.max(1, samples)))));
}

function pageTheme() {
  const t = readTheme();
  [t.batch, t.dataPoint] = cssColours(document.body, ['--batch-contour', '--data-point']);
  return t;
}

function specOf(o) {
  return composeSpec(o.id, [['lr', o.lr]]);
}

function config() {
  return {
    model: state.model, precision: state.precision, l2: state.l2, batch: state.batch,
    replacement: state.replacement, seed: state.seed, specs: state.optimizers.map(specOf),
  };
}

function showError(element, message) {
  element.textContent = message ?? '';
  element.hidden = !message;
}

// ---- data -----------------------------------------------------------------

function buildDataControls() {
  const kinds = engine.models.datasets;
  $('data-kind').replaceChildren(...kinds.map((k) => new Option(`${k.kind}: ${k.summary}`, k.kind)));
  $('data-kind').addEventListener('change', () => buildParamFields());
  buildParamFields();
}

function buildParamFields() {
  const kind = engine.models.datasets.find((k) => k.kind === $('data-kind').value);
  const fields = kind.params.map((p) => {
    const label = document.createElement('label');
    label.className = 'field';
    label.title = p.meaning;
    const name = document.createElement('span');
    name.className = 'field-label';
    name.textContent = p.key;
    const input = document.createElement('input');
    input.className = 'input input-narrow';
    input.type = 'text';
    input.inputMode = p.whole ? 'numeric' : 'decimal';
    input.value = String(Number(p.default_value ?? p.default).toPrecision(6) * 1);
    input.dataset.key = p.key;
    input.dataset.testid = `data-param-${p.key}`;
    input.addEventListener('keydown', (e) => { if (e.key === 'Enter') generate(); });
    label.append(name, input);
    return label;
  });
  $('data-params').replaceChildren(...fields);
}

function generate() {
  const kind = $('data-kind').value;
  // A data set's spec has the optimizers' grammar: kind:key=value,...
  const params = [...$('data-params').querySelectorAll('input')].map((i) => [i.dataset.key, i.value.trim()]);
  useData({ spec: composeSpec(kind, params) });
}

// Parses and trains on new data; on any refusal shows the message and keeps everything.
async function useData(source) {
  pause();
  $('data-status').textContent = source.csv !== undefined ? 'Reading the CSV…' : 'Generating…';
  await nextFrame();
  let data;
  try {
    data = engine.parseData(source);
  } catch (error) {
    $('data-status').textContent = '';
    showError($('data-error'), `Could not use this data: ${error.message}`);
    return false;
  }
  const saved = { model: state.model, optimizers: state.optimizers };
  const model = data.classes() ? 'logistic' : 'linear';
  if (model !== state.model) switchModel(model);
  try {
    engine.use(data, config());
  } catch (error) {
    data.delete();
    Object.assign(state, saved);
    $('data-status').textContent = '';
    showError($('data-error'), `Could not use this data: ${error.message}`);
    return false;
  }
  showError($('data-error'), null);
  showError($('setup-error'), null);
  $('model').value = state.model;
  $('data-status').textContent = '';
  dataVersion++;
  afterRebuild({ dataChanged: true });
  return true;
}

function readCsvFile(file) {
  if (!file) return;
  if (file.size > MAX_CSV_BYTES) {
    showError($('data-error'), `Could not use ${file.name}: file is larger than 50 MB`);
    return;
  }
  const reader = new FileReader();
  reader.addEventListener('load', () => {
    useData({ csv: String(reader.result) });
  });
  reader.addEventListener('error', () => {
    showError($('data-error'), `Could not read ${file.name}: ${reader.error?.message ?? 'unknown error'}`);
  });
  $('data-status').textContent = `Reading ${file.name}…`;
  reader.readAsText(file);
}

// ---- model, sampling, optimizers -------------------------------------------

// A new model, with the learning rates that suit it for the optimizers that have one.
function switchModel(model) {
  state.model = model;
  state.optimizers = state.optimizers.map((o) => ({ ...o, lr: DEFAULT_LR[model][o.id] ?? o.lr }));
}

// Applies a change to the settings; reverts it (and says why) if the core refuses.
function applySettings(change, revert) {
  pause();
  const before = JSON.stringify(state);
  const saved = JSON.parse(before);
  change();
  try {
    engine.use(null, config());
  } catch (error) {
    Object.assign(state, saved);
    revert?.();
    showError($('setup-error'), error.message);
    return false;
  }
  showError($('setup-error'), null);
  afterRebuild({ dataChanged: false });
  return true;
}

function numberField(id, key, { whole = false } = {}) {
  const input = $(id);
  input.addEventListener('change', () => {
    const text = input.value.trim();
    const value = Number(text);
    if (text === '' || !Number.isFinite(value) || (whole && !Number.isInteger(value))) {
      showError($('setup-error'), `${key}: '${text}' is not ${whole ? 'a whole number' : 'a number'}`);
      input.value = String(state[key]);
      return;
    }
    const old = state[key];
    applySettings(() => { state[key] = value; }, () => { input.value = String(old); });
  });
}

function renderOptimizerList() {
  const items = state.optimizers.map((o, i) => {
    const entry = engine.registry.find((r) => r.id === o.id);
    const li = document.createElement('li');
    li.className = 'train-optimizer';
    li.dataset.testid = 'optimizer';
    const swatch = document.createElement('span');
    swatch.className = 'train-swatch';
    swatch.style.background = seriesColour(theme, i);
    const name = document.createElement('span');
    name.className = 'train-optimizer-name';
    name.textContent = entry?.name ?? o.id;
    const lrLabel = document.createElement('label');
    lrLabel.className = 'train-check';
    const lrText = document.createElement('span');
    lrText.textContent = 'lr';
    const lr = document.createElement('input');
    lr.className = 'input input-narrow';
    lr.type = 'text';
    lr.inputMode = 'decimal';
    lr.value = String(o.lr);
    lr.dataset.testid = 'optimizer-lr';
    lr.setAttribute('aria-label', `${entry?.name ?? o.id} learning rate`);
    lrLabel.append(lrText, lr);
    const status = document.createElement('span');
    status.className = 'train-optimizer-status';
    status.dataset.testid = 'optimizer-status';
    const remove = document.createElement('button');
    remove.className = 'button button-small';
    remove.type = 'button';
    remove.textContent = 'Remove';
    remove.disabled = state.optimizers.length <= 1;
    const error = document.createElement('p');
    error.className = 'param-error';
    error.setAttribute('role', 'alert');
    error.hidden = true;
    const message = engine.specErrors[i];
    if (message) showError(error, message);

    lr.addEventListener('change', () => {
      const value = Number(lr.value.trim());
      if (!(value > 0) || !Number.isFinite(value)) {
        showError(error, `lr must be a number > 0, got '${lr.value.trim()}'`);
        lr.value = String(o.lr);
        return;
      }
      applySettings(() => { state.optimizers = state.optimizers.map((x, k) => (k === i ? { ...x, lr: value } : x)); });
    });
    remove.addEventListener('click', () => {
      applySettings(() => { state.optimizers = state.optimizers.filter((_, k) => k !== i); });
    });
    li.append(swatch, name, lrLabel, status, remove, error);
    return li;
  });
  $('optimizers').replaceChildren(...items);
  $('add').disabled = state.optimizers.length >= 7;
}

// ---- stepping and drawing ---------------------------------------------------

function refreshRuns() {
  runs = engine.runs().map((r, i) => ({ ...r, colour: seriesColour(theme, i) }));
}

function afterRebuild(options) {
  runSteps(afterRebuildSteps(options));
}

// afterRebuild in parts (a generator: the page's start yields to the browser at each `yield`, see tasks.js).
function* afterRebuildSteps({ dataChanged }) {
  state.shown = 0;
  refreshRuns();
  const d = engine.dataset();
  $('data-name').textContent = d.name;
  const bs = engine.batchSize();
  $('setup-note').textContent =
    `${formatCount(bs)} of ${formatCount(d.size)} samples per step, ` +
    `${formatCount(engine.stepsPerEpoch())} steps per epoch` +
    (bs >= d.size ? ' (full batch: no sampling noise)' : '');
  dataChart.setData(engine.samples(CHART_SAMPLES), state.model, theme);
  yield;
  surface = engine.surface();
  // Sampling and optimizers leave the full-data loss as it is: keep its grid.
  const key = JSON.stringify([dataVersion, state.model, state.precision, state.l2]);
  if (dataChanged || key !== gridKey || !grid) {
    gridKey = key;
    computeGrid();
  }
  yield;
  renderOptimizerList(); // in the task that fills in its status lines: the rows take their height at once
  render();
}

// The full-data loss over the surface's view, in strips, with progress shown.
async function computeGrid() {
  const token = ++gridToken;
  const view = surface.view;
  const side = gridSide(engine.dataset().size);
  const values = new Float64Array(side * side);
  const slow = engine.dataset().size * side * side > 4e6;
  if (slow) {
    $('progress').hidden = false;
    $('progress-bar').value = 0;
  }
  document.body.dataset.surface = 'computing';
  let r = 0;
  while (r < side) {
    const started = performance.now();
    while (r < side && performance.now() - started < FRAME_MS) {
      const rows = Math.max(1, Math.floor((side * 20000) / (engine.dataset().size * side)));
      const r1 = Math.min(side, r + rows);
      values.set(engine.lossRows(view, side, side, r, r1), r * side);
      r = r1;
    }
    if (r < side) {
      $('progress-bar').value = r / side;
      await nextFrame();
      if (token !== gridToken) return;
    }
  }
  $('progress').hidden = true;
  grid = { values, width: side, height: side };
  surfaceView.setFull(grid, view);
  document.body.dataset.surface = 'ready';
  render();
}

// The shown step's mini-batch loss grid, cached per step (the whole set's batch is the full grid).
let batchCache = { key: '', grid: null };
function batchGrid() {
  if (!state.overlay || !surface || !grid) return null;
  if (engine.batchSize() >= engine.dataset().size) return grid;
  const key = JSON.stringify([gridKey, state.batch, state.replacement, state.seed, state.shown]);
  if (batchCache.key !== key) {
    const side = gridSide(engine.batchSize());
    batchCache = { key, grid: { values: engine.batchLossGrid(state.shown, surface.view, side, side), width: side, height: side } };
  }
  return batchCache.grid;
}

// The last row the views show of run r: the step shown, or the step where the
// run diverged (the trainer goes on stepping it in IEEE arithmetic; nothing
// beyond the divergence is drawn).
function lastShown(r) {
  const diverged = r.divergedAt >= 0 && r.divergedAt <= state.shown;
  return Math.min(diverged ? r.divergedAt : state.shown, r.trajectory.length / 3 - 1);
}

function currentModels() {
  return runs.map((r) => {
    const k = lastShown(r);
    return { label: r.label, colour: r.colour, w: r.trajectory[3 * k], b: r.trajectory[3 * k + 1], f: r.trajectory[3 * k + 2] };
  });
}

function render() {
  if (!surface) return;
  const steps = engine.steps();
  const models = currentModels();
  const minimum = surface.minima?.[0];
  surfaceView.render({
    paths: runs.map((r) => ({ trajectory: r.trajectory, colour: r.colour, upTo: lastShown(r) })),
    batch: batchGrid(),
    minimum: minimum ? [minimum.x, minimum.y] : null,
  });
  const batch = engine.batchSize() < engine.dataset().size ? engine.batchSamples(state.shown) : null;
  dataChart.setModels(models, batch, theme);
  lossChart.update(runs.map((r) => ({ ...r, upTo: lastShown(r) })), engine.stepsPerEpoch(), state.budget, theme);
  $('shown').textContent = formatCount(state.shown);
  const scrubber = $('scrubber');
  scrubber.max = String(steps);
  scrubber.value = String(state.shown);
  const perEpoch = engine.stepsPerEpoch();
  $('epoch').textContent = `epoch ${Math.floor(state.shown / perEpoch) + 1}, batch ${(state.shown % perEpoch) + 1} of ${perEpoch}`;
  document.querySelectorAll('[data-testid=optimizer-status]').forEach((el, i) => {
    const m = models[i];
    if (!m) return;
    const diverged = runs[i].divergedAt >= 0 && runs[i].divergedAt <= state.shown;
    el.textContent = diverged ? 'diverged' : `w ${fmt(m.w)}, b ${fmt(m.b)}, loss ${fmt(m.f)}`;
  });
}

function fmt(v) {
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e4 || (Math.abs(v) < 1e-3 && v !== 0) ? v.toExponential(2) : v.toPrecision(4) * 1 + '';
}

// Steps the trainer so that step `target` exists (within one frame's time unless `all`).
function advance(target, all = false) {
  const started = performance.now();
  while (engine.steps() < target) {
    const chunk = Math.max(1, Math.min(target - engine.steps(), Math.ceil(2e5 / engine.dataset().size)));
    engine.step(chunk);
    if (!all && performance.now() - started > FRAME_MS) break;
  }
  refreshRuns();
}

function setPlaying(on) {
  playing = on;
  $('play').classList.toggle('is-playing', on);
  $('play').querySelector('.button-label').textContent = on ? 'Pause' : 'Play';
  $('play').setAttribute('aria-label', on ? 'Pause' : 'Play');
}

function pause() {
  setPlaying(false);
}

function play() {
  if (state.shown >= state.budget) state.shown = 0;
  setPlaying(true);
  const loop = () => {
    if (!playing) return;
    const target = Math.min(state.budget, state.shown + Math.max(1, Math.ceil(state.budget / 240)));
    if (engine.steps() < target) advance(target);
    state.shown = Math.min(target, engine.steps());
    render();
    if (state.shown >= state.budget) setPlaying(false);
    else requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
}

function stepOnce(count = 1) {
  pause();
  const target = state.shown + count;
  advance(target, true);
  state.shown = Math.min(target, engine.steps());
  render();
}

// ---- start ------------------------------------------------------------------

function wire() {
  $('data-generate').addEventListener('click', generate);
  $('csv-use').addEventListener('click', () => useData({ csv: $('csv-text').value }));
  $('csv-file').addEventListener('change', () => {
    readCsvFile($('csv-file').files[0]);
    $('csv-file').value = '';
  });

  $('model').addEventListener('change', () => {
    const old = state.model;
    applySettings(() => switchModel($('model').value), () => { $('model').value = old; });
  });
  $('precision').addEventListener('change', () => {
    const old = state.precision;
    applySettings(() => { state.precision = $('precision').value; }, () => { $('precision').value = old; });
  });
  numberField('l2', 'l2');
  numberField('batch', 'batch', { whole: true });
  numberField('batch-seed', 'seed', { whole: true });
  $('batch-all').addEventListener('click', () => {
    const n = engine.dataset().size;
    const old = state.batch;
    if (applySettings(() => { state.batch = n; }, () => { $('batch').value = String(old); })) $('batch').value = String(n);
  });
  $('replacement').addEventListener('change', () => {
    applySettings(() => { state.replacement = $('replacement').checked; });
  });

  $('add-optimizer').replaceChildren(...engine.registry.map((r) => new Option(`${r.name}: ${r.summary}`, r.id)));
  $('add').addEventListener('click', () => {
    const id = $('add-optimizer').value;
    const lr = DEFAULT_LR[state.model][id] ?? DEFAULT_LR[state.model].adam;
    applySettings(() => { state.optimizers = [...state.optimizers, { id, lr }]; });
  });

  $('play').addEventListener('click', () => (playing ? pause() : play()));
  $('step').addEventListener('click', () => stepOnce());
  $('reset').addEventListener('click', () => {
    pause();
    engine.reset();
    state.shown = 0;
    refreshRuns();
    render();
  });
  $('scrubber').addEventListener('input', () => {
    pause();
    state.shown = Number($('scrubber').value);
    render();
  });
  $('budget').addEventListener('change', () => {
    const v = Number($('budget').value.trim());
    if (Number.isInteger(v) && v >= 1 && v <= MAX_BUDGET) state.budget = v;
    $('budget').value = String(state.budget);
    render();
  });
  $('batch-overlay').addEventListener('change', () => {
    state.overlay = $('batch-overlay').checked;
    render();
  });

  window.addEventListener('resize', () => surfaceView.redraw());
  watchScheme(() => {
    theme = pageTheme();
    surfaceView.setTheme(theme);
    refreshRuns();
    renderOptimizerList();
    dataChart.setData(engine.samples(CHART_SAMPLES), state.model, theme);
    render();
  });

  for (const el of document.querySelectorAll('button, input, select, textarea')) el.disabled = false;
  $('batch').value = String(state.batch);
}

function installTestHook() {
  window.descentTrain = {
    ready: true,
    module: { ...moduleInfo },
    dataset: () => engine.dataset(),
    settings: () => JSON.parse(JSON.stringify({ ...config(), budget: state.budget, overlay: state.overlay })),
    shown: () => state.shown,
    steps: () => engine.steps(),
    playing: () => playing,
    play,
    pause,
    step: (count = 1) => stepOnce(count),
    show: (k) => { pause(); state.shown = Math.max(0, Math.min(k, engine.steps())); render(); },
    /** Per optimizer at the step shown: {label, w, b, f}. */
    models: () => currentModels().map(({ label, w, b, f }) => ({ label, w, b, f })),
    /** The data chart's model datasets: {label, kind, data: [{x, y}]}. */
    chartModels: () => dataChart.chart.data.datasets.filter((d) => d.kind)
      .map((d) => ({ label: d.label, kind: d.kind, data: d.data.map((p) => ({ x: p.x, y: p.y })) })),
    chartSamples: () => dataChart.chart.data.datasets[0].data.length,
    /** The loss chart's y-axis ticks as drawn: [{ value, label }]. */
    lossTicks: () => lossChart.chart.scales.y.ticks.map(({ value, label }) => ({ value, label })),
    lossAxis: () => ({ min: lossChart.chart.scales.y.min, max: lossChart.chart.scales.y.max }),
    surfaceReady: () => document.body.dataset.surface === 'ready',
    gridSide: () => grid?.width ?? 0,
  };
}

async function start() {
  try {
    moduleInfo = await loadDescentModule();
    const { module, simd, name } = moduleInfo;
    moduleInfo = { name, simd };
    // The module's start (embind's registrations) and its first calls (the
    // registry and the models, with the first compile of the code they run): a part each.
    await yieldToBrowser();
    engine = new TrainEngine(module);
    await yieldToBrowser();
    $('module-name').textContent = simd
      ? `Running the ${name} module: loss and gradient with wasm_simd128 kernels.`
      : `Running the ${name} module: scalar kernels (this browser has no WebAssembly SIMD).`;
    // The start in parts, the page drawing in between (tasks.js); the
    // controls stay disabled until wire(), which needs all of this.
    theme = pageTheme();
    surfaceView = createSurfaceView($('surface-canvas'));
    surfaceView.setTheme(theme);
    await yieldToBrowser();
    dataChart = createDataChart($('data-chart'));
    await yieldToBrowser();
    lossChart = createTrainLossChart($('loss-chart'));
    await yieldToBrowser();
    buildDataControls();
    engine.use(engine.parseData({ spec: 'line:n=200,seed=1' }), config());
    await yieldToBrowser();
    wire();
    await runSteps(afterRebuildSteps({ dataChanged: true }), true);
    installTestHook();
    document.body.dataset.state = 'ready';
  } catch (error) {
    document.body.dataset.state = 'error';
    const fatal = $('fatal');
    fatal.textContent = `The training page could not start: ${error.message}`;
    fatal.hidden = false;
    console.error(error);
  }
}

start();
