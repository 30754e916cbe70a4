// The app: wires the engine, the state and the views together. It is the only
// module that holds both the engine and the views; views report intents
// (play, a new setting, a formula...) as callbacks, the app applies them to
// the state and the engine, and hands the views plain frames to draw. Every
// engine call goes through `attempt`, so a module error becomes a message on
// the page, never an uncaught exception.
//
// This module is the wiring (DOM events, store subscriptions, actions). What a
// frame draws is computed DOM-free in frame/ (frame.js: the runs cut to the step
// shown, arrows, legend lines, the state at the step shown, text alternatives;
// path.js: the map's polylines; series.js: the chart's series), and the Share
// and Export menus live in share.js.
//
// The picture is a function of the state: the session is rebuilt from the
// surface, start, noise and instances and stepped to the step shown (the
// timeline's position), so a setting change keeps the step, and a link
// restores the same picture. The session may be ahead of the step shown
// (after scrubbing back); views only ever see rows up to the step shown.
//
// One app runs the page (root = document, state mirrored in the URL hash) and
// one runs each <descent-widget> (root = its shadow root, state from its
// attributes, events to the element); `startApp` returns the element's API.
//
// A widget may lock parts of its state (options.locked, the `locked`
// attribute): the reader's controls for them are disabled and their intents
// refused with a note; the API's setState still changes them (the page's author).
// With prefers-reduced-motion, play jumps to the last frame instead of animating.

import { loadEngine } from './engine.js';
import { createStore, SPEEDS, FIELDS, LIMITS, SETTING_KEYS, LOCKED_NAMES, defaultState, readHash, writeHash } from './state.js';
import { normaliseState } from './hash.js';
import { lineupFor, PRESETS } from './presets.js';
import { readTheme, seriesColour, watchScheme } from './theme.js';
import { createLoop } from './loop.js';
import { formatCount, parseSpec, composeSpec, specLabel, formatSetting } from './format.js';
import { createSurfaceView } from './views/surface-view.js';
import { createLossChart } from './views/loss-chart.js';
import { createOptimizerPanel } from './views/optimizer-panel.js';
import { createControls } from './views/controls.js';
import { createNotices } from './views/notices.js';
import { createFormulaBox, errorColumn } from './views/formula-box.js';
import { createNoiseControls } from './views/noise-controls.js';
import { createEquations } from './views/equations.js';
import { createSurface3d } from './views/surface-3d.js';
import { installTestHook } from './test-hook.js';
import { buildFrame, statusOf, stateAt, describeFrame, mapSummary, baselineOf } from './frame/frame.js';
import { createShare } from './share.js';
import { yieldToBrowser, runSteps } from './tasks.js';

const HASH_WRITE_MS = 250;
const EQUATIONS_MS = 100;
const SYNC_STEPS = 500; // a scrub computes this many missing steps at once, more in slices
const SLICE_MS = 12;
const prefersReducedMotion = () => globalThis.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;

/**
 * Starts the app on the markup in `root` (a Document or a ShadowRoot).
 * options: host (the element that gets data-state; default body / the shadow host),
 *   engine (an Engine; default: loads one), hash (mirror the state in the URL;
 *   default: root is the document), initial (a state from the caller, e.g. the
 *   widget's attributes, applied like a link), emit(name, detail) (events),
 *   embedUrl (the page URL an iframe snippet points at), locked (parts the
 *   reader may not change: surface, start, optimizers, noise, steps).
 * Returns the API the widget exposes: play, pause, step, reset, getState,
 * setState, exportPng, exportCsv, exportWebm, describe, setLocked.
 */
export async function startApp(root = document, options = {}) {
  // The start yields to the browser (tasks.js); until it is done the app takes
  // no input (as before its parts were wired), so no intent meets a half-built app.
  const app = root.querySelector('.app') ?? root.getElementById('app-mount');
  const wasInert = app?.inert ?? false;
  if (app) app.inert = true;
  try {
    return await wireApp(root, options);
  } finally {
    if (app) app.inert = wasInert;
  }
}

