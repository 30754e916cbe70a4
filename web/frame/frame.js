// The frame builder: given the page state and the engine's runs (plain typed
// arrays, see Engine.runs), what a frame draws: each run cut to the step shown,
// its arrows, its legend line, the state at the step shown for the equation
// card, and the text alternatives. DOM-free (no document, no window), so Node
// tests run it on the module's runs (tests/node/frame.test.mjs); the app
// (app.js) hands what it returns to the views.
//
// Every function here costs O(1) in the steps taken: runs are cut with
// subarray, and only the rows at the step shown are read.

import { formatValue, formatCount, parseSpec } from '../format.js';

/**
 * A run cut to the step shown, and to its divergence step: the session goes on
 * stepping a diverged run (infs and NaNs, as torch does), but the views draw
 * nothing beyond the step where it left the finite numbers. The session may be
 * ahead of k (after scrubbing back); rows beyond k are not handed out.
 */
export function cutRun(run, k) {
  const diverged = run.divergedAt >= 0 && run.divergedAt <= k;
  const rows = Math.min(diverged ? run.divergedAt + 1 : k + 1, run.trajectory.length / 3);
  return { ...run, trajectory: run.trajectory.subarray(0, 3 * rows), divergedAt: diverged ? run.divergedAt : -1 };
}

const finite = (v) => (v.every(Number.isFinite) ? v : null);

/**
 * At step k of a run: the gradient the optimizer gets at θ_k, the update it
 * then makes (θ_{k+1} − θ_k) and its momentum buffer (state buffer
 * `firstMoment`, -1 for none) before that update. Null once it diverged.
 */
export function arrowsAt(run, k, firstMoment = -1) {
  const t = run.trajectory;
  const g = run.gradients;
  if (run.divergedAt >= 0 && run.divergedAt <= k + 1) return null;
  const gradient = 2 * k + 1 < g.length ? finite([g[2 * k], g[2 * k + 1]]) : null;
  const update = 3 * k + 4 < t.length ? finite([t[3 * k + 3] - t[3 * k], t[3 * k + 4] - t[3 * k + 1]]) : null;
  let momentum = null;
  if (firstMoment >= 0 && run.stateCount > 0) {
    const at = k * 2 * run.stateCount + 2 * firstMoment;
    if (at + 1 < run.states.length) momentum = finite([run.states[at], run.states[at + 1]]);
    if (momentum && momentum[0] === 0 && momentum[1] === 0) momentum = null;
  }
  return { gradient, update, momentum };
}

/**
 * The frame at step `step`: { start, runs }, one run per entry (the instances
 * the module accepted, in legend order). entries: [{ index (into `runs`),
 * colour, label, hidden, firstMoment }]; `arrows` whether the arrows are shown
 * (their update needs row step + 1: the caller keeps the session a step ahead).
 */
export function buildFrame({ step, start, arrows = false, runs, entries }) {
  return {
    start,
    runs: entries.map((entry) => {
      const run = runs[entry.index];
      return {
        ...cutRun(run, step), colour: entry.colour, label: entry.label, hidden: entry.hidden ?? false,
        arrows: arrows ? arrowsAt(run, step, entry.firstMoment ?? -1) : null,
      };
    }),
  };
}

/**
 * A run's line in the legend (and the PNG's): where it diverged, or f at the
 * step shown, with the rate of that step when the spec has a schedule.
 */
export function statusOf(run, spec = '') {
  if (run.divergedAt >= 0) return `diverged at step ${formatCount(run.divergedAt)}`;
  const f = `f = ${formatValue(run.trajectory[run.trajectory.length - 1])}`;
  // With a schedule, the rate of the step shown (the next step's at step 0).
  if (!parseSpec(spec).schedule) return f;
  const k = run.trajectory.length / 3 - 1;
  const rate = run.rates[Math.max(0, k - 1)];
  return Number.isFinite(rate) ? `${f}, η = ${formatValue(rate, 3)}` : f;
}

