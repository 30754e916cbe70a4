// <descent-widget>'s attributes <-> the app state, DOM-free. Attributes carry
// everything a link's hash holds, in a form a lecturer can write by hand:
//
//   state="#v=1&..."         a whole state as in a link (what "copy link" gives);
//                            the attributes below override parts of it
//   surface="himmelblau"     a built-in surface, with settings: "quadratic:kappa=10"
//   formula="x^2 + 10*y^2"   a typed surface instead (wins over surface)
//   start="-1.5, 2"          start point
//   view="-2,2,-1,3"         the box shown: x_min, x_max, y_min, y_max
//   optimizers="adam:lr=0.05 | Adam, fast | #d55e00; sgd:lr=0.001"
//                            instances separated by ';', each
//                            spec [| name] [| colour: 0-99 or #rrggbb] [| hidden];
//                            switches as true/false or 1/0 (nesterov=true);
//                            a learning-rate schedule after '@', as on the
//                            command line (adam:lr=0.1@cosine:T_max=100)
//   steps="500"              the step budget (where playing stops)
//   step="40"                the step shown when the widget opens
//   speed="5"                steps per animation frame
//   noise-scale="0.5" noise-seed="7"   gradient noise
//   arrows="gum"             arrows: gradient, update, momentum
//   chart="loss"             loss | distance | step | lr | rate (the schedule's eta_t)
//   selected="1"             the instance whose update rule is shown
//   autoplay                 start playing once loaded
//   controls="full"          full | minimal (play, timeline, legend, chart) | none (the map)
//   theme="light"            light | dark | auto (the reader's preference, the default)
//   height="420"             the map's height: px, a CSS length (360px, 50vh) or calc(...)
//   locked="surface, start, optimizers"
//                            parts the reader cannot change (comma- or space-separated):
//                            surface (picker and formula), start (clicks, drags, arrow
//                            keys), optimizers (add, remove, presets, settings), noise,
//                            steps (the budget); the rest stays playable. The page's own
//                            script (setState, attributes) still changes them.
//
// parseAttributes checks shape only (numbers, lists, lengths); the module
// checks meaning (a spec's ranges, a formula's syntax) when the widget applies
// them. A bad value gives a problem message and is left out (the default stays).

import { decodeState, encodeState, LIMITS, SPEC, OPTIMIZER_SPEC, HEX, numbers, wholeNumber, num } from '../hash.js';

export const ATTRIBUTES = [
  'state', 'surface', 'formula', 'start', 'view', 'optimizers', 'steps', 'step', 'speed',
  'noise-scale', 'noise-seed', 'arrows', 'chart', 'selected', 'autoplay', 'controls', 'height', 'theme', 'locked',
];
export const LOCKABLE = ['surface', 'start', 'optimizers', 'noise', 'steps'];
export const CONTROLS = ['full', 'minimal', 'none'];
export const THEMES = ['auto', 'light', 'dark'];
const MAX_STEPS = 100000;
const LENGTH = /^(\d+(\.\d+)?)(px|em|rem|vh|svh|dvh|%)?$/;
const CALC = /^calc\([-+*/ .0-9a-z%]+\)$/;

const quote = (text) => JSON.stringify(String(text).slice(0, 60));

// Attributes are hand-written: the link's whole-number reader, with spaces allowed around.
const whole = (text, lo, hi) => wholeNumber(text.trim(), lo, hi);

/** One `spec | name | colour | hidden` item: { instance } or { problem }. */
function parseInstance(item, i) {
  const [written = '', name = '', colour = '', flag = '', ...rest] = item.split('|').map((part) => part.trim());
  // Switches may be written true/false as on the command line; links carry 1/0.
  const spec = written.replace(/=true\b/g, '=1').replace(/=false\b/g, '=0');
  const where = `optimizer ${i + 1} (${quote(spec)})`;
  if (rest.length > 0) return { problem: `${where} has more than four |-separated parts` };
  if (!OPTIMIZER_SPEC.test(spec) || spec.length > 400) return { problem: `${where} is not a spec like adam:lr=0.05 or adam:lr=0.1@cosine:T_max=100` };
  if (name.length > LIMITS.MAX_NAME) return { problem: `${where}: the name is longer than ${LIMITS.MAX_NAME} characters` };
  let colourValue = i;
  if (colour !== '') {
    const index = whole(colour, 0, 99);
    if (index === null && !HEX.test(colour)) return { problem: `${where}: the colour must be 0-99 or #rrggbb, got ${quote(colour)}` };
    colourValue = index ?? colour.toLowerCase();
  }
  if (flag !== '' && flag !== 'hidden') return { problem: `${where}: the fourth part may only be "hidden"` };
  return { instance: { spec, name, colour: colourValue, hidden: flag === 'hidden' } };
}

