// The explore page's hyperparameter map (issue 14): one optimizer over an
// N x M grid of two of its keys, each cell a double-precision run of K steps
// from the start, computed in the worker pool (pool.js sweep: rows in bands,
// one per worker) by the cells `descent sweep` computes (session/sweep.h
// through the WASM Sweep binding), so a cell equals the CLI's row for the
// same settings. Cells are coloured by the metric (hpmap-view.js); hover or
// the arrow keys show a cell's numbers, a click or Enter opens it in the race
// page (index.html with hash.js's state).
//
// The form is read into the `descent sweep` arguments (sweepSettings) and the
// grid is checked by the core itself, so a bad grid gets the CLI's message,
// here named by the axis and field at fault; the fields keep what was typed.
import { encodeState } from '../hash.js';
import { numbers } from '../state-schema.js';
import { formatCount } from '../format.js';
import { STEP_BUDGET, DEFAULT_SPEED } from '../state.js';
import {
  HpMapView, VIRIDIS, PENDING, colourScale, paintCells, cellAt, cellValue, cellDivergedAt, formatValue, summarise,
} from './hpmap-view.js';

const $ = (id) => document.getElementById(id);
const AXES = ['x', 'y'];
const AXIS_NAMES = { x: 'across', y: 'up' };
const MAX_K = 20000;
const METRIC_NAMES = { final: 'final f', best: 'lowest f', steps: 'steps to tol' };
const PAINT_EVERY_MS = 250; // a map filling in is repainted at most this often

// The key a second axis defaults to: the method's momentum-like one (what a
// schedule's cycle_momentum drives: momentum, else beta1), else its next key.
function defaultKeys(entry) {
  const keys = entry.params.filter((p) => p.scale !== 'bool').map((p) => p.key);
  const first = keys.includes('lr') ? 'lr' : keys[0];
  const second = ['momentum', 'beta1'].find((k) => keys.includes(k)) ?? keys.find((k) => k !== first) ?? first;
  return [first, second];
}

// A key's default span: log keys two decades below to three above the
// default (inside the page's slider range), linear keys the slider range.
function defaultRange(param) {
  if (param.scale === 'log') {
    const lo = Math.max(param.ui_min, param.default * 1e-2);
    const hi = Math.min(param.ui_max, param.default * 1e3);
    return { lo, hi: hi > lo ? hi : param.ui_max, log: true };
  }
  return { lo: param.ui_min, hi: param.ui_max, log: false };
}

export class HyperparameterMap {
  #pool;
  #context; // { registry, names, surface: () => ({ spec, info }), theme: () => theme.js's readTheme() }
  #view;
  #status = 'idle'; // idle | running | done | error | cancelled
  #result = null; // { plan, cells, fStar, settings, scale, summary }
  #cursor = null; // { i, j, cell }
  #runId = 0;
  #started = 0;
  #framesMidway = 0;
  #link = null; // { cell, href } of the cell the link shows
  #filling = false; // the canvas shows a map filling in, not #result

  constructor(pool, context) {
    this.#pool = pool;
    this.#context = context;
    this.#view = new HpMapView($('hpmap-canvas'), $('hpmap-overlay'));
  }

