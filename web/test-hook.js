// The test hook: `window.descent`, a small read-mostly API that lets browser
// tests (and curious users in the console) check real state instead of pixels.
// Installed by the app once the engine is ready; `window.descent.ready` is then
// true and <body data-state="ready">.
//
//   Reading (plain JSON-able values; per-run lists follow the legend order of
//   the optimizers that were added successfully; rows stop at the step shown,
//   or at the divergence step before it, as the views draw them):
//     steps()          the step shown (the timeline's position)
//     computed()       steps the session has computed (>= steps() after scrubbing back)
//     state()          the page state (what the URL hash holds)
//     liveState(i, j)  the module's CURRENT state buffer j of run i (from the core)
//     stateNames(i)    the registry's state buffer names of run i
//     budget()         the step budget at which playing stops
//     playing()        whether the animation runs
//     surface()        the current surface (surfaceJson: id, name, view, minima...)
//     bounds()         the box the canvas shows: { x_min, x_max, y_min, y_max }
//     start()          the start point [x, y]
//     specs()          optimizer specs, e.g. 'adam:lr=0.05'
//     labels()         legend labels, e.g. 'Adam lr 0.05'
//     colours()        CSS colour each run's path is drawn in
//     unavailable()    [{ spec, error }] for specs the module rejected
//     trajectories()   per run, rows [x, y, f] from step 0 (to its divergence step)
//     current()        per run, the latest row [x, y, f] (a diverged run's: that at its divergence step)
//     divergedAt()     per run, the first non-finite step or -1
//     rates()          per run, the learning rate of steps 1..shown (its schedule's, or the lr)
//     lossSeries()     per run, the chart's full (undecimated) points [{ x, y }]
//     notices()        texts of the messages shown on the page
//     wasmBytes()      the size of the WASM module's memory
//     toCanvas(x, y)   surface coordinates -> CSS px from the canvas's top-left
//     chart            the Chart.js instance of the loss chart
//   Acting (the same code paths as the buttons; errors become page messages):
//     play(), pause(), step(n = 1), reset(), setStart(x, y, { play }),
//     setSurface(spec), setLineup(specs), stepBack(n), scrub(k) (a promise: steps beyond
//     those computed are computed in slices first), setFormula(text),
//     setNoise({ scale, seed }), add(id), remove(i), setParam(i, key, value) -> error|null,
//     setSchedule(i, text) -> error|null (text '' = none), tuneLr(i) -> error|null
//     (sweeps instance i's lr on the log grid of its slider range, keeps the best),
//     tuneEach() (the same for every instance, a promise),
//     preset(id), setBudget(n), setArrows('gum'), setChart('loss' | 'distance' | 'step' | 'lr' | 'rate'),
//     setView(box | null), zoom(factor), resetView()
//   Also reading: view() the view box in the state (null = the surface's own);
//     arrows() per run { gradient, update, momentum } at the step shown (null when off)
//     drawnRows() per run, the rows the views are given (up to the divergence step)
//     paths3d()   the 3D tab's lines as drawn: { rowsRead (by its last frame), runs: [{ count, capacity,
//                 positions }], fresh: the same lines built from scratch from that frame }, or null when closed
//     highlight() the step marked on the surface from the chart (-1 = none)

import { cutRun } from './frame/frame.js';

export function installTestHook({ engine, store, surfaceView, chart, notices, slots, colourOf, shown, actions }) {
  const okSlots = () => slots().filter((slot) => slot.ok);
  // Each run cut as the views get it (the frame builder's cutRun: to the step
  // shown and to its divergence step).
  const runs = () => {
    const all = engine.runs();
    const k = shown();
    return okSlots().map((slot) => cutRun(all[slot.index], k));
  };
  const rowsOf = (t) => Array.from({ length: t.length / 3 }, (_, k) => [t[3 * k], t[3 * k + 1], t[3 * k + 2]]);

  window.descent = Object.freeze({
    ready: true,
    steps: () => shown(),
    computed: () => engine.steps(),
    state: () => JSON.parse(JSON.stringify(store.get())),
    liveState: (i, j) => engine.liveState(okSlots()[i].index, j),
    stateNames: (i) => engine.registry.find((o) => o.id === okSlots()[i].id)?.state ?? [],
    budget: () => store.get().budget,
    playing: () => store.get().playing,
    surface: () => engine.surface(),
    bounds: () => surfaceView.bounds,
    start: () => [...store.get().start],
    specs: () => okSlots().map((slot) => slot.spec),
    labels: () => okSlots().map((slot) => slot.label),
    colours: () => okSlots().map(colourOf),
    unavailable: () => slots().filter((slot) => !slot.ok).map(({ spec, error }) => ({ spec, error })),
    trajectories: () => runs().map((run) => rowsOf(run.trajectory)),
    current: () => runs().map((run) => Array.from(run.trajectory.subarray(run.trajectory.length - 3))),
    divergedAt: () => runs().map((run) => run.divergedAt),
    rates: () => runs().map((run) => Array.from(run.rates.subarray(0, Math.min(shown(), run.rates.length)))),
    lossSeries: () => chart.series().map((points) => points.map(({ x, y }) => ({ x, y }))),
    notices: () => notices.messages(),
    wasmBytes: () => engine.memoryBytes(),
    toCanvas: (x, y) => surfaceView.toCanvas(x, y),
    get chart() { return chart.chart; },
    play: actions.play,
    pause: actions.pause,
    step: (n = 1) => actions.step(n),
    reset: actions.reset,
    setStart: (x, y, options) => actions.setStart(x, y, options),
    setSurface: actions.selectSurface,
    setLineup: actions.setLineup,
    stepBack: (n = 1) => actions.stepBack(n),
    scrub: (k) => actions.scrubTo(k),
    setFormula: actions.useFormula,
    setNoise: actions.setNoise,
    add: actions.addInstance,
    remove: actions.removeInstance,
    setParam: actions.setParam,
    setSchedule: actions.setSchedule,
    tuneLr: actions.tuneLr,
    tuneEach: actions.tuneEach,
    preset: actions.applyPreset,
    setBudget: actions.setBudget,
    setArrows: actions.setArrows,
    setChart: actions.setChart,
    setView: actions.setView,
    zoom: actions.zoom,
    resetView: actions.resetView,
    view: () => store.get().view,
    arrows: actions.arrows,
    drawnRows: actions.drawnRows,
    paths3d: () => actions.paths3d?.() ?? null,
    highlight: () => surfaceView.highlight,
  });
  window.dispatchEvent(new Event('descent:ready'));
}
