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
//   loading="lazy"           eager (the default: starts at once) | lazy (starts when it comes
//                            near the screen, as <img loading="lazy">; a page of many figures)
//   locked="surface, start, optimizers"
//                            parts the reader cannot change (comma- or space-separated):
//                            surface (picker and formula), start (clicks, drags, arrow
//                            keys), optimizers (add, remove, presets, settings), noise,
//                            steps (the budget); the rest stays playable. The page's own
//                            script (setState, attributes) still changes them.
//
// The state's attributes, their ranges and defaults are the state schema's
// (state-schema.js); here is only each type's hand-written text form.
// parseAttributes checks shape only (numbers, lists, lengths); the module
// checks meaning (a spec's ranges, a formula's syntax) when the widget applies
// them. A bad value gives a problem message and is left out (the default stays).

import { decodeState, encodeState } from '../hash.js';
import { SCHEMA, FIELDS, TYPES, LOCKABLE, HEX, numbers, wholeNumber, num, boxOf, boxValues, expectedOf, instanceProblem } from '../state-schema.js';
import { SPEC } from '../format.js';

// The layout's attributes and the widget's own; the state's come from the schema.
export const CONTROLS = ['full', 'minimal', 'none'];
export const THEMES = ['auto', 'light', 'dark'];
export const LOADINGS = ['eager', 'lazy'];
export const ATTRIBUTES = ['state', ...SCHEMA.flatMap((f) => f.attributes), 'autoplay', 'controls', 'height', 'theme', 'locked', 'loading'];
export { LOCKABLE };
const LENGTH = /^(\d+(\.\d+)?)(px|em|rem|vh|svh|dvh|%)?$/;
const CALC = /^calc\([-+*/ .0-9a-z%]+\)$/;

const quote = (text) => JSON.stringify(String(text).slice(0, 60));

// Attributes are hand-written: the link's whole-number reader, with spaces allowed around.
const whole = (text, lo, hi) => wholeNumber(text.trim(), lo, hi);

// Per schema type of a one-attribute field: read(text, field) -> value, or
// undefined when the text has not the type's shape; write(value) -> text.
const TEXT = {
  whole: { read: (t, f) => whole(t, f.min, f.max) ?? undefined, write: String },
  choice: { read: (t) => t.trim(), write: String },
  letters: { read: (t) => t.trim(), write: String },
  point: { read: (t) => numbers(t, 2) ?? undefined, write: (v) => v.map(num).join(', ') },
  box: { read: (t) => boxOf(numbers(t, 4)), write: (v) => boxValues(v).map(num).join(', ') },
};

/** One `spec | name | colour | hidden` item: { instance } or { problem }. */
function parseInstance(item, i) {
  const f = FIELDS.instances;
  const [written = '', name = '', colour = '', flag = '', ...rest] = item.split('|').map((part) => part.trim());
  // Switches may be written true/false as on the command line; links carry 1/0.
  const spec = written.replace(/=true\b/g, '=1').replace(/=false\b/g, '=0');
  const where = `optimizer ${i + 1} (${quote(spec)})`;
  if (rest.length > 0) return { problem: `${where} has more than four |-separated parts` };
  if (flag !== '' && flag !== 'hidden') return { problem: `${where}: the fourth part may only be "hidden"` };
  let colourValue = i;
  if (colour !== '') {
    const index = whole(colour, 0, f.maxColour);
    colourValue = index ?? (HEX.test(colour) ? colour.toLowerCase() : colour);
  }
  const instance = { spec, name, colour: colourValue, hidden: flag === 'hidden' };
  const problem = instanceProblem(f, instance);
  if (!problem) return { instance };
  if (problem.startsWith('the spec')) return { problem: `${where} is not a spec like adam:lr=0.05 or adam:lr=0.1@cosine:T_max=100 (at most ${f.maxSpec} characters)` };
  return { problem: `${where}: ${problem}${problem.startsWith('the colour') ? `, got ${quote(colour)}` : ''}` };
}

/**
 * Reads the attributes through `get(name)` (string or null). Returns
 * { patch, problems, controls, autoplay, height, locked, loading }: `patch` holds the
 * state keys given (shape-checked), `problems` a message per value left out,
 * `locked` the parts the reader may not change, `loading` eager or lazy.
 */
