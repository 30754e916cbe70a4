// Yielding to the browser: a long start (the app, the explore and train pages,
// the lessons' widgets) runs in parts, each its own task, so input and paint
// get in between and no task blocks the page for long. scheduler.yield() where
// the browser has it (the rest keeps its place ahead of other work), else a
// message (not throttled the way chains of timers are).

/** Resolves in a new task. */
export function yieldToBrowser() {
  if (typeof globalThis.scheduler?.yield === 'function') return globalThis.scheduler.yield();
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = () => {
      port1.close();
      resolve();
    };
    port2.postMessage(0);
  });
}

/**
 * Runs the generator `steps` to its end: synchronously (`inParts` false),
 * or yielding to the browser at each of its `yield`s. Returns its result
 * (a promise of it when in parts).
 */
export function runSteps(steps, inParts = false) {
  if (!inParts) {
    let next = steps.next();
    while (!next.done) next = steps.next();
    return next.value;
  }
  return (async () => {
    let next = steps.next();
    while (!next.done) {
      await yieldToBrowser();
      next = steps.next();
    }
    return next.value;
  })();
}

// How near the screen a part must be for work that waits for it (a chart, the
// equations): within half a screen's height of the viewport.
export const NEAR_SCREENS = 0.5;

/**
 * Follows whether `element` is within `screens` screen heights of the
 * viewport, so work for a part nobody can see yet (below the fold on a phone,
 * display: none in a widget's layout) waits until it nears the screen.
 * `near()` says whether it is now: the last IntersectionObserver report, or
 * before the first one the element's box against the window (a box with no
 * size is not near). `onNear` is called each time it comes near (at once
 * where there is no IntersectionObserver: then it is always near). `stop()`
 * ends the watch.
 */
export function watchNearScreen(element, onNear = () => {}, screens = NEAR_SCREENS) {
  if (typeof IntersectionObserver !== 'function') {
    onNear();
    return { near: () => true, stop: () => {} };
  }
  let known = null; // the observer's last answer, null before its first
  const observer = new IntersectionObserver((entries) => {
    const was = known;
    known = entries[entries.length - 1].isIntersecting;
    if (known && was !== true) onNear();
  }, { rootMargin: `${screens * 100}% 0px` });
  observer.observe(element);
  const boxNear = () => {
    const box = element.getBoundingClientRect();
    if (box.width === 0 && box.height === 0) return false;
    const height = globalThis.innerHeight ?? 0;
    return box.bottom >= -screens * height && box.top <= (1 + screens) * height;
  };
  return {
    near: () => known ?? boxNear(),
    stop: () => observer.disconnect(),
  };
}