/**
 * Reads the attributes through `get(name)` (string or null). Returns
 * { patch, problems, controls, autoplay, height, locked }: `patch` holds the
 * state keys given (shape-checked), `problems` a message per value left out,
 * `locked` the parts the reader may not change.
 */
export function parseAttributes(get) {
  const patch = {};
  const problems = [];
  const has = (name) => get(name) !== null;
  const text = (name) => String(get(name));

  if (has('state')) {
    const result = decodeState(text('state'));
    if (result.ok) Object.assign(patch, result.state);
    else problems.push(`state: ${result.error}`);
  }
  if (has('formula')) {
    const formula = text('formula').trim();
    if (formula === '' || formula.length > LIMITS.MAX_FORMULA) problems.push(`formula: must be 1 to ${LIMITS.MAX_FORMULA} characters`);
    else patch.surface = `expr:${formula}`;
  } else if (has('surface')) {
    const surface = text('surface').trim();
    if (!SPEC.test(surface)) problems.push(`surface: ${quote(surface)} is not a surface name like rosenbrock`);
    else patch.surface = surface;
  }
  if (has('start')) {
    const start = numbers(text('start'), 2);
    if (start) patch.start = start;
    else problems.push(`start: expected "x, y", got ${quote(text('start'))}`);
  }
  if (has('view')) {
    const v = numbers(text('view'), 4);
    if (v && v[0] < v[1] && v[2] < v[3]) patch.view = { x_min: v[0], x_max: v[1], y_min: v[2], y_max: v[3] };
    else problems.push(`view: expected "x_min, x_max, y_min, y_max" with min < max, got ${quote(text('view'))}`);
  }
  if (has('optimizers')) {
    const items = text('optimizers').split(';').map((item) => item.trim()).filter(Boolean);
    const instances = [];
    items.forEach((item, i) => {
      const { instance, problem } = parseInstance(item, i);
      if (instance) instances.push(instance);
      else problems.push(problem);
    });
    if (instances.length > LIMITS.MAX_INSTANCES) {
      problems.push(`optimizers: at most ${LIMITS.MAX_INSTANCES}, the rest are left out`);
      instances.length = LIMITS.MAX_INSTANCES;
    }
    patch.instances = instances;
  }
  const integer = (name, key, lo, hi) => {
    if (!has(name)) return;
    const n = whole(text(name), lo, hi);
    if (n === null) problems.push(`${name}: expected a whole number from ${lo} to ${hi}, got ${quote(text(name))}`);
    else patch[key] = n;
  };
  integer('steps', 'budget', 1, MAX_STEPS);
  integer('step', 'step', 0, MAX_STEPS);
  integer('speed', 'speed', 1, 1000);
  integer('selected', 'selected', 0, LIMITS.MAX_INSTANCES - 1);
  if (has('noise-scale') || has('noise-seed')) {
    const scale = has('noise-scale') ? Number(text('noise-scale').trim() || NaN) : (patch.noise?.scale ?? 0);
    const seed = has('noise-seed') ? whole(text('noise-seed'), 0, Number.MAX_SAFE_INTEGER) : (patch.noise?.seed ?? 1);
    if (!Number.isFinite(scale) || scale < 0) problems.push(`noise-scale: expected a number >= 0, got ${quote(text('noise-scale'))}`);
    else if (seed === null) problems.push(`noise-seed: expected a whole number >= 0, got ${quote(text('noise-seed'))}`);
    else patch.noise = { scale, seed };
  }
  if (has('arrows')) {
    const arrows = text('arrows').trim();
    if (/^[gum]{0,3}$/.test(arrows)) patch.arrows = arrows;
    else problems.push(`arrows: use the letters g (gradient), u (update), m (momentum), got ${quote(arrows)}`);
  }
  if (has('chart')) {
    const chart = text('chart').trim();
    if (LIMITS.CHARTS.includes(chart)) patch.chart = chart;
    else problems.push(`chart: one of ${LIMITS.CHARTS.join(', ')}, got ${quote(chart)}`);
  }

  let controls = 'full';
  if (has('controls')) {
    const value = text('controls').trim();
    if (CONTROLS.includes(value)) controls = value;
    else problems.push(`controls: one of ${CONTROLS.join(', ')}, got ${quote(value)}`);
  }
  let height = null;
  if (has('height')) {
    const value = text('height').trim();
    const match = LENGTH.exec(value);
    if (match) height = `${match[1]}${match[3] ?? 'px'}`;
    else if (CALC.test(value)) height = value;
    else problems.push(`height: expected pixels or a CSS length like 360px or 50vh, got ${quote(text('height'))}`);
  }
  // The theme works through CSS (:host([theme=...])); here it is only checked.
  if (has('theme') && !THEMES.includes(text('theme').trim())) {
    problems.push(`theme: one of ${THEMES.join(', ')}, got ${quote(text('theme'))}`);
  }
  const locked = [];
  if (has('locked')) {
    for (const part of text('locked').split(/[\s,]+/).filter(Boolean)) {
      if (LOCKABLE.includes(part)) locked.push(part);
      else problems.push(`locked: ${quote(part)} is not one of ${LOCKABLE.join(', ')}`);
    }
  }
  const autoplay = has('autoplay') && text('autoplay') !== 'false';
  return { patch, problems, controls, autoplay, height, locked };
}

