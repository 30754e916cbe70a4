// One hyperparameter control, built from its registry entry: a slider on the
// parameter's scale (log for learning rates), a numeric field that takes any
// value the slider cannot reach (1e-8), and the one-line hint. A switch
// (scale "bool") is a variant, shown as a checkbox. A refused value stays in
// the field, marked invalid, with the core's message under it; the slider
// and the state keep the last accepted value.

import { formatSetting } from '../format.js';

const SLIDER_STEPS = 400;
let counter = 0;

/**
 * param: registry entry { key, meaning, scale, ui_min, ui_max, ... };
 * value: current value; commit(value) -> error message or null;
 * focusKey: a stable id used to restore focus after a rebuild.
 */
export function createParamControl(param, value, commit, focusKey) {
  const id = `param-${++counter}`;
  const row = document.createElement('div');
  row.className = 'param';
  row.dataset.testid = 'param';
  row.dataset.key = param.key;
  const hint = document.createElement('p');
  hint.className = 'param-hint';
  hint.id = `${id}-hint`;
  hint.textContent = param.meaning;
  const error = document.createElement('p');
  error.className = 'param-error';
  error.id = `${id}-error`;
  error.dataset.testid = 'param-error';
  error.setAttribute('role', 'alert');
  error.hidden = true;
  const label = document.createElement('label');
  label.className = 'param-label';
  label.htmlFor = id;
  label.textContent = param.key.replaceAll('_', ' ');

  const showError = (message) => {
    error.textContent = message ?? '';
    error.hidden = !message;
    field.setAttribute('aria-invalid', message ? 'true' : 'false');
  };

  let field;
  if (param.scale === 'bool') {
    row.classList.add('param-switch');
    field = document.createElement('input');
    field.type = 'checkbox';
    field.id = id;
    field.checked = value !== 0;
    field.dataset.focus = `${focusKey}:${param.key}`;
    field.setAttribute('aria-describedby', `${hint.id} ${error.id}`);
    field.addEventListener('change', () => {
      const message = commit(field.checked ? 1 : 0);
      if (message) field.checked = !field.checked;
      showError(message);
    });
    label.prepend(field);
    row.append(label, hint, error);
    return row;
  }

  const log = param.scale === 'log';
  const lo = log ? Math.log10(param.ui_min) : param.ui_min;
  const hi = log ? Math.log10(param.ui_max) : param.ui_max;
  const toSlider = (v) => (log ? Math.log10(Math.max(v, param.ui_min)) : v);
  const fromSlider = (s) => Number((log ? 10 ** s : s).toPrecision(3));

  const slider = document.createElement('input');
  slider.type = 'range';
  slider.className = 'param-slider';
  slider.min = String(lo);
  slider.max = String(hi);
  slider.step = String((hi - lo) / SLIDER_STEPS);
  slider.value = String(toSlider(value));
  slider.tabIndex = -1; // the numeric field is the keyboard route
  slider.setAttribute('aria-hidden', 'true');
  slider.dataset.focus = `${focusKey}:${param.key}:slider`;

  field = document.createElement('input');
  field.type = 'text';
  field.inputMode = 'decimal';
  field.id = id;
  field.className = 'param-field';
  field.value = formatSetting(value);
  field.autocomplete = 'off';
  field.spellcheck = false;
  field.dataset.testid = 'param-field';
  field.dataset.focus = `${focusKey}:${param.key}`;
  field.setAttribute('aria-describedby', `${hint.id} ${error.id}`);

  const submit = (v) => {
    const message = Number.isFinite(v) ? commit(v) : `${param.key} must be a number, got '${field.value.trim()}'`;
    showError(message);
    if (!message) slider.value = String(toSlider(v));
  };
  slider.addEventListener('input', () => {
    field.value = formatSetting(fromSlider(Number(slider.value)));
  });
  slider.addEventListener('change', () => submit(fromSlider(Number(slider.value))));
  field.addEventListener('change', () => submit(field.value.trim() === '' ? NaN : Number(field.value)));
  field.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      submit(field.value.trim() === '' ? NaN : Number(field.value));
      event.preventDefault();
    }
  });

  const line = document.createElement('div');
  line.className = 'param-line';
  line.append(label, slider, field);
  if (log) row.classList.add('param-log');
  row.append(line, hint, error);
  return row;
}
