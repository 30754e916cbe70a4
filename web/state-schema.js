// The page state's schema: one row per field a link, a widget's attributes
// and setState carry (name, type, range, default), as TensorFlow Playground's
// PROPS table in state.ts. The URL-hash codec (hash.js), the widget's
// attributes (widget/attributes.js), setState's checks, the app's setting keys
// and lockable parts, and the limits the views show (name and formula lengths,
// the budget field) all read it; nothing below is written anywhere else.
// DOM-free.
//
// A row: key (the state's), hash (its name in a link), attributes (its
// widget attributes), type (TYPES below) with the type's bounds, default
// (null for start and instances: the surface's own, chosen with it; the
// view's null, with nullable, is the surface's own box), title (what the
// field is called in messages), setting (a change is a 'statechange'; the step
// has its own event), lock (the part of the `locked` attribute that covers it)
// and lockTitle (what the reader's note calls that part).

import { SPEC, OPTIMIZER_SPEC } from './format.js';

/** A number as links write it: 12 significant digits, shortest form. */
export const num = (v) => String(Number(v.toPrecision(12)));

/** `count` finite numbers from "a,b,...", or null. */
export function numbers(text, count) {
  if (typeof text !== 'string') return null;
  const parts = text.split(',');
  if (parts.length !== count || parts.some((t) => t.trim() === '')) return null;
  const values = parts.map(Number);
  return values.every(Number.isFinite) ? values : null;
}

/** A whole number in [lo, hi] written with digits only, or null. */
export function wholeNumber(text, lo, hi) {
  if (typeof text !== 'string' || !/^\d{1,16}$/.test(text)) return null;
  const n = Number(text);
  return n >= lo && n <= hi ? n : null;
}

export const HEX = /^#[0-9a-fA-F]{6}$/;

/** A view box's numbers in the order links and attributes write them, and back (undefined for null). */
export const boxValues = (b) => [b.x_min, b.x_max, b.y_min, b.y_max];
export const boxOf = (v) => (v ? { x_min: v[0], x_max: v[1], y_min: v[2], y_max: v[3] } : undefined);
const MAX_STEPS = 100000; // the step budget's and the step's upper bound
const MAX_INSTANCES = 12;
const MAX_SPEC = 400; // characters of a built-in surface's or an optimizer's spec

export const SCHEMA = [
  {
    key: 'surface', hash: 'surface', attributes: ['surface', 'formula'], type: 'surface',
    maxSpec: MAX_SPEC, maxFormula: 1000, default: 'rosenbrock', title: 'surface',
    setting: true, lock: 'surface', lockTitle: 'surface',
  },
  {
    key: 'start', hash: 'start', attributes: ['start'], type: 'point', default: null,
    title: 'start point', setting: true, lock: 'start', lockTitle: 'start point',
  },
  {
    key: 'noise', hash: 'noise', attributes: ['noise-scale', 'noise-seed'], type: 'noise',
    maxSeed: Number.MAX_SAFE_INTEGER, default: { scale: 0, seed: 1 }, title: 'gradient noise',
    setting: true, lock: 'noise', lockTitle: 'gradient noise',
  },
  {
    key: 'step', hash: 'step', attributes: ['step'], type: 'whole', min: 0, max: MAX_STEPS, default: 0,
    title: 'step shown', setting: false,
  },
  {
    key: 'speed', hash: 'speed', attributes: ['speed'], type: 'whole', min: 1, max: 1000, default: 5,
    choices: [1, 2, 5, 10, 25], title: 'speed (steps per frame)', setting: true,
  },
  {
    key: 'budget', hash: 'budget', attributes: ['steps'], type: 'whole', min: 1, max: MAX_STEPS, default: 2000,
    title: 'step budget', setting: true, lock: 'steps', lockTitle: 'step budget',
  },
  {
    // null: the surface's own view
    key: 'view', hash: 'view', attributes: ['view'], type: 'box', nullable: true, default: null,
    title: 'view box', setting: true,
  },
  {
    key: 'selected', hash: 'sel', attributes: ['selected'], type: 'whole', min: 0, max: MAX_INSTANCES - 1, default: 0,
    title: 'selected optimizer', setting: true,
  },
  {
    // in the order of the arrow toggles
    key: 'arrows', hash: 'arrows', attributes: ['arrows'], type: 'letters', letters: 'gum',
    meanings: ['gradient', 'update', 'momentum'], default: '', title: 'arrows', setting: true,
  },
  {
    key: 'chart', hash: 'chart', attributes: ['chart'], type: 'choice', choices: ['loss', 'distance', 'step', 'lr', 'rate'],
    default: 'loss', title: 'chart', setting: true,
  },
  {
    key: 'instances', hash: 'o', attributes: ['optimizers'], type: 'instances', max: MAX_INSTANCES,
    maxSpec: MAX_SPEC, maxName: 40, maxColour: 99, default: null, title: 'optimizers',
    setting: true, lock: 'optimizers', lockTitle: 'optimizers and their settings',
  },
];

/** The row of each state key. */
export const FIELDS = Object.fromEntries(SCHEMA.map((f) => [f.key, f]));

/** Keys whose change is a 'statechange' (the step and playing have their own events). */
export const SETTING_KEYS = SCHEMA.filter((f) => f.setting).map((f) => f.key);
/** The parts a widget's `locked` attribute may name, and what the reader's note calls each. */
export const LOCKABLE = SCHEMA.filter((f) => f.lock).map((f) => f.lock);
export const LOCKED_NAMES = Object.fromEntries(SCHEMA.filter((f) => f.lock).map((f) => [f.lock, f.lockTitle]));

