// The lessons page's behaviour (the page itself is built from Markdown by
// build-scripts/lessons.mjs): per figure, its "try this" buttons and its
// narration; for the page, the narration switch. No imports: it talks to the
// <descent-widget>s through their public API only, so the widget package can
// ship it as it is.
//
// - A "try this" button changes one thing: an attribute (data-attribute,
//   data-value: the widget applies it as written) or one setting of one
//   optimizer (data-instance from 1, data-key, data-value: through the
//   widget's setSetting, which owns the spec grammar).
//   Then, if the figure is at step 0, it plays. "Back to the figure as
//   written" restores the attributes and the state it opened with.
// - Narration: each figure's polite live region gets the widget's describe()
//   sentence while it runs, at most once per NARRATE_MS, and once more when it
//   stops. The switch (on by default, remembered in localStorage) turns the
//   regions off (aria-live="off", emptied).
// - Reduced motion is the widget's: no autoplay, play jumps to the last frame.

const NARRATE_MS = 2500; // a sentence every 2.5 s at most while a figure runs
const SETTLE_MS = 400; // after the last step event: the figure has stopped
const STORAGE_KEY = 'descent-lessons-narration';

const toggle = document.getElementById('narrate');
let narrating = true;
try {
  narrating = localStorage.getItem(STORAGE_KEY) !== 'off';
} catch { /* storage refused: narration stays on */ }
if (toggle) toggle.checked = narrating;

await customElements.whenDefined('descent-widget'); // widget.ready exists once upgraded
const figures = [...document.querySelectorAll('figure.lesson-figure')].map(setUpFigure);

toggle?.addEventListener('change', () => {
  narrating = toggle.checked;
  try { localStorage.setItem(STORAGE_KEY, narrating ? 'on' : 'off'); } catch { /* not remembered */ }
  for (const figure of figures) figure.setNarrating(narrating);
});

function setUpFigure(figure) {
  const widget = figure.querySelector('descent-widget');
  const region = figure.querySelector('.narration');
  const resetButton = figure.querySelector('.try-reset');
  const tryButtons = [...figure.querySelectorAll('.try-button')];
  const written = new Map(widget.getAttributeNames().map((name) => [name, widget.getAttribute(name)]));
  let opened = null; // the state the figure opened with
  let last = 0;
  let pending = 0;
  let settle = 0;

  const say = () => {
    clearTimeout(pending);
    pending = 0;
    last = performance.now();
    if (narrating) region.textContent = widget.describe();
  };
  // Throttled while steps come in, and once more when they stop.
  const onChange = () => {
    if (!narrating) return;
    clearTimeout(settle);
    settle = setTimeout(say, SETTLE_MS);
    if (!pending) pending = setTimeout(say, Math.max(0, NARRATE_MS - (performance.now() - last)));
  };
  const setNarrating = (on) => {
    region.setAttribute('aria-live', on ? 'polite' : 'off');
    region.hidden = !on;
    if (!on) {
      clearTimeout(pending);
      clearTimeout(settle);
      pending = 0;
      region.textContent = '';
    }
  };
  setNarrating(narrating);

  widget.ready.then(() => {
    opened = widget.getState();
    widget.addEventListener('step', onChange);
    widget.addEventListener('statechange', onChange);
    for (const button of tryButtons) button.addEventListener('click', () => tryThis(button));
    resetButton?.addEventListener('click', () => {
      for (const [name, value] of written) if (widget.getAttribute(name) !== value) widget.setAttribute(name, value);
      widget.setState(opened);
      for (const button of tryButtons) button.setAttribute('aria-pressed', 'false');
      resetButton.disabled = true;
    });
  }, () => {
    for (const button of [...tryButtons, resetButton]) if (button) button.disabled = true;
  });

  function tryThis(button) {
    const { attribute, instance, key, value } = button.dataset;
    if (attribute) {
      widget.setAttribute(attribute, value);
    } else {
      widget.setSetting(Number(instance) - 1, key, value);
    }
    button.setAttribute('aria-pressed', 'true');
    if (resetButton) resetButton.disabled = false;
    if (widget.getState().step === 0) widget.play();
  }

  return { setNarrating };
}
