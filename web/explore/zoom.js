// Zoom and pan for the explore page's canvases (particles and basin maps):
// one view box shared by all of them. The wheel zooms about the cursor, two
// fingers pinch-zoom about their midpoint (and pan with it), a drag (one
// finger on a touch screen) pans, + / − zoom, the arrow keys pan, 0 resets;
// a press that barely moves is a tap. While a gesture runs the views are told
// the box to preview (they stretch what they show); the page gets the new box
// once the gesture ends (pointer up, or the wheel / keys resting SETTLE_MS),
// and only then recomputes. The box maths is DOM-free.

const CLICK_SLOP_PX = 4; // a press that moves less than this is a tap
const WHEEL_ZOOM = 1.0015; // zoom factor per wheel delta pixel
const KEY_ZOOM = 1.5;
const KEY_PAN = 1 / 8; // arrow keys pan by this share of the view
export const SETTLE_MS = 250; // wheel and key gestures end after this long at rest
export const MIN_SPAN = 1e-4; // narrowest view, relative to the surface's (float32 starts stay distinct)
export const MAX_SPAN = 20; // widest view, relative to the surface's

const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

export const sameBox = (a, b) =>
  Boolean(a && b) && a.x_min === b.x_min && a.x_max === b.x_max && a.y_min === b.y_min && a.y_max === b.y_max;

/**
 * `box` zoomed by `factor` (> 1 = in) keeping the point at fraction (fx, fy)
 * of the view (from the top-left corner) in place; the span stays within
 * MIN_SPAN..MAX_SPAN of `home`'s.
 */
export function zoomBox(box, home, factor, fx = 0.5, fy = 0.5) {
  const w = box.x_max - box.x_min;
  const h = box.y_max - box.y_min;
  const homeW = home.x_max - home.x_min;
  const f = clamp(factor, w / (MAX_SPAN * homeW), w / (MIN_SPAN * homeW));
  const cx = box.x_min + fx * w;
  const cy = box.y_max - fy * h;
  const nw = w / f;
  const nh = h / f;
  const x_min = cx - fx * nw;
  const y_max = cy + fy * nh;
  return { x_min, x_max: x_min + nw, y_min: y_max - nh, y_max };
}

/** `box` moved so its content follows a drag of (dfx, dfy) view fractions (right, down). */
export function panBox(box, dfx, dfy) {
  const dx = dfx * (box.x_max - box.x_min);
  const dy = dfy * (box.y_max - box.y_min);
  return { x_min: box.x_min - dx, x_max: box.x_max - dx, y_min: box.y_min + dy, y_max: box.y_max + dy };
}

/** The surface point at fraction (fx, fy) of `box` (from its top-left corner). */
export const pointAt = (box, fx, fy) =>
  [box.x_min + fx * (box.x_max - box.x_min), box.y_max - fy * (box.y_max - box.y_min)];

/**
 * The page's view box and its gestures. `home()`: the surface's own box;
 * `view()`: the box in use; `preview(box)` while a gesture runs; `commit(box)`
 * once it ends (also for reset, with home).
 */
export class ViewZoom {
  #home;
  #view;
  #preview;
  #commit;
  #pending = null; // the box a gesture has reached, not committed yet
  #timer = 0;

  constructor({ home, view, preview, commit }) {
    this.#home = home;
    this.#view = view;
    this.#preview = preview;
    this.#commit = commit;
  }

  /** The box shown: a gesture's, else the page's. */
  get current() {
    return this.#pending ?? this.#view();
  }

