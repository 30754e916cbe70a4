// The playback controls: play/pause, step back, single step, reset, the
// timeline scrubber over the whole step budget, the budget field, the surface
// and speed pickers, the step counter, and the keyboard shortcuts (Space
// play/pause, → one step, ← one step back, R reset). Reports the user's
// intent through callbacks; shows what it is told through `render`.

import { formatCount } from '../format.js';
import { FIELDS } from '../state-schema.js';

export function createControls(root, { onPlayPause, onStep, onStepBack, onReset, onSurface, onSpeed, onScrub, onBudget }) {
  const $ = (id) => root.getElementById(id);
  const play = $('play');
  const step = $('step');
  const reset = $('reset');
  const surface = $('surface');
  const speed = $('speed');
  const steps = $('steps');
  const budget = $('budget');
  const back = $('step-back');
  const scrubber = $('scrubber');
  const budgetField = $('budget-field');
  const budgetError = $('budget-error');
  const playLabel = play.querySelector('.button-label');
  let enabled = false;

  play.addEventListener('click', () => onPlayPause());
  step.addEventListener('click', () => onStep());
  reset.addEventListener('click', () => onReset());
  surface.addEventListener('change', () => onSurface(surface.value));
  speed.addEventListener('change', () => onSpeed(Number(speed.value)));
  back.addEventListener('click', () => onStepBack());
  scrubber.addEventListener('input', () => onScrub(Number(scrubber.value)));
  budgetField.addEventListener('change', () => {
    const n = Number(budgetField.value);
    const { min, max } = FIELDS.budget;
    const ok = Number.isInteger(n) && n >= min && n <= max;
    budgetError.textContent = ok ? '' : `The step budget must be a whole number from ${formatCount(min)} to ${formatCount(max)}.`;
    budgetError.hidden = ok;
    budgetField.setAttribute('aria-invalid', String(!ok));
    if (ok) onBudget(n);
  });

  // Shortcuts apply unless a form field (or a focused button, which Space
  // already presses) or the surface canvas (arrow keys move the start) has them.
  root.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.target;
    if (target.closest?.('input, select, textarea, button, [contenteditable]')) return;
    if (!enabled) return;
    if (event.key === ' ') onPlayPause();
    else if (event.key === 'ArrowRight' && target.id !== 'surface-canvas') onStep();
    else if (event.key === 'ArrowLeft' && target.id !== 'surface-canvas') onStepBack();
    else if (event.key === 'r' || event.key === 'R') onReset();
    else return;
    event.preventDefault();
    // In a widget, the key was for it: slides (reveal.js) must not also turn the page.
    if (root instanceof ShadowRoot) event.stopPropagation();
  });

  return {
    /** surfaces: [{ id, name }]; speeds: steps per frame. */
    setChoices({ surfaces, speeds }) {
      surface.replaceChildren(...surfaces.map(({ id, name }) => new Option(name, id)), new Option('Your formula…', 'expr:'));
      speed.replaceChildren(...speeds.map((n) => new Option(String(n), String(n))));
    },
    setEnabled(on) {
      enabled = on;
      for (const el of [play, step, back, reset, surface, speed, scrubber, budgetField]) el.disabled = !on;
    },
    /** view: { playing, finished, steps (the step shown), budget, surface, speed } */
    render(view) {
      const label = view.playing ? 'Pause' : view.finished ? 'Replay' : 'Play';
      if (playLabel.textContent !== label) playLabel.textContent = label;
      play.classList.toggle('is-playing', view.playing);
      const count = formatCount(view.steps);
      if (steps.textContent !== count) steps.textContent = count;
      // Only what changed is written: a text written anew, even the same, is layout work every frame.
      const total = formatCount(view.budget);
      if (budget.textContent !== total) budget.textContent = total;
      step.disabled = !enabled || view.finished;
      back.disabled = !enabled || view.steps === 0;
      if (scrubber.max !== String(view.budget)) scrubber.max = String(view.budget);
      if (scrubber.value !== String(view.steps)) scrubber.value = String(view.steps);
      scrubber.setAttribute('aria-valuetext', `step ${count} of ${total}`);
      if (budgetField.getRootNode().activeElement !== budgetField) budgetField.value = String(view.budget);
      const pick = view.surface.startsWith('expr:') ? 'expr:' : view.surface;
      if (surface.value !== pick) surface.value = pick;
      if (speed.value !== String(view.speed)) speed.value = String(view.speed);
    },
  };
}
