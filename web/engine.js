// The engine: the one module that owns the Descent WASM module, its Session and
// its memory. Everything else on the page talks to the engine through the small
// API below and only ever sees plain JavaScript values and typed arrays that the
// engine owns (never views into WASM memory, which a later call may invalidate).
//
// Trajectories and gradients are copied incrementally: after each step only the
// new rows are read from the module's view, so a frame costs O(new steps), not
// O(history). The state history is not copied (see runs()).

import { loadDescentModule } from './module-loader.js';
import { withSetting, withoutSetting } from './format.js';

// One module per page, whatever the number of engines: every <descent-widget>
// gets its own Engine (its own Session) on the same instantiated module.
const modules = new Map();

/**
 * An engine on the page's WASM module (the SIMD build where the browser
 * supports it, see module-loader.js), loaded on first use; rejects with a
 * readable Error (and tries again on the next call).
 */
export async function loadEngine(options = {}) {
  const key = options.forceBaseline ? 'baseline' : 'auto';
  if (!modules.has(key)) {
    const loading = loadDescentModule(options);
    modules.set(key, loading);
    loading.catch(() => modules.delete(key));
  }
  const { module, name } = await modules.get(key);
  return new Engine(module, name);
}

/** Rows of `width` doubles in a growable Float64Array owned by JavaScript. */
class RowCopy {
  constructor(width) {
    this.width = width;
    this.data = new Float64Array(Math.max(1, width) * 256);
    this.rows = 0;
  }
  /** Forgets the rows held: the run restarted, so even row 0 may differ. */
  clear() {
    this.rows = 0;
  }
  // Appends the rows of `view` (a WASM view of width * n doubles) beyond those held.
  sync(view) {
    const w = this.width;
    if (w === 0) return;
    const total = view.length / w;
    if (total < this.rows) this.rows = 0; // fewer rows than held: a restart nobody announced
    if (total === this.rows) return;
    if (w * total > this.data.length) {
      const grown = new Float64Array(Math.max(w * total, 2 * this.data.length));
      grown.set(this.data.subarray(0, w * this.rows));
      this.data = grown;
    }
    this.data.set(view.subarray(w * this.rows, w * total), w * this.rows);
    this.rows = total;
  }
  /** A read-only-by-convention view of the rows held (valid until next sync). */
  view() {
    return this.data.subarray(0, this.width * this.rows);
  }
}

class Engine {
  #M;
  #session = null;
  #runs = []; // per session instance: { spec, id, copy }
  #registry;
  #catalogue;
  #schedules;

  /** Which build runs: "WASM SIMD" or "WASM baseline". */
  moduleName;

  constructor(M, moduleName) {
    this.#M = M;
    this.moduleName = moduleName;
  }

  // The three lists are read from the module when first asked for: the first
  // call into a fresh module is one of the dearest parts of a page's start, so
  // the start spreads them over its parts.