async function wireApp(root, options) {
  const $ = (id) => root.getElementById(id);
  const host = options.host ?? root.body ?? root.host;
  // Colours and font come from the app's own box (a widget's host element has the page's font).
  const themeBox = root.querySelector('.app') ?? host;
  const useHash = options.hash ?? root === document;
  const emit = options.emit ?? (() => {});
  const notices = createNotices($('notices'));
  const engine = options.engine ?? await loadEngine();
  const tunedNotes = new Map(); // spec -> the panel's sentence on how its lr was tuned (tuneLr)
  $('module-name').textContent = `Running the ${engine.moduleName} module`;
  // The module's start (embind's registrations) and its first call (the
  // registry, with the first compile of the code it runs): a part each.
  await yieldToBrowser();
  const names = new Map(engine.registry.map((o) => [o.id, o.name]));
  await yieldToBrowser();
  const registryById = new Map(engine.registry.map((o) => [o.id, o]));
  const catalogue = engine.catalogue;
  const first = catalogue.find((s) => s.id === FIELDS.surface.default) ?? catalogue[0];
  const withColours = (specs) => specs.map((spec, i) => ({ spec, colour: i, hidden: false, name: '' }));
  const defaults = () => defaultState({ surface: first.id, start: first.start, instances: withColours(lineupFor(first.id)) });
  const store = createStore(defaults());
  let locked = new Set(options.locked ?? []);
  // True (and a note saying so) when the reader tries to change a locked part.
  const refused = (part) => {
    if (!locked.has(part)) return false;
    notices.show(`This figure keeps its ${LOCKED_NAMES[part] ?? part} fixed.`, 'info');
    return true;
  };
  const lockedMessage = (part) => (refused(part) ? `This figure keeps its ${LOCKED_NAMES[part] ?? part} fixed.` : null);

  let theme = readTheme(themeBox);
  let surfaceInfo = null;
  let lossBaseline = { value: 0, title: 'loss f(x, y)' };
  // Per instance: { spec, ok, index?, error?, name, settings, label, values }
  let slots = [];
  // Instances whose divergence has been reported by a 'diverged' event since the last restart.
  const reportedDivergence = new Set();

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
    onStart: (x, y, { final }) => {
      const [x0, y0] = store.get().start;
      if (!locked.has('start')) setStart(x, y, { play: final });
      else if (x === x0 && y === y0) { if (final) play(); } // Enter on a locked marker: run from there
      else refused('start');
    },
    onView: (view) => store.update({ view }),
  });
  await yieldToBrowser(); // Chart.js's first layout comes next (the app is inert meanwhile, see startApp)
  const chart = createLossChart($('loss-chart'), {
    onHover: (k) => surfaceView.setHighlight(k >= 0 ? Math.min(k, shown()) : -1),
  });
  await yieldToBrowser();
  const panel = createOptimizerPanel(
    { list: $('legend'), addSelect: $('add-optimizer'), addButton: $('add-button'), presetSelect: $('presets') },
    {
      onAdd: (id) => { if (!refused('optimizers')) addInstance(id); },
      onRemove: (i) => { if (!refused('optimizers')) removeInstance(i); },
      onHide: (i, hidden) => patchInstance(i, { hidden }),
      onRename: (i, name) => patchInstance(i, { name: name.slice(0, 40) }),
      onRecolour: (i, colour) => patchInstance(i, { colour: colour.toLowerCase() }),
      onParam: (i, key, value) => lockedMessage('optimizers') ?? setParam(i, key, value),
      onSchedule: (i, text) => lockedMessage('optimizers') ?? setSchedule(i, text),
      onTune: (i) => { if (!refused('optimizers')) tuneLr(i); },
      onSelect: (i) => { store.update({ selected: i }); render(); },
      onPreset: (id) => { if (!refused('optimizers')) applyPreset(id); },
    },
  );
  panel.setChoices(engine.registry, PRESETS, engine.schedules, suggestScheduleValue);
  $('tune-each')?.addEventListener('click', () => { if (!refused('optimizers')) tuneEach(); });
  const controls = createControls(root, {
    onPlayPause: () => (store.get().playing ? pause() : play()),
    onStep: () => stepBy(1),
    onStepBack: () => stepBack(),
    onReset: () => reset(),
    onSurface: (id) => {
      if (refused('surface')) render(); // puts the picker back
      else if (id === 'expr:') useFormula(formula.text || 'x^2 + 10*y^2');
      else selectSurface(id);
    },
    onSpeed: (n) => store.update({ speed: n }),
    onScrub: (k) => scrubTo(k),
    onBudget: (n) => { if (refused('steps')) render(); else setBudget(n); },
  });
  controls.setChoices({ surfaces: catalogue, speeds: SPEEDS });
  const formula = createFormulaBox(
    { input: $('formula'), mirror: $('formula-mirror'), message: $('formula-message'), examples: $('formula-examples') },
    { onFormula: (text) => { if (!refused('surface')) useFormula(text); } },
  );
  const noise = createNoiseControls(
    { scale: $('noise-scale'), seed: $('noise-seed'), reseed: $('noise-reseed'), error: $('noise-error') },
    { onNoise: (next) => lockedMessage('noise') ?? setNoise(next) },
  );
  const equations = createEquations({ card: $('eq-rule').closest('.card'), title: $('eq-title'), rule: $('eq-rule'), numbers: $('eq-numbers') });
  const share = createShare({
    root, notices, useHash, embedUrl: options.embedUrl,
    source: {
      store,
      frame: () => frame(),
      csvRuns: () => {
        const runs = engine.runs();
        return okSlots().map((slot) => ({
          ...runs[slot.index], label: labelOf(slot), stateNames: registryById.get(slot.id)?.state ?? [],
        }));
      },
      surfaceName: () => surfaceInfo?.name,
      theme: () => theme,
      shown: () => shown(),
    },
    animation: { pause: () => pause(), showStep: (k) => showStep(k), render: (o) => render(o) },
  });
  $('zoom-in').addEventListener('click', () => surfaceView.zoom(1.5));
  $('zoom-out').addEventListener('click', () => surfaceView.zoom(1 / 1.5));
  $('zoom-reset').addEventListener('click', () => surfaceView.resetView());
  const arrowBoxes = [...root.querySelectorAll('.arrow-toggle input')];
  for (const box of arrowBoxes) {
    box.addEventListener('change', () => setArrows(arrowBoxes.filter((b) => b.checked).map((b) => b.value).join('')));
  }
  $('chart-select').addEventListener('change', (event) => setChart(event.target.value));
  const surface3d = createSurface3d({ container: $('surface-panel-3d'), sample: (bounds, w, h) => engine.sampleGrid(bounds, w, h) });
  const tabs = { '2d': $('tab-2d'), '3d': $('tab-3d') };
  let activeTab = '2d';
  for (const [name, tab] of Object.entries(tabs)) {
    tab.addEventListener('click', () => showTab(name));
    tab.addEventListener('keydown', (event) => {
      if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
      const next = name === '2d' ? '3d' : '2d';
      showTab(next);
      tabs[next].focus();
      event.preventDefault();
    });
  }

  const loop = createLoop(tick);

  // --- rendering --------------------------------------------------------------
  const okSlots = () => slots.filter((slot) => slot.ok);
  const instanceOf = (slot) => store.get().instances[slots.indexOf(slot)];
  const colourOfInstance = (instance, i) =>
    typeof instance?.colour === 'string' ? instance.colour : seriesColour(theme, instance?.colour ?? i);
  const colourOf = (slot) => colourOfInstance(instanceOf(slot), slots.indexOf(slot));
  const shown = () => store.get().step;
  const labelOf = (slot) => instanceOf(slot)?.name || slot.label;

  // The frame at the step shown (frame/frame.js builds it from the state and the runs).
  function frame() {
    const k = shown();
    const wantArrows = Boolean(store.get().arrows);
    // The update arrow shows the next step: keep the session one step ahead.
    if (wantArrows && engine.steps() <= k) attempt(() => engine.step(k + 1 - engine.steps()));
    return buildFrame({
      step: k,
      start: store.get().start,
      arrows: wantArrows,
      runs: engine.runs(),
      entries: okSlots().map((slot) => ({
        index: slot.index, colour: colourOf(slot), label: labelOf(slot), hidden: instanceOf(slot)?.hidden ?? false,
        // The buffer the registry names as the momentum / first moment.
        firstMoment: registryById.get(slot.id)?.first_moment ?? -1,
      })),
    });
  }

  // Draws everything; `throttle` (playing) lets the chart and the equations
  // skip redraws and the map stroke only the new rows of each path.
  let equationsShownAt = 0;
  // Runs `callback` in a task of its own soon (a message, which browsers do not
  // throttle as they do chains of timers), so the page can draw in between.
  const channel = new MessageChannel();
  const queued = [];
  channel.port1.onmessage = () => queued.shift()?.();
  const nextTask = (callback) => {
    queued.push(callback);
    channel.port2.postMessage(0);
  };
  let computing = null; // the computation a scrub beyond the steps computed started: { target, from, slice, promise }
  function render({ throttle = false } = {}) {
    const f = frame();
    surfaceView.render({ ...f, runs: f.runs.filter((run) => !run.hidden) }, { live: throttle });
    if (activeTab === '3d') show3d(f);
    const chartDrawn = chart.update(f.runs, { throttle });
    let k = 0;
    panel.update(slots.map((slot, i) => {
      if (!slot.ok) return null;
      const run = f.runs[k++];
      if (run.divergedAt >= 0 && !reportedDivergence.has(i)) {
        reportedDivergence.add(i);
        emit('diverged', { index: i, label: run.label, spec: slot.spec, step: run.divergedAt });
      }
      return { text: statusOf(run, slot.spec), diverged: run.divergedAt >= 0 };
    }));
    if (!throttle) describeViews(f);
    // While playing, the equations (KaTeX) follow at most every EQUATIONS_MS,
    // and never in the frame the chart redraws (the two dearest redraws would
    // otherwise fall together and overrun the frame).
    if (!throttle || (!chartDrawn && performance.now() - equationsShownAt >= EQUATIONS_MS)) {
      showEquations();
      equationsShownAt = performance.now();
    }
    renderControls();
  }

  function renderControls() {
    const s = store.get();
    controls.render({
      playing: s.playing, finished: s.step >= s.budget, steps: s.step, budget: s.budget, surface: s.surface, speed: s.speed,
    });
  }

  /**
   * One sentence on the step shown, for a live region: each visible run's loss
   * and distance to the nearest known minimum, or where it diverged, e.g.
   * "Step 120. Adam: loss 0.031, 0.2 from the minimum at (1, 1); SGD has diverged at step 7."
   */
  function describe() {
    return describeFrame(frame(), { step: shown(), minima: surfaceInfo?.minima ?? [] });
  }

  // The reader's controls of the locked parts are disabled (the callbacks refuse them too).
  function showLocks() {
    disableLocked();
    showPanel();
    render(); // the rebuilt cards get their status lines (f at the step shown) back
  }

  function disableLocked() {
    const off = (part, ...ids) => { for (const id of ids) { const el = $(id); if (el) el.disabled = locked.has(part); } };
    off('surface', 'surface', 'formula', 'formula-examples');
    off('noise', 'noise-scale', 'noise-seed', 'noise-reseed');
    off('optimizers', 'add-optimizer', 'add-button', 'presets');
    off('steps', 'budget-field');
    host.toggleAttribute?.('data-locked', locked.size > 0);
  }

  // The text alternatives of the map and the chart: what they show at the step shown.
  function describeViews(f) {
    $('surface-summary').textContent = mapSummary(f, { name: surfaceInfo?.name, bounds: surfaceView.bounds, step: shown() });
    $('chart-summary').textContent = chart.summary();
  }

  function showEquations() {
    const { selected } = store.get();
    const slot = slots[selected];
    if (!slot?.ok) {
      equations.clear(slot ? `${slot.label} is unavailable` : 'Add an optimizer to see its update rule');
      return;
    }
    const run = engine.runs()[slot.index];
    equations.show({
      label: slot.label,
      latex: engine.updateLatex(slot.index),
      stateNames: registryById.get(slot.id)?.state ?? [],
      stateSymbols: registryById.get(slot.id)?.state_symbols ?? [],
      settings: slot.values,
      ...stateAt(run, shown()),
      schedule: parseSpec(slot.spec).schedule,
    });
  }

  // New series for the chart and a redraw; after any restart.
  function restarted() {
    runSteps(restartedSteps());
  }

  function* restartedSteps() {
    reportedDivergence.clear();
    surfaceView.clearPaths();
    chart.setRuns(okSlots().map((slot) => ({ label: labelOf(slot), colour: colourOf(slot) })), lossBaseline, surfaceInfo?.minima ?? []);
    yield;
    render();
  }

  function showPanel() {
    const { instances, selected } = store.get();
    panel.setEntries(slots.map((slot, i) => {
      const instance = instances[i];
      const colour = colourOfInstance(instance, i);
      return {
        id: slot.id,
        name: instance.name || slot.name,
        defaultName: slot.name,
        customName: instance.name,
        settings: instance.name ? slot.label : slot.settings,
        colour,
        colourHex: /^#[0-9a-f]{6}$/i.test(colour) ? colour : '#888888',
        hidden: instance.hidden,
        selected: i === selected,
        values: slot.values,
        schedule: parseSpec(instance.spec).schedule,
        ...rateCurveOf(instance.spec, slot.ok),
        note: tunedNotes.get(instance.spec),
        error: slot.ok ? undefined : slot.error,
        locked: locked.has('optimizers'),
      };
    }));
  }

  // The schedule's rates over the budget for the panel's curve, or why there is none.
  function rateCurveOf(spec, ok) {
    if (!ok || !parseSpec(spec).schedule) return {};
    try {
      return { rates: engine.scheduleRates(spec, store.get().budget) };
    } catch (error) {
      return { ratesNote: error.message };
    }
  }

  function showSurfaceText(info) {
    $('surface-name').textContent = info.name;
    $('surface-formula').textContent = `f(x, y) = ${info.formula}`;
    $('surface-note').textContent = info.note;
    if (info.id.startsWith('expr:')) formula.setText(info.formula);
  }

  // Rebuilds the session from the state and steps it to the step shown.
  // Throws (and keeps the previous session) if the surface or noise is invalid.
  function configure(options) {
    runSteps(configureSteps(options));
  }

  // configure() in parts (a generator: each `yield` a point where the start
  // lets the browser in; see tasks.js); the sessions and views as configure leaves them.
  function* configureSteps({ keepView = false } = {}) {
    cancelCompute();
    const { surface, start, instances, noise: n, step } = store.get();
    const results = engine.configure({ surface, start, specs: instances.map((o) => o.spec), noise: n });
    if (step > 0) engine.step(step);
    surfaceInfo = engine.surface();
    lossBaseline = baselineOf(surfaceInfo, (box, w, h) => engine.sampleGrid(box, w, h));
    slots = results.map((result) => {
      const { id } = parseSpec(result.spec);
      const name = names.get(id) ?? id;
      const label = specLabel(result.spec, names);
      const values = result.ok ? engine.settings(result.index) : {};
      return { ...result, id, name, settings: label.slice(name.length).trim(), label, values };
    });
    yield;
    showPanel();
    showSurfaceText(surfaceInfo);
    noise.show(n);
    if (!keepView) {
      const { view } = surfaceInfo;
      $('layout').style.setProperty('--aspect', `${view.x_max - view.x_min} / ${view.y_max - view.y_min}`);
      yield;
      yield* surfaceView.setSurfaceSteps(surfaceInfo); // the heat map and contours: the dearest part
    }
    yield;
    yield* restartedSteps();
  }

  // Applies a state patch that needs a rebuild; on failure restores the state.
  function rebuild(patch, options) {
    pause();
    const previous = store.get();
    store.update(patch);
    try {
      configure(options);
      return null;
    } catch (error) {
      store.update(previous);
      attempt(() => configure(options));
      return error.message;
    }
  }

  // --- actions (UI and test hook) ---------------------------------------------
  // Moves the step shown to k, computing the steps not yet taken.
  function showStep(k) {
    const target = Math.max(0, Math.min(k, store.get().budget));
    const missing = target - engine.steps();
    const ok = missing <= 0 || attempt(() => engine.step(missing));
    store.update({ step: ok ? target : engine.steps() });
    return ok;
  }

  function tick() {
    const s = store.get();
    const stepped = s.step < s.budget && showStep(s.step + s.speed);
    const more = stepped && store.get().playing && store.get().step < s.budget;
    if (!more) store.update({ playing: false });
    render({ throttle: more });
    return more;
  }

  function play() {
    cancelCompute();
    if (prefersReducedMotion()) { // no animation: straight to the last frame
      pause();
      showStep(store.get().budget);
      render();
      return;
    }
    if (store.get().step >= store.get().budget) {
      attempt(() => engine.reset());
      store.update({ step: 0 });
      restarted();
    }
    store.update({ playing: true });
    loop.start();
    render();
  }

  function pause() {
    halt();
    render();
  }

  // Stops playing without drawing, for actions that draw the result anyway
  // (one render per action: a render is the costliest part of a scrub).
  function halt() {
    store.update({ playing: false });
    loop.stop();
  }

  function stepBy(n = 1) {
    cancelCompute();
    halt();
    showStep(store.get().step + n);
    render();
  }

  function stepBack(n = 1) {
    cancelCompute();
    halt();
    store.update({ step: Math.max(0, store.get().step - n) });
    render();
  }

  // Scrubbing to a step already computed only moves the step shown. Beyond
  // the steps computed, up to SYNC_STEPS are computed at once; more in slices
  // of about SLICE_MS each, yielding to the page in between, with the progress
  // under the timeline. A new scrub moves the target of the computation under
  // way; playing, stepping, a reset or any rebuild cancels it (what it computed
  // stays). Returns a promise that settles once the step is shown (true) or
  // the computation was cancelled (false).
  function scrubTo(k) {
    const target = Math.max(0, Math.min(k, store.get().budget));
    if (!computing && target - engine.steps() <= SYNC_STEPS) {
      halt();
      showStep(target);
      render();
      return Promise.resolve(true);
    }
    pause();
    if (computing) {
      computing.target = target;
      return computing.promise;
    }
    const job = { target, from: engine.steps(), slice: SYNC_STEPS };
    const progress = $('compute-progress');
    progress.value = 0;
    progress.hidden = false;
    job.promise = new Promise((resolve) => {
      const finish = (done) => {
        if (computing === job) computing = null;
        progress.hidden = true;
        if (done) {
          showStep(job.target);
          render();
        }
        resolve(done);
      };
      const slice = () => {
        if (computing !== job) return finish(false);
        const n = Math.min(job.slice, job.target - engine.steps());
        const began = performance.now();
        if (n > 0 && !attempt(() => engine.step(n))) return finish(false);
        const ms = performance.now() - began;
        // The next slice sized to take about SLICE_MS at the rate just seen.
        if (n > 0) job.slice = Math.max(50, Math.round((n * SLICE_MS) / Math.max(ms, 0.5)));
        if (engine.steps() >= job.target) return finish(true);
        progress.value = (engine.steps() - job.from) / Math.max(1, job.target - job.from);
        nextTask(slice);
      };
      nextTask(slice);
    });
    computing = job;
    return job.promise;
  }
  function cancelCompute() {
    computing = null;
  }

  function setBudget(n) {
    cancelCompute();
    halt();
    store.update({ budget: n, step: Math.min(store.get().step, n) });
    showPanel(); // the schedules' curves span the budget
    render();
  }

  function reset() {
    cancelCompute();
    halt();
    attempt(() => engine.reset());
    store.update({ step: 0 });
    restarted();
  }

  function setStart(x, y, { play: andPlay = false } = {}) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      notices.show(`The start point must be finite, got (${x}, ${y}).`);
      return;
    }
    cancelCompute();
    loop.stop();
    store.update({ playing: false });
    if (!attempt(() => engine.setStart(x, y))) return;
    store.update({ start: [x, y], step: 0 });
    restarted();
    if (andPlay) play();
  }

  // Keeps a user-built line-up across surfaces; the untouched classics of one
  // surface become the classics tuned for the next.
  function lineupAfter(fromSurface, toSurface) {
    const { instances } = store.get();
    const classics = lineupFor(fromSurface);
    const untouched = instances.length === classics.length &&
      instances.every((o, i) => o.spec === classics[i] && !o.name && !o.hidden && o.colour === i);
    return untouched ? withColours(lineupFor(toSurface)) : instances;
  }

  function selectSurface(spec) {
    let info = null;
    if (!attempt(() => { info = engine.surfaceInfo(spec); })) {
      render(); // puts the picker back on the current surface
      return false;
    }
    const message = rebuild({
      surface: spec, start: info.start, instances: lineupAfter(store.get().surface, info.id), step: 0, view: null,
    });
    if (message) notices.show(message);
    return !message;
  }

  // A typed formula: an error is shown at its column and the last valid
  // surface keeps running; a valid one becomes the surface.
  function useFormula(text) {
    const trimmed = text.trim();
    if (!trimmed) {
      formula.showError('Type a formula in x and y, e.g. x^2 + 10*y^2.', null);
      render();
      return;
    }
    const spec = `expr:${text}`;
    try {
      engine.surfaceInfo(spec);
    } catch (error) {
      formula.showError(error.message, errorColumn(error.message));
      render();
      return;
    }
    if (store.get().surface !== spec) selectSurface(spec);
    formula.showOk('The gradient is exact (automatic differentiation).');
  }

  function setNoise(next) {
    return rebuild({ noise: next }, { keepView: true });
  }

  function setLineup(specs) {
    rebuild({ instances: withColours(specs), selected: 0 }, { keepView: true });
  }

  function applyPreset(id) {
    const preset = PRESETS.find((p) => p.id === id);
    if (preset) setLineup(preset.specs(surfaceInfo?.id ?? store.get().surface));
  }

  function addInstance(id) {
    const { instances } = store.get();
    if (instances.length >= LIMITS.MAX_INSTANCES) {
      notices.show(`At most ${LIMITS.MAX_INSTANCES} optimizers at once.`, 'warning');
      return;
    }
    const used = new Set(instances.map((o) => o.colour));
    let colour = 0;
    while (used.has(colour) && colour < theme.series.length - 1) ++colour;
    const info = registryById.get(id);
    const lr = info?.params.find((p) => p.key === 'lr');
    const spec = composeSpec(id, lr ? [['lr', formatSetting(lr.default)]] : []);
    panel.expand(instances.length);
    rebuild({ instances: [...instances, { spec, colour, hidden: false, name: '' }], selected: instances.length }, { keepView: true });
  }

  function removeInstance(i) {
    const { instances, selected } = store.get();
    rebuild({
      instances: instances.filter((_, j) => j !== i),
      selected: Math.max(0, selected > i ? selected - 1 : Math.min(selected, instances.length - 2)),
    }, { keepView: true });
  }

  function patchInstance(i, patch) {
    const instances = store.get().instances.map((o, j) => (j === i ? { ...o, ...patch } : o));
    store.update({ instances });
    showPanel();
    restarted();
  }

  // A new hyperparameter value: checked by the module first; a refused value
  // returns the module's message for the field and changes nothing.
  function setParam(i, key, value) {
    const instance = store.get().instances[i];
    const { id, settings, schedule } = parseSpec(instance.spec);
    const next = new Map(settings);
    next.set(key, formatSetting(value));
    return setSpec(i, composeSpec(id, [...next], schedule));
  }

  // A first value for a schedule's required key, so picking a schedule runs at
  // once: lengths from the step budget, rates around the instance's lr.
  function suggestScheduleValue(i, param) {
    const budget = store.get().budget;
    const lr = slots[i]?.values?.lr ?? 0.01;
    const whole = (n) => Math.max(1, Math.round(n));
    const byKey = {
      T_max: budget, total_steps: budget, T_0: whole(budget / 4), step_size: whole(budget / 4),
      milestones: `${whole(budget / 2)}/${whole((3 * budget) / 4)}`, gamma: 0.99,
      max_lr: formatSetting(lr), base_lr: formatSetting(lr / 10),
    };
    return byKey[param.key];
  }

  // "Tune lr": a log grid over the registry's lr slider range (6 points a
  // decade), each cell a double-precision run of the instance on the surface,
  // start, noise and budget shown (engine.sweep, as `descent sweep --vary lr`);
  // the lowest final loss of the cells that did not diverge wins, and the panel
  // says so. Schedules that set the rate themselves (onecycle, cyclic) are left.
  function tuneLr(i) {
    const instance = store.get().instances[i];
    const slot = slots[i];
    if (!instance || !slot?.ok) return 'this instance is unavailable';
    const { id, settings, schedule } = parseSpec(instance.spec);
    const stage = schedule.split(/[:+]/)[0];
    if (engine.schedules.find((s) => s.id === stage)?.setsRate) {
      notices.show(`${slot.label}: its ${stage} schedule sets the rate itself; lr was not tuned.`, 'warning');
      return 'schedule sets the rate';
    }
    const param = registryById.get(id)?.params.find((p) => p.key === 'lr');
    const lo = Math.log10(param.ui_min);
    const hi = Math.log10(param.ui_max);
    const n = Math.round(6 * (hi - lo)) + 1;
    const values = Array.from({ length: n }, (_, k) => 10 ** (lo + ((hi - lo) * k) / (n - 1)));
    const { surface, start, noise: n0, budget } = store.get();
    let cells;
    try {
      cells = engine.sweep({ surface, start, noise: n0, spec: instance.spec, key: 'lr', values, steps: budget });
    } catch (error) {
      notices.show(`${slot.label}: ${error.message}`, 'error');
      return error.message;
    }
    let best = null;
    for (const c of cells) if (c.divergedAt < 0 && Number.isFinite(c.final) && (!best || c.final < best.final)) best = c;
    if (!best) {
      notices.show(`${slot.label}: every learning rate from ${formatSetting(values[0])} to ${formatSetting(values[n - 1])} diverged.`, 'warning');
      return 'all diverged';
    }
    const next = new Map(settings);
    next.set('lr', formatSetting(best.value));
    const spec = composeSpec(id, [...next], schedule);
    tunedNotes.set(spec, `lr ${formatSetting(best.value)}, tuned for the lowest loss after ${formatCount(budget)} steps`);
    return setSpec(i, spec);
  }

  // "Tune each": tuneLr for every instance in turn, yielding to the page between
  // them; the button says how far it is.
  async function tuneEach() {
    const button = $('tune-each');
    if (!button || button.disabled) return;
    button.disabled = true;
    const label = button.textContent;
    try {
      const n = store.get().instances.length;
      for (let i = 0; i < n; ++i) {
        button.textContent = `Tuning ${i + 1} of ${n}…`;
        await new Promise((resolve) => setTimeout(resolve, 0));
        tuneLr(i);
      }
    } finally {
      button.textContent = label;
      button.disabled = false;
    }
  }

  // A new learning-rate schedule text ('' for none), checked as setParam's values are.
  function setSchedule(i, schedule) {
    const { id, settings } = parseSpec(store.get().instances[i].spec);
    return setSpec(i, composeSpec(id, settings, schedule));
  }

  function setSpec(i, spec) {
    try {
      engine.validateSpec(spec);
    } catch (error) {
      return error.message;
    }
    const instances = store.get().instances.map((o, j) => (j === i ? { ...o, spec } : o));
    return rebuild({ instances }, { keepView: true });
  }

  // The 3D tab: created when first opened, disposed when left.
  function showTab(name) {
    const three = name === '3d';
    activeTab = name;
    tabs['2d'].setAttribute('aria-selected', String(!three));
    tabs['3d'].setAttribute('aria-selected', String(three));
    tabs[three ? '2d' : '3d'].setAttribute('tabindex', '-1');
    tabs[name].removeAttribute('tabindex');
    $('surface-panel-2d').hidden = three;
    $('surface-panel-3d').hidden = !three;
    $('readout').hidden = three;
    if (three) {
      show3d(frame());
      surface3d.open();
    } else {
      surface3d.close();
    }
  }

  function show3d(f) {
    const bounds = surfaceView.bounds;
    if (!bounds) return;
    surface3d.render({
      key: JSON.stringify([store.get().surface, bounds]),
      bounds,
      runs: f.runs.filter((run) => !run.hidden),
    });
  }

  function setArrows(kinds) {
    const arrows = [...FIELDS.arrows.letters].filter((c) => kinds.includes(c)).join('');
    store.update({ arrows });
    showArrowToggles();
    render();
  }

  function showArrowToggles() {
    const { arrows } = store.get();
    for (const box of arrowBoxes) box.checked = arrows.includes(box.value);
    surfaceView.setArrows(arrows);
  }

  function setChart(metric) {
    store.update({ chart: metric });
    chart.setMetric(metric);
    $('chart-select').value = chart.metric;
    render();
  }

  // --- the URL hash -------------------------------------------------------------
  let hashTimer = 0;
  store.subscribe((state, changed) => {
    if (changed.has('step')) emit('step', { step: state.step });
    if (SETTING_KEYS.some((key) => changed.has(key))) emit('statechange', { state: publicState() });
    if (!useHash) return;
    clearTimeout(hashTimer);
    hashTimer = setTimeout(() => writeHash(store.get()), state.playing ? 4 * HASH_WRITE_MS : HASH_WRITE_MS);
  });

  // The state as the API hands it out: a deep copy of what a link holds.
  function publicState() {
    return JSON.parse(JSON.stringify({ ...store.get(), playing: undefined }));
  }

  // Applies a whole state (checked for shape by the hash codec). Returns null,
  // or the reason it was refused; a refused state leaves the app as it was.
  function applyState(state) {
    return runSteps(applyStateSteps(state));
  }

  // applyState in parts (see configureSteps).
  function* applyStateSteps(state) {
    pause();
    const previous = store.get();
    store.update({ ...state, playing: false });
    try {
      yield* configureSteps();
      if (state.view) surfaceView.setView(state.view);
      showArrowToggles();
      yield;
      setChart(state.chart);
      return null;
    } catch (cause) {
      store.update(previous);
      attempt(() => configure());
      return cause.message;
    }
  }

  // Applies the state of the link, or the defaults plus a notice if it is unusable.
  function restoreFromHash() {
    const { state, error } = readHash();
    if (error) {
      notices.show(`This link could not be read (${error}); showing the defaults.`, 'warning');
      return false;
    }
    if (!state) return false;
    const refused = applyState(state);
    if (refused) notices.show(`This link could not be used (${refused}); showing the defaults.`, 'warning');
    return !refused;
  }

  /**
   * setState for the API: `patch` holds any keys of getState(); they are merged
   * with the current state, checked like a link, and applied. Returns null or
   * the reason it was refused (also shown in the widget); never throws.
   */
  function setState(patch, options) {
    return runSteps(setStateSteps(patch, options));
  }

  // setState in parts (see configureSteps).
  function* setStateSteps(patch, { what = 'setState' } = {}) {
    const result = normaliseState({ ...store.get(), ...patch }, Object.keys(patch ?? {}));
    const refused = result.ok ? yield* applyStateSteps(result.state) : result.error;
    if (refused) notices.show(`${what} was refused (${refused}); nothing changed.`, 'warning');
    return refused;
  }

  // The widget's attributes as a whole state: a surface given without a start
  // or line-up brings its own start and its tuned classics.
  function initialFrom(patch) {
    const base = store.get();
    let info = first;
    if (patch.surface && patch.surface !== base.surface) {
      try {
        info = engine.surfaceInfo(patch.surface);
      } catch (error) {
        notices.show(`The surface could not be used (${error.message}); showing ${first.name}.`, 'warning');
        const { surface, ...rest } = patch;
        return initialFrom(rest);
      }
    }
    return { ...base, start: info.start, instances: withColours(lineupFor(info.id)), ...patch };
  }

  // --- start ------------------------------------------------------------------
  // Re-reads the colours (the reader's scheme changed, or a widget's theme attribute).
  function retheme() {
    theme = readTheme(themeBox);
    surfaceView.setTheme(theme);
    surface3d.setTheme(theme);
    chart.setTheme(theme);
    chart.setColours(okSlots().map(colourOf));
    showPanel();
    render();
  }
  // The start runs in parts (tasks.js), the page drawing in between; the app
  // stays inert (startApp) and its controls disabled until the end.
  const unwatchScheme = watchScheme(retheme);
  await yieldToBrowser();
  surfaceView.setTheme(theme);
  surface3d.setTheme(theme);
  chart.setTheme(theme);
  let restored = false;
  if (useHash) restored = restoreFromHash();
  else if (options.initial) restored = !(await runSteps(setStateSteps(initialFrom(options.initial), { what: 'The widget\'s settings' }), true));
  if (!restored) await runSteps(configureSteps(), true);
  if (useHash) writeHash(store.get());
  controls.setEnabled(true);
  if (restored) { // showLocks() in two parts
    disableLocked();
    showPanel();
    await yieldToBrowser();
    render();
  } else { // configure() built the cards with the locks and drew: only the controls are left
    disableLocked();
    renderControls();
  }
  host.dataset.state = 'ready';

  const api = {
    play, pause, reset,
    step(n = 1) {
      if (Number.isInteger(n) && n >= 0) stepBy(n);
      else notices.show(`step(n) needs a whole number of steps, got ${String(n).slice(0, 40)}.`, 'warning');
    },
    getState: publicState,
    setState,
    exportPng: share.exportPng, exportCsv: share.exportCsv, exportWebm: share.exportWebm,
    describe,
    /** parts: the parts the reader may not change (see LOCKED_NAMES). */
    setLocked(parts) {
      locked = new Set(parts);
      showLocks();
    },
    notices,
    retheme,
    /** Stops everything and frees the session (a widget removed from its page). */
    dispose() {
      loop.stop();
      clearTimeout(hashTimer);
      unwatchScheme();
      surface3d.close();
      chart.destroy();
      engine.dispose();
    },
  };
  if (!useHash) return api;

  installTestHook({
    engine, store, surfaceView, chart, notices, slots: () => slots, colourOf, shown,
    actions: {
      play, pause, step: stepBy, stepBack, scrubTo, reset, setStart, selectSurface, setLineup, useFormula, setNoise,
      addInstance, removeInstance, setParam, setSchedule, tuneLr, tuneEach, applyPreset, setBudget, setArrows, setChart, showTab,
      setView: (view) => { surfaceView.setView(view); store.update({ view }); },
      zoom: (factor) => surfaceView.zoom(factor),
      resetView: () => surfaceView.resetView(),
      arrows: () => frame().runs.map((run) => run.arrows),
      drawnRows: () => frame().runs.map((run) => run.trajectory.length / 3),
      paths3d: () => surface3d.isOpen ? { ...surface3d.drawnPaths(), fresh: surface3d.freshPaths() } : null,
    },
  });
  return api;
}
