// The page state: the one table of what the user chose (surface or formula,
// start point, optimizer instances with their settings, names, colours and
// visibility, noise, the step shown, view box, speed, step budget). It holds
// no engine data and no DOM; the app reads it, changes it through `update`,
// and reacts to the keys that changed. It also owns the URL hash, the state's
// mirror (codec in hash.js), as in TensorFlow Playground's state.ts.

import { encodeState, decodeState } from './hash.js';
import { LIMITS } from './state-schema.js';

// The fields, their ranges and defaults: the schema (state-schema.js).
export { SCHEMA, FIELDS, SETTING_KEYS, LOCKED_NAMES, LIMITS, defaultState } from './state-schema.js';
export const { STEP_BUDGET, SPEEDS, DEFAULT_SPEED } = LIMITS;

/**
 * @typedef {object} Instance
 * @property {string} spec         e.g. `adam:lr=0.05`
 * @property {number|string} colour palette index or '#rrggbb'
 * @property {boolean} hidden
 * @property {string} name         the user's name for it ('' = from the spec)
 *
 * @typedef {object} PageState
 * @property {string} surface      surface spec (catalogue id or `expr:...`)
 * @property {[number, number]} start  start point in surface coordinates
 * @property {Instance[]} instances
 * @property {{scale: number, seed: number}} noise  gradient noise
 * @property {number} step         the step shown (the timeline's position)
 * @property {boolean} playing
 * @property {number} speed        steps per animation frame
 * @property {number} budget       the animation stops at this many steps
 * @property {object|null} view    the box shown, null = the surface's own
 * @property {number} selected     the instance whose equations are shown
 * @property {string} arrows       arrows shown at the current point: g, u, m
 * @property {string} chart        the chart shown: loss, distance, step, lr
 */

export function createStore(initial) {
  let state = Object.freeze({ ...initial });
  const listeners = new Set();
  return {
    /** @returns {PageState} */
    get: () => state,
    /** Merges `patch`; tells listeners which keys really changed. */
    update(patch) {
      const changed = Object.keys(patch).filter((key) => !sameValue(state[key], patch[key]));
      if (changed.length === 0) return;
      state = Object.freeze({ ...state, ...patch });
      for (const listener of listeners) listener(state, new Set(changed));
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

function sameValue(a, b) {
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => Object.is(v, b[i]));
  return Object.is(a, b);
}

/** The state in the current URL hash: { state } | { error } | {} when there is none. */
export function readHash(location = window.location) {
  const hash = location.hash;
  if (!hash || hash === '#') return {};
  const result = decodeState(hash);
  return result.ok ? { state: result.state } : { error: result.error };
}

/** The hash of `state` (the schema's fields). */
export function hashOf(state) {
  return encodeState(state);
}

/** Writes the state to the URL without adding a history entry. */
export function writeHash(state) {
  const hash = encodeState(state);
  if (window.location.hash !== hash) history.replaceState(null, '', hash);
}