export function parseAttributes(get) {
  const patch = {};
  const problems = [];
  const has = (name) => get(name) !== null;
  const text = (name) => String(get(name));
  const expected = (name, f) => `${name}: expected ${expectedOf(f.key)}, got ${quote(text(name))}`;

  if (has('state')) {
    const result = decodeState(text('state'));
    if (result.ok) Object.assign(patch, result.state);
    else problems.push(`state: ${result.error}`);
  }
  for (const f of SCHEMA) {
    if (f.type === 'surface') readSurface(f);
    else if (f.type === 'noise') readNoise(f);
    else if (f.type === 'instances') readInstances(f);
    else {
      const [name] = f.attributes;
      if (!has(name)) continue;
      const value = TEXT[f.type].read(text(name), f);
      if (value !== undefined && TYPES[f.type].problem(f, value) === null) patch[f.key] = value;
      else problems.push(expected(name, f));
    }
  }

  function readSurface(f) {
    if (has('formula')) {
      const formula = text('formula').trim();
      if (TYPES.surface.problem(f, `expr:${formula}`) === null) patch.surface = `expr:${formula}`;
      else problems.push(`formula: must be 1 to ${f.maxFormula} characters`);
    } else if (has('surface')) {
      const surface = text('surface').trim();
      if (SPEC.test(surface) && surface.length <= f.maxSpec) patch.surface = surface;
      else problems.push(`surface: ${quote(surface)} is not a surface name like rosenbrock (at most ${f.maxSpec} characters)`);
    }
  }
  function readNoise(f) {
    if (!has('noise-scale') && !has('noise-seed')) return;
    const base = patch.noise ?? f.default;
    const scale = has('noise-scale') ? Number(text('noise-scale').trim() || NaN) : base.scale;
    const seed = has('noise-seed') ? whole(text('noise-seed'), 0, f.maxSeed) : base.seed;
    if (!Number.isFinite(scale) || scale < 0) problems.push(`noise-scale: expected a number >= 0, got ${quote(text('noise-scale'))}`);
    else if (seed === null) problems.push(`noise-seed: expected a whole number from 0 to ${f.maxSeed}, got ${quote(text('noise-seed'))}`);
    else patch.noise = { scale, seed };
  }
  function readInstances(f) {
    if (!has('optimizers')) return;
    const items = text('optimizers').split(';').map((item) => item.trim()).filter(Boolean);
    const instances = [];
    items.forEach((item, i) => {
      const { instance, problem } = parseInstance(item, i);
      if (instance) instances.push(instance);
      else problems.push(problem);
    });
    if (instances.length > f.max) {
      problems.push(`optimizers: at most ${f.max}, the rest are left out`);
      instances.length = f.max;
    }
    patch.instances = instances;
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
  let loading = 'eager';
  if (has('loading')) {
    const value = text('loading').trim();
    if (LOADINGS.includes(value)) loading = value;
    else problems.push(`loading: one of ${LOADINGS.join(', ')}, got ${quote(value)}`);
  }
  const autoplay = has('autoplay') && text('autoplay') !== 'false';
  return { patch, problems, controls, autoplay, height, locked, loading };
}

const escapeAttribute = (text) =>
  String(text).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const sameValue = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/**
 * The attributes that reproduce `state`, as [name, value] pairs: a field equal
 * to its default is left out; the surface, and what comes with it (start,
 * optimizers: defaults null), are always written.
 */
export function attributesOf(state, { controls = 'full' } = {}) {
  const pairs = [];
  for (const f of SCHEMA) {
    const value = state[f.key];
    if (f.type !== 'surface' && (f.default === null ? value === null : sameValue(value, f.default))) continue;
    if (f.type === 'surface') {
      if (value.startsWith('expr:')) pairs.push(['formula', value.slice(5)]);
      else pairs.push(['surface', value]);
    } else if (f.type === 'noise') {
      pairs.push(['noise-scale', num(value.scale)], ['noise-seed', String(value.seed)]);
    } else if (f.type === 'instances') {
      pairs.push(['optimizers', value.map((o, i) => {
        const parts = [o.spec, o.name.replace(/[|;]/g, ' ')];
        if (o.colour !== i || o.hidden) parts.push(String(o.colour));
        if (o.hidden) parts.push('hidden');
        while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
        return parts.join(' | ');
      }).join('; ')]);
    } else {
      pairs.push([f.attributes[0], TEXT[f.type].write(value)]);
    }
  }
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
