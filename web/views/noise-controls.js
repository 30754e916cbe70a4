// The gradient-noise controls: the scale of the Gaussian noise added to every
// gradient (0 = exact gradients) and its seed, with a "new seed" button. All
// instances see the same noise, so optimizers are compared under the same
// conditions; the same seed gives the same paths. A value the module refuses
// is shown at the field with its message and changes nothing.

import { FIELDS } from '../state-schema.js';

export function createNoiseControls({ scale, seed, reseed, error }, { onNoise }) {
  let current = { ...FIELDS.noise.default };

  const showError = (message, field) => {
    error.textContent = message ?? '';
    error.hidden = !message;
    scale.setAttribute('aria-invalid', String(Boolean(message) && field === scale));
    seed.setAttribute('aria-invalid', String(Boolean(message) && field === seed));
  };

  function submit(next, field) {
    if (!Number.isFinite(next.scale)) return showError(`noise scale must be a number, got '${scale.value}'`, scale);
    if (!Number.isFinite(next.seed)) return showError(`noise seed must be a number, got '${seed.value}'`, seed);
    showError(onNoise(next), field);
  }

  const read = (el) => (el.value.trim() === '' ? NaN : Number(el.value));
  scale.addEventListener('change', () => submit({ scale: read(scale), seed: current.seed }, scale));
  seed.addEventListener('change', () => submit({ scale: current.scale, seed: read(seed) }, seed));
  reseed.addEventListener('click', () => {
    const next = 1 + Math.floor(Math.random() * 99999);
    seed.value = String(next);
    submit({ scale: current.scale, seed: next }, seed);
  });

  return {
    /** Shows the noise in effect. */
    show(noise) {
      current = { ...noise };
      if (scale.getRootNode().activeElement !== scale) scale.value = String(noise.scale);
      if (seed.getRootNode().activeElement !== seed) seed.value = String(noise.seed);
    },
  };
}
