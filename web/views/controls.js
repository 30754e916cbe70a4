// The playback controls: play/pause, single step, reset, the surface and speed
// pickers, the step counter, and the keyboard shortcuts (Space play/pause,
// → one step, R reset). Reports the user's intent through callbacks; shows
// what it is told through `render`.

import { formatCount } from '../format.js';

export function createControls(root, { onPlayPause, onStep, onReset, onSurface, onSpeed }) {
  const $ = (id) => root.getElementById(id);
  const play = $('play');
  const step = $('step');
  const reset = $('reset');
  const surface = $('surface');
  const speed = $('speed');
  const steps = $('steps');
  const budget = $('budget');
  const playLabel = play.querySelector('.button-label');
  let enabled = false;

  play.addEventListener('click', () => onPlayPause());
  step.addEventListener('click', () => onStep());
  reset.addEventListener('click', () => onReset());
  surface.addEventListener('change', () => onSurface(surface.value));
  speed.addEventListener('change', () => onSpeed(Number(speed.value)));

  // Shortcuts apply unless a form field (or a focused button, which Space
  // already presses) or the surface canvas (arrow keys move the start) has them.
  root.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target.closest?.('input, select, textarea, button, [contenteditable]')) return;
    if (!enabled) return;
    if (event.key === ' ') onPlayPause();
    else if (event.key === 'ArrowRight' && target.id !== 'surface-canvas') onStep();
    else if (event.key === 'r' || event.key === 'R') onReset();
    else return;
    event.preventDefault();
  });

  return {
    /** surfaces: [{ id, name }]; speeds: steps per frame. */
    setChoices({ surfaces, speeds }) {
      surface.replaceChildren(...surfaces.map(({ id, name }) => new Option(name, id)));
      speed.replaceChildren(...speeds.map((n) => new Option(String(n), String(n))));
    },
    setEnabled(on) {
      enabled = on;
      for (const el of [play, step, reset, surface, speed]) el.disabled = !on;
    },
    /** view: { playing, finished, steps, budget, surface, speed } */
    render(view) {
      const label = view.playing ? 'Pause' : view.finished ? 'Replay' : 'Play';
      if (playLabel.textContent !== label) playLabel.textContent = label;
      play.classList.toggle('is-playing', view.playing);
      const count = formatCount(view.steps);
      if (steps.textContent !== count) steps.textContent = count;
      budget.textContent = formatCount(view.budget);
      step.disabled = !enabled || view.finished;
      if (surface.value !== view.surface) surface.value = view.surface;
      if (speed.value !== String(view.speed)) speed.value = String(view.speed);
    },
  };
}
