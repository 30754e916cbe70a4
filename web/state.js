// The page state: the one table of what the user chose (surface, start point,
// optimizer line-up, play/pause, speed, step budget). It holds no engine data
// and no DOM; the app reads it, changes it through `update`, and reacts to the
// keys that changed. This is where the URL-hash mirror will live (serialize /
// parse of these keys), as in TensorFlow Playground's state.ts.

export const STEP_BUDGET = 2000;
export const SPEEDS = [1, 2, 5, 10, 25]; // steps per animation frame
export const DEFAULT_SPEED = 5;

/**
 * @typedef {object} PageState
 * @property {string} surface      surface spec (catalogue id, later `expr:...`)
 * @property {[number, number]} start  start point in surface coordinates
 * @property {string[]} lineup     optimizer specs, e.g. `adam:lr=0.05`; slot i has colour i
 * @property {boolean} playing
 * @property {number} speed        steps per animation frame
 * @property {number} budget       the animation stops at this many steps
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