  /** Shows `box` now; committed at once (`settle` 0), after `settle` ms at rest, or by end(). */
  move(box, settle = -1) {
    this.#pending = box;
    this.#preview(box);
    clearTimeout(this.#timer);
    if (settle >= 0) this.#timer = setTimeout(() => this.end(), settle);
  }

  /** Ends the gesture: the page takes the box reached. */
  end() {
    clearTimeout(this.#timer);
    const box = this.#pending;
    this.#pending = null;
    if (box && !sameBox(box, this.#view())) this.#commit(box);
  }

  /** Zoom by `factor` about the view's centre (buttons, keys); committed once they rest. */
  zoomBy(factor) {
    this.move(zoomBox(this.current, this.#home(), factor), SETTLE_MS);
  }

  /** Pan by a share of the view (keys); committed once they rest. */
  panBy(dfx, dfy) {
    this.move(panBox(this.current, dfx, dfy), SETTLE_MS);
  }

  /** Back to the surface's own view, committed at once. */
  reset() {
    clearTimeout(this.#timer);
    this.#pending = null;
    const home = { ...this.#home() };
    this.#preview(home);
    if (!sameBox(home, this.#view())) this.#commit(home);
  }

  /** Forgets a gesture under way (the surface changed). */
  cancel() {
    clearTimeout(this.#timer);
    this.#pending = null;
  }

  /**
   * Wires `canvas` (focusable for the keys): `tap(fx, fy)` gets a tap's
   * position as fractions of the canvas; `arrows: false` leaves the arrow
   * keys to the canvas's own use.
   */
  attach(canvas, { tap = null, arrows = true } = {}) {
    const pointers = new Map(); // pointerId -> [px, py] of the pointers down
    let drag = null; // { mode: 'pending' | 'pan' | 'pinch', ... }
    const size = () => canvas.getBoundingClientRect();
    const at = (event) => {
      const r = size();
      return [event.clientX - r.left, event.clientY - r.top];
    };
    const two = () => [...pointers.values()].slice(0, 2);
    const spread = ([a, b]) => Math.max(1, Math.hypot(a[0] - b[0], a[1] - b[1]));
    const mid = ([a, b]) => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];

    canvas.addEventListener('pointerdown', (event) => {
      if (event.button !== 0) return;
      canvas.setPointerCapture?.(event.pointerId);
      pointers.set(event.pointerId, at(event));
      const r = size();
      if (pointers.size >= 2) {
        // The surface point under the fingers' midpoint stays under it.
        const from = this.current;
        const [mx, my] = mid(two());
        drag = { mode: 'pinch', from, spread: spread(two()), point: pointAt(from, mx / r.width, my / r.height) };
        canvas.classList.remove('is-panning');
        return;
      }
      if (drag?.mode === 'pinch') return;
      const [px, py] = at(event);
      drag = { mode: 'pending', px, py, from: this.current };
    });

    canvas.addEventListener('pointermove', (event) => {
      if (!pointers.has(event.pointerId) || !drag) return;
      pointers.set(event.pointerId, at(event));
      const r = size();
      if (drag.mode === 'pinch') {
        if (pointers.size < 2) return;
        const { from, point } = drag;
        const [mx, my] = mid(two());
        const zoomed = zoomBox(from, this.#home(), spread(two()) / drag.spread);
        const w = zoomed.x_max - zoomed.x_min;
        const h = zoomed.y_max - zoomed.y_min;
        const x_min = point[0] - (mx / r.width) * w;
        const y_max = point[1] + (my / r.height) * h;
        this.move({ x_min, x_max: x_min + w, y_min: y_max - h, y_max });
        return;
      }
      const [px, py] = at(event);
      if (drag.mode === 'pending' && Math.hypot(px - drag.px, py - drag.py) >= CLICK_SLOP_PX) {
        drag.mode = 'pan';
        canvas.classList.add('is-panning');
      }
      if (drag.mode === 'pan') this.move(panBox(drag.from, (px - drag.px) / r.width, (py - drag.py) / r.height));
    });

    const release = (event) => {
      if (!pointers.delete(event.pointerId) || !drag) return;
      if (drag.mode === 'pinch') {
        if (pointers.size === 0) { // a pinch ends with the last finger, never as a tap
          drag = null;
          this.end();
        }
        return;
      }
      const { mode } = drag;
      drag = null;
      canvas.classList.remove('is-panning');
      if (mode === 'pan') this.end();
      else if (mode === 'pending' && event.type === 'pointerup' && tap) {
        const r = size();
        const [px, py] = at(event);
        tap(clamp(px / r.width, 0, 1), clamp(py / r.height, 0, 1));
      }
    };
    canvas.addEventListener('pointerup', release);
    canvas.addEventListener('pointercancel', release);

    canvas.addEventListener('wheel', (event) => {
      event.preventDefault();
      const delta = event.deltaMode === 1 ? event.deltaY * 16 : event.deltaY;
      const [px, py] = at(event);
      const r = size();
      this.move(zoomBox(this.current, this.#home(), WHEEL_ZOOM ** -clamp(delta, -400, 400), px / r.width, py / r.height),
        SETTLE_MS);
    }, { passive: false });

    canvas.addEventListener('keydown', (event) => {
      const pans = { ArrowLeft: [1, 0], ArrowRight: [-1, 0], ArrowUp: [0, 1], ArrowDown: [0, -1] };
      if (event.key in pans) {
        if (!arrows) return;
        const [dx, dy] = pans[event.key]; // the view moves the way the arrow points
        this.panBy(dx * KEY_PAN, dy * KEY_PAN);
      } else if (event.key === '+' || event.key === '=') this.zoomBy(KEY_ZOOM);
      else if (event.key === '-' || event.key === '_') this.zoomBy(1 / KEY_ZOOM);
      else if (event.key === '0') this.reset();
      else return;
      event.preventDefault();
    });
  }
}
