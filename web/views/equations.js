// The equations card: the selected instance's update rule as the core runs it
// (the module's LaTeX for those settings, rendered with KaTeX), and under it
// the numbers of the step the timeline shows: the gradient, every state buffer
// in the rule's own symbols, the bias-correction factors, the step taken and
// the effective step per coordinate. Each number row carries its exact values
// in data-x / data-y for the tests. DOM only through KaTeX and text nodes.
// KaTeX is the dearest part of a frame: the card is typeset only while it is
// near the screen (tasks.js's watchNearScreen), the last view shown kept for
// when it comes near (on a phone it starts below the fold).

import katex from 'katex';
import { formatValue } from '../format.js';
import { watchNearScreen } from '../tasks.js';

// Buffers that only matter when a setting turns them on.
const USED_WHEN = {
  max_exp_avg_sq: (s) => s.amsgrad === 1,
  grad_avg: (s) => s.centered === 1,
  momentum_buffer: (s) => (s.momentum ?? 1) > 0,
};

const tex = (v) => {
  const text = formatValue(v, 5).replace('−', '-');
  const m = /^(-?[\d.]+)e(-?\d+)$/.exec(text);
  return m ? `${m[1]}\\times10^{${m[2]}}` : text;
};
const pair = (x, y) => `\\left(${tex(x)},\\; ${tex(y)}\\right)`;

export function createEquations({ card, title, rule, numbers }) {
  let waiting = null; // the view shown while the card was far from the screen
  const screen = watchNearScreen(card, () => {
    if (waiting) typeset(waiting);
    waiting = null;
  });

  function render(target, latex, display = true) {
    try {
      katex.render(latex, target, { displayMode: display, throwOnError: false, output: 'htmlAndMathml' });
    } catch {
      target.textContent = latex;
    }
  }

  // A row of numbers: the maths, and after it `note` in words (plain text, so
  // it wraps on a narrow screen where KaTeX's \text would run off the side).
  function row(name, latex, x, y, note) {
    const div = document.createElement('div');
    div.className = 'eq-row';
    div.dataset.testid = 'eq-value';
    div.dataset.name = name;
    if (x !== undefined) div.dataset.x = String(x);
    if (y !== undefined) div.dataset.y = String(y);
    render(div, latex, false);
    if (note) {
      const words = document.createElement('span');
      words.className = 'eq-row-note';
      words.textContent = note;
      div.append(' ', words);
    }
    return div;
  }

  return {
    /** Nothing to show (no instance available). */
    clear(text) {
      waiting = null;
      title.textContent = text;
      rule.replaceChildren();
      numbers.replaceChildren();
    },
    /**
     * view: { label, latex, stateNames, stateSymbols (the registry's LaTeX per buffer), settings, step, point, previous, gradient,
     * states: [[x, y] per buffer], diverged, schedule (its text, '' for none),
     * rate (eta_t of step `step`) }
     */
    show(view) {
      title.textContent = view.label;
      if (screen.near()) typeset(view);
      else waiting = view;
    },
  };

  function typeset(view) {
    if (rule.dataset.latex !== view.latex) {
      rule.dataset.latex = view.latex;
      render(rule, `\\begin{gathered}${view.latex}\\end{gathered}`);
    }
    const k = view.step;
    const rows = [];
    const head = document.createElement('p');
    head.className = 'eq-step';
    head.dataset.testid = 'eq-step';
    head.textContent = k === 0 ? 'Step 0: the start, before any update.' : `Step t = ${k}:`;
    rows.push(head);
    if (k > 0 && view.schedule && Number.isFinite(view.rate)) {
      // A schedule's rate for this step (the update rule's eta or lr is this value).
      rows.push(row('eta', `\\eta_t = ${tex(view.rate)}`, view.rate, undefined,
        `(learning rate of step ${k}, schedule ${view.schedule.split(/[:+]/)[0]})`));
    }
    if (k > 0 && view.gradient) {
      rows.push(row('gradient', `g_t = ${pair(...view.gradient)}`, ...view.gradient));
      view.stateNames.forEach((name, j) => {
        if (USED_WHEN[name] && !USED_WHEN[name](view.settings)) return;
        const [x, y] = view.states[j];
        rows.push(row(name, `${view.stateSymbols[j]} = ${pair(x, y)}`, x, y));
      });
      const s = view.settings;
      if ('beta1' in s && s.bias_correction !== 0) {
        const bc1 = 1 - s.beta1 ** k;
        rows.push(row('bc1', `1-\\beta_1^{t} = ${tex(bc1)}`, bc1));
        if ('beta2' in s && view.stateNames.includes('exp_avg_sq')) {
          const bc2 = 1 - s.beta2 ** k;
          rows.push(row('bc2', `1-\\beta_2^{t} = ${tex(bc2)}`, bc2));
        }
      }
      const dx = view.point[0] - view.previous[0];
      const dy = view.point[1] - view.previous[1];
      rows.push(row('step', `\\theta_t - \\theta_{t-1} = ${pair(dx, dy)}`, dx, dy));
      const [gx, gy] = view.gradient;
      const ex = gx === 0 ? NaN : -dx / gx;
      const ey = gy === 0 ? NaN : -dy / gy;
      rows.push(row('effective_lr', `-\\frac{\\Delta\\theta_i}{g_{t,i}} = ${pair(ex, ey)}`, ex, ey, '(effective step per coordinate)'));
    }
    rows.push(row('point', `\\theta_t = ${pair(view.point[0], view.point[1])},\\quad f(\\theta_t) = ${tex(view.point[2])}`, view.point[0], view.point[1]));
    if (view.diverged) {
      const note = document.createElement('p');
      note.className = 'eq-note';
      note.textContent = 'This run has diverged: its numbers are no longer finite.';
      rows.push(note);
    }
    numbers.replaceChildren(...rows);
  }
}