  /** Learning-rate schedules (torch.optim.lr_scheduler): [{ id, torch, summary, params, latex, ... }]. */
  get schedules() {
    return (this.#schedules ??= JSON.parse(this.#M.schedulesJson()));
  }

  /** Optimizers known to this build: [{ id, name, summary, params, state, latex }]. */
  get registry() {
    return (this.#registry ??= JSON.parse(this.#M.registryJson()));
  }
  /** Surfaces known to this build, as surfaceJson objects. */
  get catalogue() {
    return (this.#catalogue ??= JSON.parse(this.#M.catalogueJson()));
  }

  /** Parsed description of a surface spec without changing the session. Throws. */
  surfaceInfo(spec) {
    return JSON.parse(this.#M.surfaceInfo(spec));
  }
  /** The rates of steps 1..steps of a spec's schedule on its own (a copy), or throws (plateau: none ahead). */
  scheduleRates(spec, steps) {
    return Float64Array.from(this.#M.scheduleRates(spec, steps));
  }
  /**
   * A one-key sweep in double precision, as `descent sweep --vary KEY=...`
   * does: for each value, spec with `key` set to it (its schedule kept), run
   * `steps` steps from `start` on `surface` (with `noise`); per value
   * { value, final: f after the last step, divergedAt }. Throws on a bad spec.
   */
  sweep({ surface, start, noise = { scale: 0, seed: 0 }, spec, key, values, steps }) {
    const rest = withoutSetting(spec, key);
    return values.map((value) => {
      const session = new this.#M.Session(surface, start[0], start[1]);
      try {
        session.setNoise(noise.scale, noise.seed);
        session.add(withSetting(rest, key, value));
        session.step(steps);
        const t = session.trajectory(0);
        return { value, final: t[t.length - 1], divergedAt: session.divergedAt(0) };
      } finally {
        session.delete();
      }
    });
  }

  /** Completed settings of an optimizer spec, or throws its validation error. */
  validateSpec(spec) {
    return JSON.parse(this.#M.validateSpec(spec));
  }

  /**
   * (Re)creates the session on `surface` at `start` with one instance per spec.
   * A spec that the module rejects does not stop the others: the result lists,
   * per spec, either { ok: true } or { ok: false, error }.
   * Throws (and keeps the previous session) if the surface itself is invalid.
   */
  configure({ surface, start, specs, noise = { scale: 0, seed: 0 } }) {
    const [x, y] = start;
    const session = new this.#M.Session(surface, x, y); // throws on a bad surface
    try {
      session.setNoise(noise.scale, noise.seed);
    } catch (error) {
      session.delete();
      throw error;
    }
    this.#session?.delete();
    this.#session = session;
    this.#runs = [];
    const results = specs.map((spec) => {
      try {
        const index = session.add(spec);
        const stateCount = session.stateCount(index);
        this.#runs[index] = {
          spec, id: session.optimizerId(index), stateCount,
          trajectory: new RowCopy(3), gradients: new RowCopy(2), rates: new RowCopy(1),
        };
        return { spec, ok: true, index };
      } catch (error) {
        return { spec, ok: false, error: error.message };
      }
    });
    this.#syncAll();
    return results;
  }

  // Copies the new trajectory rows of every instance (after any call that moves
  // them); after a restart every row, since row 0 itself may have changed (a
  // new start has as many rows as the old one at step 0).
  #syncAll({ restarted = false } = {}) {
    const s = this.#session;
    for (let i = 0; i < this.#runs.length; ++i) {
      const run = this.#runs[i];
      if (restarted) for (const copy of [run.trajectory, run.gradients, run.rates]) copy.clear();
      run.trajectory.sync(s.trajectory(i));
      run.gradients.sync(s.gradients(i));
      run.rates.sync(s.rates(i));
    }
  }

  /** The current surface as surfaceJson. */
  surface() {
    return JSON.parse(this.#session.surfaceJson());
  }

  setStart(x, y) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) throw new Error(`start must be finite, got (${x}, ${y})`);
    this.#session.setStart(x, y);
    this.#syncAll({ restarted: true });
  }

  /** Advances every instance by `count` steps (in lockstep). */
  step(count) {
    this.#session.step(count);
    this.#syncAll();
  }

  reset() {
    this.#session.reset();
    this.#syncAll({ restarted: true });
  }

  /** Steps taken so far by the session. */
  steps() {
    return this.#session ? this.#session.steps() : 0;
  }

  /**
   * Per instance: { spec, id, divergedAt, trajectory, gradients, states,
   * stateCount } where trajectory holds x, y, f rows, gradients dfdx, dfdy
   * rows (the gradient given at that step's point), states every state buffer
   * after each step (2 * stateCount per step), rates the learning rate each
   * step ran with (rates[t - 1] for step t: the schedule's). trajectory,
   * gradients and rates are Float64Arrays owned by the engine (the views keep
   * them across frames); states, read only for the step shown (equations,
   * arrows, CSV), is a view into the module's memory, not copied, so the
   * per-step history is held once: valid until the next engine call.
   */
  runs() {
    return this.#runs.map((run, i) => ({
      spec: run.spec,
      id: run.id,
      divergedAt: this.#session.divergedAt(i),
      trajectory: run.trajectory.view(),
      gradients: run.gradients.view(),
      states: this.#session.stateHistory(i),
      rates: run.rates.view(),
      stateCount: run.stateCount,
    }));
  }

  /** The update rule of instance i for its settings, as KaTeX-ready LaTeX. */
  updateLatex(i) {
    return this.#session.updateLatex(i);
  }

  /** Instance i's settings, every key with its value. */
  settings(i) {
    return JSON.parse(this.#session.settingsJson(i));
  }

  /** The core's live state buffer j of instance i (a copy), for checks. */
  liveState(i, j) {
    return Array.from(this.#session.state(i, j));
  }

  /**
   * f on a width x height grid over the box, row by row from the top (y1) down,
   * at cell centres. Returns a fresh Float64Array owned by the caller.
   */
  sampleGrid({ x_min, x_max, y_min, y_max }, width, height) {
    // Through the batched float32 engine (SIMD where available): plenty for colours
    // and contours, and several times faster than the double-precision session.
    const surface = JSON.parse(this.#session.surfaceJson()).id;
    return this.#M.batchHeatMap(surface, x_min, x_max, y_min, y_max, width, height);
  }

  /** f at one point (a 1 x 1 grid whose only cell centre is the point). */
  valueAt(x, y) {
    return this.#session.evaluateGrid(x, x, y, y, 1, 1)[0];
  }

  /** Bytes of the module's memory (the sessions' histories live there), or NaN if the build does not say. */
  memoryBytes() {
    return this.#M.HEAPU8?.buffer.byteLength ?? NaN;
  }

  dispose() {
    this.#session?.delete();
    this.#session = null;
    this.#runs = [];
  }
}
