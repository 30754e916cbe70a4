// The play/pause loop: calls `tick` once per animation frame while running.
// `tick` returns false to stop (the step budget is reached). Knows nothing of
// the engine or the views.

export function createLoop(tick) {
  let frame = 0;
  const run = () => {
    frame = 0;
    if (tick() !== false) frame = requestAnimationFrame(run);
  };
  return {
    get running() {
      return frame !== 0;
    },
    start() {
      if (frame === 0) frame = requestAnimationFrame(run);
    },
    stop() {
      if (frame !== 0) cancelAnimationFrame(frame);
      frame = 0;
    },
  };
}
