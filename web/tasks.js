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