  /** Fills the method list (registry order) and wires the controls. */
  start(defaultMethod = 'adam') {
    const method = $('hpmap-method');
    method.replaceChildren(...this.#context.registry.map(({ id, name }) => new Option(name, id, false, id === defaultMethod)));
    method.disabled = false;
    this.#fillKeys();
    this.onSurface();
    method.addEventListener('change', () => this.#fillKeys());
    for (const axis of AXES) $(`hpmap-key-${axis}`).addEventListener('change', () => this.#fillRange(axis));
    $('hpmap-metric').addEventListener('change', () => {
      $('hpmap-tol').disabled = $('hpmap-metric').value !== 'steps';
    });
    $('hpmap-run').addEventListener('click', () => this.compute());
    $('hpmap-cancel').addEventListener('click', () => this.cancel());
    const canvas = $('hpmap-canvas');
    canvas.addEventListener('mousemove', (event) => this.#pointAt(event));
    canvas.addEventListener('mouseleave', () => this.#setCursor(this.#cursor, { fromPointer: false }));
    canvas.addEventListener('click', (event) => {
      this.#pointAt(event);
      this.openInRace();
    });
    canvas.addEventListener('keydown', (event) => this.#onKey(event));
    canvas.addEventListener('focus', () => {
      if (this.#result && !this.#cursor) this.#setCursor(this.#bestCursor());
    });
    $('hpmap-run').disabled = false;
  }

  /** The surface changed: its start fills the start field; a map of the old surface stays until recomputed. */
  onSurface() {
    const { info } = this.#context.surface();
    if (info?.start) $('hpmap-start').value = info.start.map((v) => String(v)).join(', ');
  }

  #entry() {
    return this.#context.registry.find((r) => r.id === $('hpmap-method').value);
  }

  #fillKeys() {
    const entry = this.#entry();
    const keys = entry.params.filter((p) => p.scale !== 'bool');
    const chosen = defaultKeys(entry);
    AXES.forEach((axis, a) => {
      $(`hpmap-key-${axis}`).replaceChildren(...keys.map((p) => new Option(p.key, p.key, false, p.key === chosen[a])));
      this.#fillRange(axis);
    });
  }

  #fillRange(axis) {
    const param = this.#entry().params.find((p) => p.key === $(`hpmap-key-${axis}`).value);
    if (!param) return;
    const { lo, hi, log } = defaultRange(param);
    $(`hpmap-lo-${axis}`).value = String(lo);
    $(`hpmap-hi-${axis}`).value = String(hi);
    $(`hpmap-log-${axis}`).checked = log;
  }

  // ---- the form as `descent sweep` arguments ----

  /**
   * { surface, start, optimizer, vary: [text, text], steps, metric } from the
   * form, or throws Error({ message, fields }) for what the page checks
   * itself (the start, K, tol); the core checks the grid.
   */
  sweepSettings() {
    const fail = (message, fields) => Object.assign(new Error(message), { fields });
    const { spec: surface } = this.#context.surface();
    const start = numbers($('hpmap-start').value.replace(/\s+/g, ''), 2);
    if (!start) throw fail('Start: expected x, y (two finite numbers, e.g. -1.5, 2)', ['hpmap-start']);
    const kText = $('hpmap-k').value.trim();
    const steps = Number(kText);
    if (!/^\d+$/.test(kText) || !(steps >= 1 && steps <= MAX_K))
      throw fail(`K must be a whole number from 1 to ${formatCount(MAX_K)}`, ['hpmap-k']);
    let metric = $('hpmap-metric').value;
    if (metric === 'steps') {
      const tol = $('hpmap-tol').value.trim();
      metric = `steps:${tol}`;
    }
    const field = (id) => $(id).value.trim();
    const vary = AXES.map((axis) => `${$(`hpmap-key-${axis}`).value}=${field(`hpmap-lo-${axis}`)}:${field(`hpmap-hi-${axis}`)}:` +
      `${field(`hpmap-n-${axis}`)}${$(`hpmap-log-${axis}`).checked ? ':log' : ''}`);
    return { surface, start, optimizer: $('hpmap-method').value, vary, steps, metric };
  }

  // The core's message for a bad grid, said for this form: which axis, which fields.
  #explain(message, settings) {
    for (const [a, axis] of AXES.entries()) {
      const prefix = `--vary ${settings.vary[a]}: `;
      if (!message.startsWith(prefix)) continue;
      const rest = message.slice(prefix.length);
      const key = $(`hpmap-key-${axis}`).value;
      const ids = (...names) => names.map((n) => `hpmap-${n}-${axis}`);
      const fields = /^N must/.test(rest) ? ids('n') : /^LO must be < HI/.test(rest) ? ids('lo', 'hi')
        : /^(LO|a log axis)/.test(rest) ? ids('lo') : /^HI/.test(rest) ? ids('hi') : ids('lo', 'hi');
      const text = rest.replace('LO must be < HI', '"from" must be less than "to"')
        .replace('a log axis needs LO > 0', 'a log axis needs "from" > 0').replace(/^LO/, 'from').replace(/^HI/, 'to');
      return { message: `${AXIS_NAMES[axis]} (${key}): ${text}${/^N must/.test(rest) ? ` (${axis === 'x' ? 'N' : 'M'})` : ''}`, fields };
    }
    // A value out of the key's range names the key (check_param): the axis that varies it.
    const range = /^[a-z0-9_]+: ([a-z0-9_]+) must /.exec(message);
    const axis = range && AXES.find((a) => $(`hpmap-key-${a}`).value === range[1]);
    if (axis) return { message: `${AXIS_NAMES[axis]} (${range[1]}): ${message}`, fields: [`hpmap-lo-${axis}`, `hpmap-hi-${axis}`] };
    if (/ is given twice$/.test(message)) {
      return { message: `Both axes vary ${$('hpmap-key-x').value}: pick two different keys`, fields: ['hpmap-key-x', 'hpmap-key-y'] };
    }
    if (message.startsWith('--metric')) return { message: message.replace('--metric steps:TOL', 'tol'), fields: ['hpmap-tol'] };
    return { message, fields: [] };
  }

  #showError(error) {
    const p = $('hpmap-error');
    p.textContent = error ? error.message : '';
    p.hidden = !error;
    for (const input of document.querySelectorAll('.hpmap-controls [aria-invalid]')) input.removeAttribute('aria-invalid');
    for (const id of error?.fields ?? []) $(id).setAttribute('aria-invalid', 'true');
  }

  // ---- computing ----

  async compute() {
    let settings;
    try {
      settings = this.sweepSettings();
    } catch (error) {
      if (this.#status === 'running') this.cancel();
      this.#status = 'error';
      this.#showError(error);
      return;
    }
    this.#showError(null);
    // Named now: the surface may change while the map computes.
    const { info } = this.#context.surface();
    const surfaceName = settings.surface.startsWith('expr:') ? `f(x, y) = ${settings.surface.slice(5)}` : info?.name ?? settings.surface;
    this.#pool.cancelSweep();
    const runId = ++this.#runId;
    this.#status = 'running';
    this.#framesMidway = 0;
    $('hpmap-run').disabled = true;
    $('hpmap-cancel').disabled = false;
    $('hpmap-progress').value = 0;
    $('hpmap-status').textContent = 'checking the grid…';
    this.#started = performance.now();
    try {
      let filling = null; // { plan, cells, painted } of the map filling in
      const result = await this.#pool.sweep(settings, ({ done, total, plan, partial }) => {
        if (runId !== this.#runId) return;
        if (partial) {
          if (!filling) {
            filling = { plan, cells: new Float64Array(4 * plan.rows * plan.cols).fill(NaN), painted: 0 };
            for (let c = 0; c < plan.rows * plan.cols; ++c) filling.cells[4 * c + 1] = PENDING;
          }
          filling.cells.set(partial.cells, 4 * partial.first);
          if (performance.now() - filling.painted > PAINT_EVERY_MS) {
            filling.painted = performance.now();
            const scale = colourScale(filling.cells, plan.metric, plan.known_f_star ?? NaN);
            this.#filling = true;
            this.#view.show(paintCells(filling.cells, plan.rows, plan.cols, scale), plan.rows, plan.cols);
          }
        }
        $('hpmap-progress').value = total ? done / total : 0;
        $('hpmap-status').textContent = `computing ${formatCount(total)} cells × ${formatCount(settings.steps)} steps in ` +
          `${this.#pool.size === 1 ? 'one worker' : `${this.#pool.size} workers`}: ${formatCount(done)} done…`;
      });
      if (runId !== this.#runId) return;
      const seconds = (performance.now() - this.#started) / 1000;
      this.#status = 'done';
      this.#show({ ...result, settings, seconds, surfaceName });
    } catch (error) {
      if (runId !== this.#runId || error.message === 'cancelled') return;
      this.#status = 'error';
      this.#restore();
      this.#showError(this.#explain(error.message, settings));
      $('hpmap-status').textContent = this.#result ? 'not computed (the map shown is the previous one)' : 'not computed yet';
      $('hpmap-progress').value = 0;
    } finally {
      if (runId === this.#runId && this.#status !== 'running') {
        $('hpmap-run').disabled = false;
        $('hpmap-cancel').disabled = true;
      }
    }
  }

  // Back to the map of #result (or none) after a map that filled in part way was dropped.
  #restore() {
    if (!this.#filling) return;
    this.#filling = false;
    const r = this.#result;
    if (r) this.#view.show(paintCells(r.cells, r.plan.rows, r.plan.cols, r.scale), r.plan.rows, r.plan.cols);
    else this.#view.clear();
    if (r && this.#cursor) this.#setCursor(this.#cursor);
  }

  cancel() {
    if (this.#status !== 'running') return;
    this.#runId++;
    this.#status = 'cancelled';
    this.#pool.cancelSweep();
    this.#restore();
    $('hpmap-status').textContent = this.#result ? 'cancelled (the map shown is the previous one)' : 'cancelled';
    $('hpmap-progress').value = 0;
    $('hpmap-run').disabled = false;
    $('hpmap-cancel').disabled = true;
  }

  /** Counts frames painted while a map is part way (the page stays responsive). */
  frame() {
    const progress = $('hpmap-progress').value;
    if (this.#status === 'running' && progress > 0 && progress < 1) this.#framesMidway++;
  }

  #show(result) {
    const { plan, cells, fStar } = result;
    const scale = colourScale(cells, plan.metric, fStar);
    const summary = summarise(cells);
    this.#filling = false;
    this.#result = { ...result, scale, summary };
    this.#view.show(paintCells(cells, plan.rows, plan.cols, scale), plan.rows, plan.cols);
    this.#cursor = null;
    this.#link = null;
    $('hpmap-open').hidden = true;
    $('hpmap-progress').value = 1;
    const name = this.#context.names.get(result.settings.optimizer) ?? result.settings.optimizer;
    const best = summary.best >= 0 ? `; best: ${this.#cellWords(summary.best)}` : '; no cell has a finite value';
    $('hpmap-status').textContent = `${name}: ${formatCount(plan.rows * plan.cols)} cells × ${formatCount(plan.steps)} steps in ` +
      `${result.seconds.toFixed(1)} s${best}`;
    this.#legend();
    this.#describe();
    $('hpmap-info').textContent = 'Hover a cell (or focus the map and use the arrow keys) for its numbers; click or press Enter to race it.';
  }

  #legend() {
    const { scale, summary, plan } = this.#result;
    const stops = VIRIDIS.map((c, k) => `${c} ${(100 * k) / (VIRIDIS.length - 1)}%`).join(', ');
    $('hpmap-bar').style.background = `linear-gradient(to right, ${stops})`;
    $('hpmap-scale-label').textContent = `${scale.label} after ${formatCount(plan.steps)} steps${scale.note ? ` (${scale.note})` : ''}:`;
    $('hpmap-scale-lo').textContent = formatValue(scale.lo);
    $('hpmap-scale-hi').textContent = formatValue(scale.hi);
    $('hpmap-diverged-text').textContent = `diverged (${formatCount(summary.diverged)})`;
    $('hpmap-unreached-text').textContent = `never within tol (${formatCount(summary.unreached)})`;
    $('hpmap-unreached-text').parentElement.hidden = !plan.metric.startsWith('steps:');
  }

  #axisWords(a) {
    const axis = this.#result.plan.axes[a];
    return `${axis.key} from ${formatValue(axis.lo)} to ${formatValue(axis.hi)} in ${formatCount(axis.n)} ${axis.log ? 'log-spaced' : 'evenly spaced'} values`;
  }

  // The canvas's text alternative: what it shows, the scale, the best cell.
  #describe() {
    const { plan, scale, summary, settings } = this.#result;
    const name = this.#context.names.get(settings.optimizer) ?? settings.optimizer;
    const surface = this.#result.surfaceName;
    $('hpmap-axes').textContent = `Across: ${this.#axisWords(0)}. Up: ${this.#axisWords(1)}.`;
    const best = summary.best >= 0 ? ` Best cell: ${this.#cellWords(summary.best)}.` : '';
    $('hpmap-canvas').setAttribute('aria-label',
      `Hyperparameter map of ${name} on ${surface} from (${settings.start.map(formatValue).join(', ')}): ` +
      `${formatCount(plan.rows)} × ${formatCount(plan.cols)} cells, ${plan.axes[0].key} across, ${plan.axes[1].key} up, ` +
      `coloured by ${scale.label} after ${formatCount(plan.steps)} steps${scale.note ? ` (${scale.note})` : ''} from ${formatValue(scale.lo)} (dark purple) to ` +
      `${formatValue(scale.hi)} (yellow); ${formatCount(summary.diverged)} cells diverged (light grey)` +
      `${plan.metric.startsWith('steps:') ? `, ${formatCount(summary.unreached)} never within tol (grey)` : ''}.${best}` +
      ' Arrow keys move a cell cursor, Enter opens that cell in the race.');
  }

  #cellWords(cell) {
    const { plan, cells } = this.#result;
    const i = Math.floor(cell / plan.cols);
    const j = cell % plan.cols;
    const keys = plan.axes.map((axis, a) => `${axis.key} ${formatValue(axis.values[a === 0 ? i : j])}`).join(', ');
    const metric = plan.metric.startsWith('steps:') ? `steps to tol ${plan.metric.slice(6)}` : METRIC_NAMES[plan.metric];
    const d = cellDivergedAt(cells, cell);
    return `${keys}: ${metric} = ${formatValue(cellValue(cells, cell))}, ${d >= 0 ? `diverged at step ${d}` : 'did not diverge'}`;
  }

  // ---- hover, keys, the race link ----

  #pointAt(event) {
    if (!this.#result || this.#filling) return;
    const rect = event.currentTarget.getBoundingClientRect();
    const { rows, cols } = this.#result.plan;
    this.#setCursor(cellAt(rows, cols, (event.clientX - rect.left) / rect.width, (event.clientY - rect.top) / rect.height));
  }

  #bestCursor() {
    const { plan, summary } = this.#result;
    const cell = Math.max(0, summary.best);
    return { i: Math.floor(cell / plan.cols), j: cell % plan.cols, cell };
  }

  #setCursor(at) {
    if (!this.#result || !at) return;
    this.#cursor = at;
    const theme = this.#context.theme();
    this.#view.mark(at, theme.ink, theme.halo);
    $('hpmap-info').textContent = this.#cellWords(at.cell);
    this.#updateLink(at.cell).catch(() => {});
  }

  #onKey(event) {
    if (!this.#result || this.#filling) return;
    const { rows, cols } = this.#result.plan;
    const at = this.#cursor ?? this.#bestCursor();
    const by = event.shiftKey ? 8 : 1;
    const moves = { ArrowLeft: [-by, 0], ArrowRight: [by, 0], ArrowUp: [0, by], ArrowDown: [0, -by] };
    if (moves[event.key]) {
      event.preventDefault();
      const i = Math.min(rows - 1, Math.max(0, at.i + moves[event.key][0]));
      const j = Math.min(cols - 1, Math.max(0, at.j + moves[event.key][1]));
      this.#setCursor({ i, j, cell: i * cols + j });
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      if (!this.#cursor) this.#setCursor(at);
      this.openInRace();
    }
  }

  // The race page's URL for a cell: its spec exactly as the sweep ran it
  // (from the core: %.17g values), the surface, the start, K as the budget.
  async #raceUrl(cell) {
    const { settings } = this.#result;
    const { spec } = await this.#pool.request('sweep-cell', { ...settings, cell });
    const hash = encodeState({
      surface: settings.surface, start: settings.start, noise: { scale: 0, seed: 1 }, step: 0, speed: DEFAULT_SPEED,
      budget: settings.steps || STEP_BUDGET, view: null, selected: 0, arrows: '', chart: 'loss',
      instances: [{ spec, colour: 0, hidden: false, name: '' }],
    });
    return new URL(`./index.html${hash}`, location.href).href;
  }

  async #updateLink(cell) {
    const result = this.#result;
    const href = await this.#raceUrl(cell);
    if (result !== this.#result || this.#cursor?.cell !== cell) return;
    this.#link = { cell, href };
    const a = $('hpmap-open');
    a.href = href;
    a.textContent = `Open ${this.#cellWords(cell).split(':')[0]} in the race ↗`;
    a.hidden = false;
  }

  /** Opens the cursor's cell in the race page (a new tab). */
  async openInRace() {
    if (!this.#result || !this.#cursor || this.#filling) return;
    const { cell } = this.#cursor;
    const href = this.#link?.cell === cell ? this.#link.href : await this.#raceUrl(cell);
    window.open(href, '_blank', 'noopener');
  }

  /** The test hook's view (explore.js: window.descentExplore.hpmap()). */
  snapshot() {
    const r = this.#result;
    return {
      status: this.#status,
      progress: $('hpmap-progress').value,
      framesMidway: this.#framesMidway,
      filling: this.#filling,
      error: $('hpmap-error').hidden ? null : $('hpmap-error').textContent,
      invalid: [...document.querySelectorAll('.hpmap-controls [aria-invalid=true]')].map((e) => e.id),
      settings: r ? r.settings : null,
      seconds: r ? r.seconds : null,
      plan: r ? { rows: r.plan.rows, cols: r.plan.cols, keys: r.plan.keys, metric: r.plan.metric, steps: r.plan.steps } : null,
      cursor: this.#cursor ? { ...this.#cursor } : null,
      link: this.#link ? this.#link.href : null,
    };
  }

  /** The map's cells as descent sweep --format json lists them: [{ KEY: v, KEY2: v, value, diverged_at }]. */
  cells() {
    const r = this.#result;
    if (!r) return null;
    const { plan, cells } = r;
    const out = [];
    for (let c = 0; c < plan.rows * plan.cols; ++c) {
      const row = {};
      row[plan.axes[0].key] = plan.axes[0].values[Math.floor(c / plan.cols)];
      row[plan.axes[1].key] = plan.axes[1].values[c % plan.cols];
      const v = cellValue(cells, c);
      row.value = Number.isFinite(v) ? v : null;
      row.diverged_at = cellDivergedAt(cells, c) >= 0 ? cellDivergedAt(cells, c) : null;
      out.push(row);
    }
    return out;
  }
}
