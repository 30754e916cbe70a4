// The URL-hash codec, DOM-free: the page state <-> a `#...` string. The hash is
// URL-encoded key=value pairs with a version and, last, a checksum of all that
// precedes it, so a truncated or hand-garbled link is recognised as such and
// never half-applied. Every field is checked for shape here (numbers finite,
// specs made of the spec alphabet, names short); the module checks meaning
// (a spec's ranges, a formula's syntax) when the app applies the state.
//
//   v=1  surface=<id, id:key=value,... or expr:...>  start=x,y  noise=scale,seed  step=k
//   speed=n  budget=n  view=x0,x1,y0,y1  sel=i  arrows=gum  chart=<metric>
//   o=<spec>~<colour index or #rrggbb>~<0|1 hidden>~<name>   (one per instance)
//   c=<checksum of everything before "&c=">

const VERSION = '1';
// The spec grammar of optimizers and built-in surfaces alike: id[:key=value,...].
export const SPEC = /^[a-z][a-z0-9_]*(:[a-z0-9_]+=[-+0-9.eE]+(,[a-z0-9_]+=[-+0-9.eE]+)*)?$/;
// An optimizer instance's spec: SPEC, then optionally `@` and a learning-rate
// schedule (cpp/optim/schedule.h), stages joined by `+`, whose values may also
// be words (mode=triangular2) or lists (milestones=30/80).
const STAGE = '[a-z][a-z0-9_]*(:[A-Za-z0-9_]+=[-+0-9.a-zA-Z_/]+(,[A-Za-z0-9_]+=[-+0-9.a-zA-Z_/]+)*)?';
export const OPTIMIZER_SPEC = new RegExp(`^${SPEC.source.slice(1, -1)}(@${STAGE}(\\+${STAGE})*)?$`);
export const HEX = /^#[0-9a-fA-F]{6}$/;
const MAX_INSTANCES = 12;
const MAX_NAME = 40;
const MAX_FORMULA = 1000;
const CHARTS = ['loss', 'distance', 'step', 'lr', 'rate'];

/** FNV-1a, 32 bits, as 8 hex digits. */
export function checksum(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; ++i) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** A number as links write it: 12 significant digits, shortest form. */
export const num = (v) => String(Number(v.toPrecision(12)));

/** The state as a hash string (with the leading '#'). */
export function encodeState(s) {
  const p = new URLSearchParams();
  p.set('v', VERSION);
  p.set('surface', s.surface);
  p.set('start', s.start.map(num).join(','));
  p.set('noise', `${num(s.noise.scale)},${s.noise.seed}`);
  p.set('step', String(s.step));
  p.set('speed', String(s.speed));
  p.set('budget', String(s.budget));
  if (s.view) p.set('view', [s.view.x_min, s.view.x_max, s.view.y_min, s.view.y_max].map(num).join(','));
  p.set('sel', String(s.selected));
  p.set('arrows', s.arrows);
  p.set('chart', s.chart);
  for (const o of s.instances) p.append('o', [o.spec, o.colour, o.hidden ? 1 : 0, o.name].join('~'));
  const body = p.toString();
  return `#${body}&c=${checksum(body)}`;
}

const fail = (error) => ({ ok: false, error });

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

/**
 * Parses a hash (with or without '#'). Returns { ok: true, state } with every
 * field of encodeState, or { ok: false, error } naming the first problem.
 */
export function decodeState(hash) {
  const text = hash.startsWith('#') ? hash.slice(1) : hash;
  const at = text.lastIndexOf('&c=');
  if (at < 0) return fail('the link has no checksum (it may be cut short)');
  const body = text.slice(0, at);
  if (checksum(body) !== text.slice(at + 3)) return fail('the link is damaged or cut short (checksum mismatch)');
  let p;
  try {
    p = new URLSearchParams(body);
  } catch {
    return fail('the link cannot be read');
  }
  if (p.get('v') !== VERSION) return fail('the link is from another version of the page');

  const surface = p.get('surface') ?? '';
  const isFormula = surface.startsWith('expr:') && surface.length > 5 && surface.length <= MAX_FORMULA + 5;
  // A built-in is written as the core reads it: an id, with settings (quadratic:kappa=100).
  if (!isFormula && (!SPEC.test(surface) || surface.length > 400)) return fail('the surface in the link is not valid');
  const start = numbers(p.get('start'), 2);
  if (!start) return fail('the start point in the link is not valid');
  const noise = numbers(p.get('noise'), 2);
  if (!noise || noise[0] < 0 || !Number.isInteger(noise[1]) || noise[1] < 0 || noise[1] > Number.MAX_SAFE_INTEGER)
    return fail('the noise settings in the link are not valid');
  const step = wholeNumber(p.get('step'), 0, 1e6);
  const speed = wholeNumber(p.get('speed'), 1, 1000);
  const budget = wholeNumber(p.get('budget'), 1, 1e6);
  const selected = wholeNumber(p.get('sel'), 0, MAX_INSTANCES);
  if (step === null || speed === null || budget === null || selected === null)
    return fail('a number in the link is not valid');
  let view = null;
  if (p.has('view')) {
    const v = numbers(p.get('view'), 4);
    if (!v || !(v[0] < v[1] && v[2] < v[3])) return fail('the view box in the link is not valid');
    view = { x_min: v[0], x_max: v[1], y_min: v[2], y_max: v[3] };
  }
  const arrows = p.get('arrows') ?? '';
  if (!/^[gum]{0,3}$/.test(arrows)) return fail('the arrow settings in the link are not valid');
  const chart = p.get('chart') ?? 'loss';
  if (!CHARTS.includes(chart)) return fail('the chart in the link is not valid');

  const instances = [];
  for (const entry of p.getAll('o')) {
    const parts = entry.split('~');
    if (parts.length < 4) return fail('an optimizer in the link is not valid');
    const [spec, colour, hidden] = parts;
    const name = parts.slice(3).join('~');
    if (!OPTIMIZER_SPEC.test(spec) || spec.length > 400) return fail('an optimizer in the link is not valid');
    const index = wholeNumber(colour, 0, 99);
    if (index === null && !HEX.test(colour)) return fail('a colour in the link is not valid');
    if (hidden !== '0' && hidden !== '1') return fail('an optimizer in the link is not valid');
    if (name.length > MAX_NAME) return fail('a name in the link is too long');
    instances.push({ spec, colour: index ?? colour.toLowerCase(), hidden: hidden === '1', name });
  }
  if (instances.length > MAX_INSTANCES) return fail('the link has too many optimizers');

  return {
    ok: true,
    state: {
      surface, start, noise: { scale: noise[0], seed: noise[1] }, step, speed, budget, view,
      selected: Math.min(selected, Math.max(0, instances.length - 1)), arrows, chart, instances,
    },
  };
}

export const LIMITS = { MAX_INSTANCES, MAX_NAME, MAX_FORMULA, CHARTS };