const escapeAttribute = (text) =>
  String(text).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The attributes that reproduce `state` (defaults left out), as [name, value] pairs. */
export function attributesOf(state, { controls = 'full' } = {}) {
  const pairs = [];
  if (state.surface.startsWith('expr:')) pairs.push(['formula', state.surface.slice(5)]);
  else pairs.push(['surface', state.surface]);
  pairs.push(['start', state.start.map(num).join(', ')]);
  if (state.view) pairs.push(['view', [state.view.x_min, state.view.x_max, state.view.y_min, state.view.y_max].map(num).join(', ')]);
  pairs.push(['optimizers', state.instances.map((o, i) => {
    const parts = [o.spec, o.name.replace(/[|;]/g, ' ')];
    if (o.colour !== i || o.hidden) parts.push(String(o.colour));
    if (o.hidden) parts.push('hidden');
    while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
    return parts.join(' | ');
  }).join('; ')]);
  pairs.push(['steps', String(state.budget)]);
  if (state.step > 0) pairs.push(['step', String(state.step)]);
  pairs.push(['speed', String(state.speed)]);
  if (state.noise.scale > 0) pairs.push(['noise-scale', num(state.noise.scale)], ['noise-seed', String(state.noise.seed)]);
  if (state.arrows) pairs.push(['arrows', state.arrows]);
  if (state.chart !== 'loss') pairs.push(['chart', state.chart]);
  if (state.selected > 0) pairs.push(['selected', String(state.selected)]);
  pairs.push(['controls', controls]);
  return pairs;
}

/**
 * A snippet that embeds `state`: kind 'element' (the custom element, with the
 * script tag of the package's ES module) or 'iframe' (the embed page at `url`).
 */
export function embedSnippet(state, { kind = 'element', url = 'embed.html', script = 'descent-widget/descent-widget.js' } = {}) {
  if (kind === 'iframe') {
    const src = `${url}${encodeState(state)}`;
    return `<iframe src="${escapeAttribute(src)}" title="Descent: gradient-descent optimizers on a cost surface" ` +
      'width="100%" height="760" style="border: 0; max-width: 1240px" loading="lazy"></iframe>';
  }
  const attributes = attributesOf(state).map(([name, value]) => `\n  ${name}="${escapeAttribute(value)}"`).join('');
  return `<script type="module" src="${escapeAttribute(script)}"></script>\n<descent-widget${attributes}>\n</descent-widget>`;
}
