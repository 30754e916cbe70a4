// The app: wires the engine, the state and the views together. It is the only
// module that holds both the engine and the views; views report intents
// (play, step, a new start...) as callbacks, the app applies them to the state
// and the engine, and hands the views plain frames to draw. Every engine call
// goes through `attempt`, so a module error becomes a message on the page,
// never an uncaught exception.

import { loadEngine } from './engine.js';
import { createStore, STEP_BUDGET, SPEEDS, DEFAULT_SPEED } from './state.js';
import { lineupFor } from './presets.js';
import { readTheme, seriesColour, watchScheme } from './theme.js';
import { createLoop } from './loop.js';
import { formatValue, formatCount, parseSpec, specLabel } from './format.js';
import { createSurfaceView } from './views/surface-view.js';
import { createLossChart } from './views/loss-chart.js';
import { createLegend } from './views/legend.js';
import { createControls } from './views/controls.js';
import { createNotices } from './views/notices.js';
import { installTestHook } from './test-hook.js';

const DEFAULT_SURFACE = 'rosenbrock';

export async function startApp(doc = document) {
  const $ = (id) => doc.getElementById(id);
  const notices = createNotices($('notices'));
  const engine = await loadEngine();

  const names = new Map(engine.registry.map((o) => [o.id, o.name]));
  const catalogue = engine.catalogue;
  const first = catalogue.find((s) => s.id === DEFAULT_SURFACE) ?? catalogue[0];
  const store = createStore({
    surface: first.id,
    start: first.start,
    lineup: lineupFor(first.id),
    playing: false,
    speed: DEFAULT_SPEED,
    budget: STEP_BUDGET,
  });

  let theme = readTheme();
  let surfaceInfo = null;
  let lossBaseline = { value: 0, title: 'loss f(x, y)' };
  let slots = []; // per line-up entry: { spec, ok, index?, error?, name, settings, label }

  // Runs an engine action; on error shows its message and returns false.
  const attempt = (action) => {
    try {
      action();
      return true;
    } catch (error) {
      notices.show(error.message);
      return false;
    }
  };

  // --- views ----------------------------------------------------------------
  const surfaceView = createSurfaceView({
    canvas: $('surface-canvas'),
    readout: $('readout'),
    sample: (bounds, w, h) => engine.sampleGrid(bounds, w, h),
    valueAt: (x, y) => engine.valueAt(x, y),
    onStart: (x, y, { final }) => setStart(x, y, { play: final }),
  });
  const chart = createLossChart($('loss-chart'));
  const legend = createLegend($('legend'));
  const controls = createControls(doc, {
    onPlayPause: () => (store.get().playing ? pause() : play()),
    onStep: () => stepBy(1),
    onReset: () => reset(),
    onSurface: (id) => selectSurface(id),
    onSpeed: (n) => store.update({ speed: n }),
  });
  controls.setChoices({ surfaces: catalogue, speeds: SPEEDS });

  const loop = createLoop(tick);

  // --- rendering --------------------------------------------------------------
  const okSlots = () => slots.filter((slot) => slot.ok);
  const colourOf = (slot) => seriesColour(theme, slots.indexOf(slot));

  function frame() {
    const runs = engine.runs();
    return {
      start: store.get().start,
      runs: okSlots().map((slot) => ({ ...runs[slot.index], colour: colourOf(slot), label: slot.label })),
    };
  }

  // Draws everything; `throttle` lets the chart skip redraws while playing.
  function render({ throttle = false } = {}) {
    const f = frame();
    surfaceView.render(f);
    chart.update(f.runs, { throttle });
    let k = 0;
    legend.update(slots.map((slot) => {
      if (!slot.ok) return null;
      const run = f.runs[k++];
      if (run.divergedAt >= 0) return { text: `diverged at step ${formatCount(run.divergedAt)}`, diverged: true };
      const rows = run.trajectory.length / 3;
      return { text: `f = ${formatValue(run.trajectory[3 * rows - 1])}`, diverged: false };
    }));
    const s = store.get();
    const steps = engine.steps();
    controls.render({
      playing: s.playing, finished: steps >= s.budget, steps, budget: s.budget, surface: s.surface, speed: s.speed,
    });
  }

  // New (empty) series for the chart and a redraw; after any restart.
  function restarted() {
    chart.setRuns(okSlots().map((slot) => ({ label: slot.label, colour: colourOf(slot) })), lossBaseline);
    render();
  }

  // What the log-scale loss axis measures: f itself when the global minimum is
  // 0, else the gap to the known global minimum, else (a surface unbounded
  // below, like a saddle) the height above the lowest value in view.
  function baselineOf(info) {
    const known = Math.min(...(info.minima ?? []).map((m) => m.f));
    if (known === 0) return { value: 0, title: 'loss f(x, y)' };
    if (Number.isFinite(known)) return { value: known, title: 'f(x, y) − f(global minimum)' };
    let lowest = Infinity;
    for (const v of engine.sampleGrid(info.view, 64, 64)) if (v < lowest) lowest = v;
    return Number.isFinite(lowest)
      ? { value: lowest, title: 'f(x, y) − lowest f in view' }
      : { value: 0, title: 'loss f(x, y)' };
  }

  // Specs the module rejected stay in the legend, marked unavailable with its message.
  function showLegend() {
    legend.setEntries(slots.map((slot) => ({
      name: slot.name, settings: slot.settings, colour: colourOf(slot), error: slot.ok ? undefined : slot.error,
    })));
  }

  function showSurfaceText(info) {
    $('surface-name').textContent = info.name;
    $('surface-formula').textContent = `f(x, y) = ${info.formula}`;
    $('surface-note').textContent = info.note;
  }

  // Rebuilds the session from the state's surface, start and line-up.
  function configure() {
    const { surface, start, lineup } = store.get();
    const results = engine.configure({ surface, start, specs: lineup });
    surfaceInfo = engine.surface();
    lossBaseline = baselineOf(surfaceInfo);
    slots = results.map((result) => {
      const { id } = parseSpec(result.spec);
      const name = names.get(id) ?? id;
      const label = specLabel(result.spec, names);
      return { ...result, name, settings: label.slice(name.length).trim(), label };
    });
    showLegend();
    showSurfaceText(surfaceInfo);
    const { view } = surfaceInfo;
    $('layout').style.setProperty('--aspect', `${view.x_max - view.x_min} / ${view.y_max - view.y_min}`);
    surfaceView.setSurface(surfaceInfo);
    restarted();
  }

  // --- actions (UI and test hook) ---------------------------------------------
  function tick() {
    const s = store.get();
    const remaining = s.budget - engine.steps();
    const stepped = remaining <= 0 || attempt(() => engine.step(Math.min(s.speed, remaining)));
    const more = stepped && s.playing && engine.steps() < s.budget;
    if (!more) store.update({ playing: false });
    render({ throttle: more });
    return more;
  }

  function play() {
    if (engine.steps() >= store.get().budget) {
      attempt(() => engine.reset());
      restarted();
    }
    store.update({ playing: true });
    loop.start();
    render();
  }

  function pause() {
    store.update({ playing: false });
    loop.stop();
    render();
  }

  function stepBy(n = 1) {
    pause();
    const remaining = store.get().budget - engine.steps();
    if (remaining > 0) attempt(() => engine.step(Math.min(n, remaining)));
    render();
  }

  function reset() {
    pause();
    attempt(() => engine.reset());
    restarted();
  }

  function setStart(x, y, { play: andPlay = false } = {}) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      notices.show(`The start point must be finite, got (${x}, ${y}).`);
      return;
    }
    loop.stop();
    store.update({ playing: false });
    if (!attempt(() => engine.setStart(x, y))) return;
    store.update({ start: [x, y] });
    restarted();
    if (andPlay) play();
  }

  function selectSurface(spec) {
    let info = null;
    if (!attempt(() => { info = engine.surfaceInfo(spec); })) {
      render(); // puts the picker back on the current surface
      return;
    }
    pause();
    const previous = store.get();
    store.update({ surface: spec, start: info.start, lineup: lineupFor(info.id) });
    if (!attempt(() => configure())) store.update(previous);
  }

  function setLineup(specs) {
    pause();
    store.update({ lineup: [...specs] });
    attempt(() => configure());
  }

  // --- start ------------------------------------------------------------------
  watchScheme(() => {
    theme = readTheme();
    surfaceView.setTheme(theme);
    chart.setTheme(theme);
    chart.setColours(okSlots().map(colourOf));
    showLegend();
    render();
  });
  surfaceView.setTheme(theme);
  chart.setTheme(theme);
  configure();
  controls.setEnabled(true);
  doc.body.dataset.state = 'ready';

  installTestHook({
    engine, store, surfaceView, chart, notices, slots: () => slots, colourOf,
    actions: { play, pause, step: stepBy, reset, setStart, selectSurface, setLineup },
  });
}
