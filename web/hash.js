// The URL-hash codec, DOM-free: the page state <-> a `#...` string. The hash is
// URL-encoded key=value pairs with a version and, last, a checksum of all that
// precedes it, so a truncated or hand-garbled link is recognised as such and
// never half-applied. The fields, their order, names, ranges and defaults are
// the state schema's (state-schema.js); here is only each type's text form.
// Every field is checked for shape (numbers finite and in range, specs made of
// the spec alphabet, names short); the module checks meaning (a spec's ranges,
// a formula's syntax) when the app applies the state.
//
//   v=1  surface=<id, id:key=value,... or expr:...>  start=x,y  noise=scale,seed  step=k
//   speed=n  budget=n  view=x0,x1,y0,y1  sel=i  arrows=gum  chart=<metric>
//   o=<spec>~<colour index or #rrggbb>~<0|1 hidden>~<name>   (one per instance)
//   c=<checksum of everything before "&c=">

import { SCHEMA, TYPES, FIELDS, HEX, num, numbers, wholeNumber, boxOf, boxValues, expectedOf, valueProblem, instanceProblem } from './state-schema.js';

const VERSION = '1';
// Fields a link may lack (links from before they existed): their default.
const OPTIONAL = new Set(['view', 'arrows', 'chart']);

/** FNV-1a, 32 bits, as 8 hex digits. */
export function checksum(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; ++i) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

// Per schema type: write(value) -> text and read(text, field) -> value, or
// undefined when the text has not the type's shape (the schema then checks the value).
const TEXT = {
  whole: { write: String, read: (t, f) => wholeNumber(t, f.min, f.max) ?? undefined },
  choice: { write: String, read: (t) => t },
  letters: { write: String, read: (t) => t },
  surface: { write: String, read: (t) => t },
  point: { write: (v) => v.map(num).join(','), read: (t) => numbers(t, 2) ?? undefined },
  box: { write: (v) => boxValues(v).map(num).join(','), read: (t) => boxOf(numbers(t, 4)) },
  noise: {
    write: (v) => `${num(v.scale)},${v.seed}`,
    read: (t) => { const v = numbers(t, 2); return v ? { scale: v[0], seed: v[1] } : undefined; },
  },
};

/** The state as a hash string (with the leading '#'). */
export function encodeState(s) {
  const p = new URLSearchParams();
  p.set('v', VERSION);
  for (const f of SCHEMA) {
    const value = s[f.key];
    if (f.type === 'instances') {
      for (const o of value) p.append(f.hash, [o.spec, o.colour, o.hidden ? 1 : 0, o.name].join('~'));
    } else if (!(value === null && f.nullable)) {
      p.set(f.hash, TEXT[f.type].write(value));
    }
  }
  const body = p.toString();
  return `#${body}&c=${checksum(body)}`;
}

const fail = (error) => ({ ok: false, error });
const invalid = (f) => fail(`the ${f.title} in the link is not valid (expected ${expectedOf(f.key)})`);

// The link's optimizer entries, each `spec~colour~hidden~name` (the name may hold '~').
function readInstances(f, entries) {
  const instances = [];
  for (const [i, entry] of entries.entries()) {
    const parts = entry.split('~');
    const where = `optimizer ${i + 1} in the link`;
    if (parts.length < 4) return fail(`${where} is not valid (expected spec~colour~hidden~name)`);
    const [spec, colour, hidden] = parts;
    const index = wholeNumber(colour, 0, f.maxColour);
    const instance = {
      spec,
      colour: index ?? (HEX.test(colour) ? colour.toLowerCase() : colour),
      hidden: hidden === '1' ? true : hidden === '0' ? false : hidden,
      name: parts.slice(3).join('~'),
    };
    const problem = instanceProblem(f, instance);
    if (problem) return fail(`${where} is not valid: ${problem}`);
    instances.push(instance);
  }
  if (instances.length > f.max) return fail(`the link has too many optimizers (at most ${f.max})`);
  return { ok: true, instances };
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

  const state = {};
  for (const f of SCHEMA) {
    if (f.type === 'instances') {
      const result = readInstances(f, p.getAll(f.hash));
      if (!result.ok) return result;
      state[f.key] = result.instances;
      continue;
    }
    if (!p.has(f.hash) && OPTIONAL.has(f.key)) {
      state[f.key] = structuredClone(f.default);
      continue;
    }
    const value = TEXT[f.type].read(p.get(f.hash) ?? '', f);
    if (value === undefined || TYPES[f.type].problem(f, value) !== null) return invalid(f);
    state[f.key] = value;
  }
  // The selected instance is one that exists.
  state.selected = Math.min(state.selected, Math.max(0, state.instances.length - 1));
  return { ok: true, state };
}

/**
 * A whole state as setState takes it (`state`: the current one merged with a
 * patch whose keys are `keys`): { ok, state } normalised as a link would give
 * it back (numbers as links write them, the selected instance one that
 * exists), or { ok: false, error } naming the first bad key, the patch's first.
 * Values must have the types getState() gives (the schema's check).
 */
export function normaliseState(state, keys = []) {
  for (const key of [...keys.filter((k) => FIELDS[k]), ...SCHEMA.map((f) => f.key)]) {
    const problem = valueProblem(key, state[key]);
    if (problem) return fail(problem);
  }
  return decodeState(encodeState(state));
}
