// An instance's learning-rate schedule, built from the module's schedule list
// (schedulesJson, cpp/optim/schedule.cpp): a picker of torch's schedulers
// ("constant rate" for none), one field per key of the chosen one (its torch
// default as placeholder, "required" where torch has none), and the whole
// schedule text, which also takes chains (linear:...+cosine:...). The core
// checks every value; a refused schedule stays in the fields, marked invalid,
// with the core's message under them.

import { parseSpec, composeSpec, scheduleStages } from '../format.js';

let counter = 0;

/** `id:key=value,...` of the first stage of a schedule text: { id, values: Map }. */
function firstStage(text) {
  const { id, settings } = parseSpec(scheduleStages(text)[0] ?? '');
  return { id, values: new Map(settings) };
}

const defaultText = (p) => {
  if (p.required) return 'required';
  if (p.defaultText) return `= ${p.defaultText}`;
  if (p.kind === 'bool') return p.default ? 'true' : 'false';
  if (p.kind === 'choice') return p.choices[p.default];
  return String(Number(p.default.toPrecision(6)));
};

/**
 * schedules: the module's list; text: the current schedule ('' = none);
 * commit(text) -> error message or null; focusKey: stable id for focus.
 * `suggest(param)` may offer a value for a required key (the step budget for
 * total_steps), or undefined.
 */
export function createScheduleControl(schedules, text, commit, focusKey, suggest = () => undefined) {
  const id = `schedule-${++counter}`;
  const box = document.createElement('fieldset');
  box.className = 'schedule';
  box.dataset.testid = 'schedule';
  const legend = document.createElement('legend');
  legend.textContent = 'learning-rate schedule';
  const error = document.createElement('p');
  error.className = 'param-error';
  error.id = `${id}-error`;
  error.dataset.testid = 'schedule-error';
  error.setAttribute('role', 'alert');
  error.hidden = true;

  const pickLabel = document.createElement('label');
  pickLabel.className = 'param-label';
  pickLabel.htmlFor = `${id}-pick`;
  pickLabel.textContent = 'schedule';
  const pick = document.createElement('select');
  pick.id = `${id}-pick`;
  pick.dataset.testid = 'schedule-pick';
  pick.dataset.focus = `${focusKey}:schedule`;
  pick.append(new Option('constant rate (none)', ''),
    ...schedules.map((s) => new Option(`${s.id} (${s.torch})`, s.id)));
  const current = firstStage(text);
  pick.value = schedules.some((s) => s.id === current.id) ? current.id : '';
  const pickLine = document.createElement('div');
  pickLine.className = 'param-line';
  pickLine.append(pickLabel, pick);

  const hint = document.createElement('p');
  hint.className = 'param-hint';
  const fields = document.createElement('div');
  fields.className = 'schedule-fields';

  const whole = document.createElement('input');
  whole.type = 'text';
  whole.id = `${id}-text`;
  whole.className = 'param-field schedule-text';
  whole.value = text;
  whole.spellcheck = false;
  whole.autocomplete = 'off';
  whole.dataset.testid = 'schedule-text';
  whole.dataset.focus = `${focusKey}:schedule-text`;
  whole.setAttribute('aria-describedby', error.id);
  const wholeLabel = document.createElement('label');
  wholeLabel.className = 'param-label';
  wholeLabel.htmlFor = whole.id;
  wholeLabel.textContent = 'as text';
  const wholeLine = document.createElement('div');
  wholeLine.className = 'param-line';
  wholeLine.append(wholeLabel, whole);

  const submit = (next) => {
    const message = commit(next);
    error.textContent = message ?? '';
    error.hidden = !message;
    whole.setAttribute('aria-invalid', message ? 'true' : 'false');
    return message;
  };

  // The chosen schedule's keys, as fields; a change rewrites the text's first stage.
  function showFields(info, values) {
    fields.replaceChildren();
    hint.textContent = info ? `${info.torch}: ${info.summary}` : 'the optimizer’s lr on every step';
    if (!info) return;
    for (const p of info.params) {
      const field = document.createElement('input');
      field.type = 'text';
      field.id = `${id}-${p.key}`;
      field.className = 'param-field';
      field.value = values.get(p.key) ?? '';
      field.placeholder = defaultText(p);
      field.title = p.meaning;
      field.spellcheck = false;
      field.autocomplete = 'off';
      field.dataset.testid = 'schedule-field';
      field.dataset.key = p.key;
      field.dataset.focus = `${focusKey}:schedule:${p.key}`;
      field.setAttribute('aria-describedby', error.id);
      field.addEventListener('change', () => submit(stageText()));
      const label = document.createElement('label');
      label.className = 'param-label';
      label.htmlFor = field.id;
      label.textContent = p.key.replaceAll('_', ' ');
      const line = document.createElement('div');
      line.className = 'param-line';
      line.append(label, field);
      fields.append(line);
    }
  }

  function stageText() {
    const chosen = pick.value;
    if (!chosen) return '';
    const items = [...fields.querySelectorAll('input')]
      .filter((f) => f.value.trim() !== '')
      .map((f) => [f.dataset.key, f.value.trim()]);
    const rest = scheduleStages(whole.value).slice(1);
    return [composeSpec(chosen, items), ...(firstStage(whole.value).id === chosen ? rest : [])].join('+');
  }

  const infoOf = (sid) => schedules.find((s) => s.id === sid);
  showFields(infoOf(pick.value), current.values);
  pick.addEventListener('change', () => {
    const info = infoOf(pick.value);
    // Required keys get a suggestion where the page has one, so a pick can run at once.
    const values = new Map();
    for (const p of info?.params ?? []) {
      const v = p.required ? suggest(p) : undefined;
      if (v !== undefined) values.set(p.key, String(v));
    }
    showFields(info, values);
    const next = stageText();
    // A schedule with keys still missing waits for them (the message says which).
    submit(next);
  });
  whole.addEventListener('change', () => submit(whole.value.trim()));

  box.append(legend, pickLine, hint, fields, wholeLine, error);
  return box;
}