/**
 * The state of a (whole, uncut) run at step `step` (or its last row, if fewer
 * are computed), as the equation card shows it: { step, point [x, y, f],
 * previous [x, y] | null, gradient [gx, gy] (the one step k used) | null,
 * states [[x, y] per buffer], diverged, rate (η of step k, NaN at 0) }.
 */
export function stateAt(run, step) {
  const t = run.trajectory;
  const k = Math.min(step, t.length / 3 - 1);
  const states = Array.from({ length: run.stateCount }, (_, j) => {
    const at = k * 2 * run.stateCount + 2 * j;
    return [run.states[at], run.states[at + 1]];
  });
  return {
    step: k,
    point: [t[3 * k], t[3 * k + 1], t[3 * k + 2]],
    previous: k > 0 ? [t[3 * k - 3], t[3 * k - 2]] : null,
    gradient: k > 0 ? [run.gradients[2 * k - 2], run.gradients[2 * k - 1]] : null,
    states,
    diverged: run.divergedAt >= 0 && run.divergedAt <= k,
    rate: k > 0 && k <= run.rates.length ? run.rates[k - 1] : NaN,
  };
}

/**
 * One sentence on the step shown, for a live region: each visible run's loss
 * and distance to the nearest known minimum, or where it diverged, e.g.
 * "Step 120. Adam: loss 0.031, 0.2 from the minimum at (1, 1); SGD has diverged at step 7."
 */
export function describeFrame(frame, { step, minima = [] }) {
  const parts = frame.runs.filter((run) => !run.hidden).map((run) => {
    if (run.divergedAt >= 0) return `${run.label} has diverged at step ${formatCount(run.divergedAt)}`;
    const t = run.trajectory;
    const [x, y, f] = [t[t.length - 3], t[t.length - 2], t[t.length - 1]];
    let text = `${run.label}: loss ${formatValue(f)}`;
    let nearest = null;
    for (const m of minima) if (!nearest || Math.hypot(x - m.x, y - m.y) < nearest.d) nearest = { ...m, d: Math.hypot(x - m.x, y - m.y) };
    if (nearest) text += `, ${formatValue(nearest.d, 2)} from the minimum at (${formatValue(nearest.x, 3)}, ${formatValue(nearest.y, 3)})`;
    return text;
  });
  return `Step ${formatCount(step)}. ${parts.length ? parts.join('; ') : 'No optimizer is shown'}.`;
}

/**
 * The map's text alternative: the surface, the box shown (`bounds`, or null
 * before the first layout), the start and each visible run's legend line.
 */
export function mapSummary(frame, { name, bounds, step }) {
  const visible = frame.runs.filter((run) => !run.hidden);
  const b = bounds;
  const box = b ? ` over x from ${formatValue(b.x_min, 3)} to ${formatValue(b.x_max, 3)} (across) and y from ${formatValue(b.y_min, 3)} to ${formatValue(b.y_max, 3)} (up)` : '';
  const [sx, sy] = frame.start;
  return `${name ?? 'The surface'}: heat map with contour lines${box}; ` +
    `${visible.length} path${visible.length === 1 ? '' : 's'} from the start (${formatValue(sx, 3)}, ${formatValue(sy, 3)}), step ${formatCount(step)}` +
    `${visible.length ? ': ' : ''}${visible.map((run) => `${run.label} ${statusOf(run)}`).join('; ')}.`;
}

/**
 * What the log-scale loss axis measures: f itself when the global minimum is
 * 0, else the gap to the known global minimum, else (a surface unbounded
 * below, like a saddle) the height above the lowest value in view, from
 * `sample(view, 64, 64)` (f on a grid).
 */
export function baselineOf(info, sample) {
  const known = Math.min(...(info.minima ?? []).map((m) => m.f));
  if (known === 0) return { value: 0, title: 'loss f(x, y)' };
  if (Number.isFinite(known)) return { value: known, title: 'f(x, y) − f(global minimum)' };
  let lowest = Infinity;
  for (const v of sample(info.view, 64, 64)) if (v < lowest) lowest = v;
  return Number.isFinite(lowest)
    ? { value: lowest, title: 'f(x, y) − lowest f in view' }
    : { value: 0, title: 'loss f(x, y)' };
}
