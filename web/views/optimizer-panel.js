// The optimizers panel, which is also the legend: one row per instance with
// its colour (a colour picker; the same colour as its path and chart series),
// its name and settings, its status (the current loss, "diverged at step k",
// or why it is unavailable), and buttons to show its equations, hide, edit
// and remove it. Editing opens the instance's controls, built from the
// registry: a name field, one control per hyperparameter and the
// learning-rate schedule (schedule-control.js). Below the rows:
// "add optimizer" (any registry entry) and the presets.
//
// It reports intents through callbacks and is rebuilt by `setEntries` when
// the line-up changes; focus is restored to the same control after a rebuild.

import { createParamControl } from './param-control.js';
import { createScheduleControl } from './schedule-control.js';
import { createRateCurve } from './rate-curve.js';
import { LIMITS } from '../state-schema.js';

const button = (className, text, label) => {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = className;
  b.textContent = text;
  if (label) b.setAttribute('aria-label', label);
  return b;
};

export function createOptimizerPanel({ list, addSelect, addButton, presetSelect }, callbacks) {
  const { onAdd, onRemove, onHide, onRename, onRecolour, onParam, onSchedule, onTune, onSelect, onPreset } = callbacks;
  let rows = [];
  let registry = [];
  let schedules = [];
  let curves = []; // the rows' rate curves (Chart.js), destroyed on rebuild
  let suggest = () => undefined;
  const expanded = new Set(); // indices whose controls are open

  addButton.addEventListener('click', () => onAdd(addSelect.value));
  presetSelect.addEventListener('change', () => {
    if (presetSelect.value) onPreset(presetSelect.value);
    presetSelect.value = '';
  });

  function buildRow(entry, i) {
    const item = document.createElement('li');
    item.className = 'legend-item';
    item.dataset.testid = 'legend-item';
    item.style.setProperty('--series', entry.colour);
    item.classList.toggle('is-hidden', entry.hidden);
    item.classList.toggle('is-selected', entry.selected);

    const head = document.createElement('div');
    head.className = 'legend-head';
    const swatch = document.createElement('input');
    swatch.type = 'color';
    swatch.className = 'legend-swatch';
    swatch.value = entry.colourHex;
    swatch.dataset.testid = 'colour';
    swatch.dataset.focus = `${i}:colour`;
    swatch.setAttribute('aria-label', `Colour of ${entry.name}`);
    swatch.addEventListener('change', () => onRecolour(i, swatch.value));

    const text = document.createElement('button');
    text.type = 'button';
    text.className = 'legend-text';
    text.dataset.focus = `${i}:select`;
    text.setAttribute('aria-pressed', String(entry.selected));
    text.title = 'Show this optimizer’s update rule';
    const name = document.createElement('span');
    name.className = 'legend-name';
    name.dataset.testid = 'legend-name';
    name.textContent = entry.name;
    const settings = document.createElement('span');
    settings.className = 'legend-settings';
    settings.textContent = entry.settings;
    text.append(name, ' ', settings);
    text.addEventListener('click', () => onSelect(i));

    const status = document.createElement('span');
    status.className = 'legend-status';
    status.dataset.testid = 'legend-status';

    const tools = document.createElement('span');
    tools.className = 'legend-tools';
    const hide = button('icon-button', entry.hidden ? '◌' : '◉', `${entry.hidden ? 'Show' : 'Hide'} ${entry.name}`);
    hide.dataset.testid = 'hide';
    hide.dataset.focus = `${i}:hide`;
    hide.setAttribute('aria-pressed', String(entry.hidden));
    hide.addEventListener('click', () => onHide(i, !entry.hidden));
    const edit = button('icon-button', '⚙', `Settings of ${entry.name}`);
    edit.dataset.testid = 'edit';
    edit.dataset.focus = `${i}:edit`;
    edit.setAttribute('aria-expanded', String(expanded.has(i)));
    const remove = button('icon-button', '×', `Remove ${entry.name}`);
    remove.dataset.testid = 'remove';
    remove.dataset.focus = `${i}:remove`;
    remove.addEventListener('click', () => {
      expanded.clear();
      onRemove(i);
    });
    // A locked line-up (a widget's `locked="optimizers"`): settings shown, not changeable.
    remove.disabled = Boolean(entry.locked);
    tools.append(hide, edit, remove);
    head.append(swatch, text, status, tools);
    item.append(head);

    if (entry.note) {
      const note = document.createElement('span');
      note.className = 'legend-reason legend-note';
      note.dataset.testid = 'tuned-note';
      note.textContent = entry.note;
      item.append(note);
    }

    if (entry.error) {
      item.classList.add('is-unavailable');
      status.textContent = 'unavailable';
      const reason = document.createElement('span');
      reason.className = 'legend-reason';
      reason.textContent = entry.error;
      item.append(reason);
    }

    const body = document.createElement('div');
    body.className = 'legend-body';
    body.hidden = !expanded.has(i);
    edit.addEventListener('click', () => {
      body.hidden = !body.hidden;
      if (body.hidden) expanded.delete(i);
      else expanded.add(i);
      edit.setAttribute('aria-expanded', String(!body.hidden));
    });
    const info = registry.find((o) => o.id === entry.id);
    if (info) {
      const summary = document.createElement('p');
      summary.className = 'legend-summary';
      summary.textContent = `${info.name}: ${info.summary}`;
      const nameRow = document.createElement('label');
      nameRow.className = 'param-name';
      const nameLabel = document.createElement('span');
      nameLabel.textContent = 'name';
      const nameField = document.createElement('input');
      nameField.type = 'text';
      nameField.maxLength = LIMITS.MAX_NAME;
      nameField.value = entry.customName;
      nameField.placeholder = entry.defaultName;
      nameField.dataset.testid = 'name-field';
      nameField.dataset.focus = `${i}:name`;
      nameField.addEventListener('change', () => onRename(i, nameField.value.trim()));
      nameRow.append(nameLabel, nameField);
      body.append(summary, nameRow);
      const values = entry.values ?? {};
      for (const param of info.params) {
        const value = values[param.key] ?? param.default;
        const control = createParamControl(param, value, (v) => onParam(i, param.key, v), String(i));
        if (entry.locked) for (const field of control.querySelectorAll('input, select, button')) field.disabled = true;
        body.append(control);
      }
      if (onTune) {
        // Sweeps this instance's lr on the surface, start and budget shown, and keeps the best.
        const tune = button('button button-small', 'Tune lr', `Tune the learning rate of ${entry.name} for the lowest loss`);
        tune.dataset.testid = 'tune';
        tune.dataset.focus = `${i}:tune`;
        tune.disabled = Boolean(entry.locked);
        tune.addEventListener('click', () => onTune(i));
        body.append(tune);
      }
      if (schedules.length && onSchedule) {
        const control = createScheduleControl(schedules, entry.schedule ?? '', (text) => onSchedule(i, text),
          String(i), (param) => suggest(i, param));
        if (entry.locked) for (const field of control.querySelectorAll('input, select, button')) field.disabled = true;
        body.append(control);
      }
      // The schedule's rate over the budget, from the core (entry.rates), or why not.
      if (entry.schedule && (entry.rates || entry.ratesNote)) {
        const box = document.createElement('div');
        box.className = 'rate-curve';
        box.dataset.testid = 'rate-curve';
        if (entry.rates) {
          box.style.position = 'relative';
          box.style.height = '90px';
          const canvas = document.createElement('canvas');
          box.append(canvas);
          body.append(box);
          const curve = createRateCurve(canvas, entry.colour);
          curve.set(entry.rates);
          curves.push(curve);
        } else {
          box.textContent = entry.ratesNote;
          body.append(box);
        }
      }
    }
    item.append(body);
    return { item, status, shown: '' };
  }

  return {
    /**
     * registry: the module's optimizers; presets: [{ id, name }]; scheduleList:
     * the module's schedules; suggestion(i, param): a value for a required
     * schedule key of instance i, or undefined.
     */
    setChoices(reg, presets, scheduleList = [], suggestion = () => undefined) {
      registry = reg;
      schedules = scheduleList;
      suggest = suggestion;
      addSelect.replaceChildren(...reg.map((o) => new Option(o.name, o.id)));
      addSelect.value = 'adam';
      presetSelect.replaceChildren(new Option('Presets…', ''), ...presets.map((p) => new Option(p.name, p.id)));
    },
    /**
     * entries: [{ id, name, defaultName, customName, settings, colour, colourHex,
     * hidden, selected, values, schedule, rates?, ratesNote?, note?, error?, locked? }] in line-up order
     * (rates: the schedule's rate per step over the budget; ratesNote: why there is no curve).
     */
    setEntries(entries) {
      const active = list.getRootNode().activeElement?.dataset?.focus;
      for (const i of [...expanded]) if (i >= entries.length) expanded.delete(i);
      for (const curve of curves) curve.destroy();
      curves = [];
      list.replaceChildren();
      rows = entries.map((entry, i) => {
        const row = buildRow(entry, i);
        list.append(row.item);
        return row;
      });
      if (active) list.querySelector(`[data-focus="${CSS.escape(active)}"]`)?.focus();
    },
    /** Opens instance i's controls. */
    expand(i) {
      expanded.add(i);
    },
    /** statuses: per entry, { text, diverged } or null (unavailable rows keep theirs). */
    update(statuses) {
      statuses.forEach((s, i) => {
        const row = rows[i];
        if (!row || !s || row.shown === s.text) return;
        row.shown = s.text;
        row.status.textContent = s.text;
        row.item.classList.toggle('is-diverged', s.diverged);
      });
    },
  };
}