// Per type: expected(field), what a valid value is, for messages; problem(field,
// value), null for a valid value, else what is wrong with it.
const isWhole = (v, lo, hi) => Number.isInteger(v) && v >= lo && v <= hi;
const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);
export const TYPES = {
  whole: {
    expected: (f) => `a whole number from ${f.min} to ${f.max}`,
    problem: (f, v) => (isWhole(v, f.min, f.max) ? null : 'out of range'),
  },
  choice: {
    expected: (f) => `one of ${f.choices.join(', ')}`,
    problem: (f, v) => (f.choices.includes(v) ? null : 'not a choice'),
  },
  letters: {
    expected: (f) => `up to ${f.letters.length} of the letters ${[...f.letters].map((c, i) => `${c} (${f.meanings[i]})`).join(', ')}`,
    problem: (f, v) => (typeof v === 'string' && new RegExp(`^[${f.letters}]{0,${f.letters.length}}$`).test(v) ? null : 'bad letters'),
  },
  point: {
    expected: () => '"x, y" (two finite numbers)',
    problem: (f, v) => (Array.isArray(v) && v.length === 2 && v.every(isNumber) ? null : 'not a point'),
  },
  box: {
    expected: () => '"x_min, x_max, y_min, y_max" with min < max',
    problem: (f, v) => {
      if (v === null && f.nullable) return null;
      const ok = v && [v.x_min, v.x_max, v.y_min, v.y_max].every(isNumber) && v.x_min < v.x_max && v.y_min < v.y_max;
      return ok ? null : 'not a box';
    },
  },
  noise: {
    expected: (f) => `a scale >= 0 and a whole-number seed from 0 to ${f.maxSeed}`,
    problem: (f, v) => (v && isNumber(v.scale) && v.scale >= 0 && isWhole(v.seed, 0, f.maxSeed) ? null : 'bad noise'),
  },
  surface: {
    expected: (f) => `a built-in surface (rosenbrock, quadratic:kappa=10) of at most ${f.maxSpec} characters, ` +
      `or expr: and a formula of 1 to ${f.maxFormula} characters`,
    problem: (f, v) => {
      if (typeof v !== 'string') return 'not text';
      if (v.startsWith('expr:')) return v.length > 5 && v.length <= f.maxFormula + 5 ? null : 'formula length';
      return SPEC.test(v) && v.length <= f.maxSpec ? null : 'not a surface spec';
    },
  },
  instances: {
    expected: (f) => `at most ${f.max} optimizers, each { spec (like adam:lr=0.05 or adam:lr=0.1@cosine:T_max=100, ` +
      `at most ${f.maxSpec} characters), colour (0-${f.maxColour} or #rrggbb), hidden (true/false), name (at most ${f.maxName} characters) }`,
    problem: (f, v) => {
      if (!Array.isArray(v)) return 'not a list';
      if (v.length > f.max) return `more than ${f.max}`;
      const bad = v.findIndex((o) => instanceProblem(f, o));
      return bad < 0 ? null : `optimizer ${bad + 1}: ${instanceProblem(f, v[bad])}`;
    },
  },
};

/** What is wrong with one optimizer instance { spec, colour, hidden, name }, or null. */
export function instanceProblem(f, o) {
  if (!o || typeof o !== 'object') return 'not an object';
  if (typeof o.spec !== 'string' || !OPTIMIZER_SPEC.test(o.spec) || o.spec.length > f.maxSpec) return 'the spec is not valid';
  if (!isWhole(o.colour, 0, f.maxColour) && !(typeof o.colour === 'string' && HEX.test(o.colour))) return `the colour must be 0-${f.maxColour} or #rrggbb`;
  if (typeof o.hidden !== 'boolean') return 'hidden must be true or false';
  if (typeof o.name !== 'string' || o.name.length > f.maxName) return `the name must be text of at most ${f.maxName} characters`;
  return null;
}

/** What a valid value of state key `key` is. */
export const expectedOf = (key) => TYPES[FIELDS[key].type].expected(FIELDS[key]);

/**
 * Null when `value` is a valid value of state key `key`, else a message naming
 * the key, what it takes and what it got: `"budget": expected a whole number
 * from 1 to 100000, got 0`.
 */
export function valueProblem(key, value) {
  const f = FIELDS[key];
  if (!f) return `"${String(key).slice(0, 40)}" is not a part of the state (${SCHEMA.map((g) => g.key).join(', ')})`;
  const problem = TYPES[f.type].problem(f, value);
  if (problem === null) return null;
  let shown;
  try {
    shown = JSON.stringify(value) ?? String(value);
  } catch {
    shown = String(value);
  }
  const detail = f.type === 'instances' && /^optimizer \d+:|^more than/.test(problem) ? ` (${problem})` : '';
  return `"${key}": expected ${expectedOf(key)}, got ${shown.slice(0, 80)}${detail}`;
}

/**
 * The state's defaults; `own` gives the fields whose default depends on the
 * surface (start, instances; and surface itself when another one is first).
 */
export function defaultState(own = {}) {
  const state = Object.fromEntries(SCHEMA.map((f) => [f.key, structuredClone(f.default)]));
  return { ...state, playing: false, ...own };
}

/** The limits the views and messages show, from the table. */
export const LIMITS = {
  MAX_INSTANCES: FIELDS.instances.max,
  MAX_NAME: FIELDS.instances.maxName,
  MAX_FORMULA: FIELDS.surface.maxFormula,
  MAX_SPEC: FIELDS.instances.maxSpec,
  MAX_COLOUR: FIELDS.instances.maxColour,
  MAX_STEPS: FIELDS.budget.max,
  CHARTS: FIELDS.chart.choices,
  STEP_BUDGET: FIELDS.budget.default,
  SPEEDS: FIELDS.speed.choices,
  DEFAULT_SPEED: FIELDS.speed.default,
};
