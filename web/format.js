// Text formatting shared by the views: numbers for people, an optimizer spec
// turned into a legend label ("Adam lr 0.05"); and the spec grammar's one
// JavaScript definition (its shape and its parser), which every module that
// reads or writes a spec uses. DOM-free.
//
//   SPEC      id[:key=value,...]              optimizers and built-in surfaces alike
//   optimizer SPEC[@SCHEDULE]                 a learning-rate schedule (cpp/optim/schedule.h):
//   SCHEDULE  STAGE[+STAGE...]                stages joined by '+', each itself
//   STAGE     id[:key=value,...]              an id with settings, whose values may
//                                             also be words (mode=triangular2) or
//                                             lists (milestones=30/80)

/**
 * 2000 -> "2,000": Intl.NumberFormat('en-US')'s text (digits grouped by
 * threes, at most three decimals) for the counts and axis ticks the views show.
 * Written out because the first Intl.NumberFormat of a page sets up ICU, about
 * 16 ms of a start on a fast machine (web-modules.test.mjs holds it to Intl's).
 */
export function formatCount(n) {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? '∞' : '-∞';
  const [whole, fraction] = Math.abs(n).toFixed(3).split('.');
  const decimals = fraction.replace(/0+$/, '');
  return `${n < 0 || Object.is(n, -0) ? '-' : ''}${whole.replace(/\B(?=(\d{3})+$)/g, ',')}${decimals ? `.${decimals}` : ''}`;
}

/** A value for a readout: 4 significant digits, exponent form when tiny or huge. */
export function formatValue(v, digits = 4) {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'NaN' : v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  const text = a >= 1e-3 && a < 1e5 ? String(Number(v.toPrecision(digits))) : Number(v.toPrecision(Math.max(1, digits - 1))).toExponential();
  return text.replace('e+', 'e').replaceAll('-', '−');
}

/** A hyperparameter value as the user would type it: 0.05, 1e-8, 0.9. */
export function formatSetting(v) {
  return String(Number(v.toPrecision(6)));
}

export const SPEC = /^[a-z][a-z0-9_]*(:[a-z0-9_]+=[-+0-9.eE]+(,[a-z0-9_]+=[-+0-9.eE]+)*)?$/;
const STAGE = '[a-z][a-z0-9_]*(:[A-Za-z0-9_]+=[-+0-9.a-zA-Z_/]+(,[A-Za-z0-9_]+=[-+0-9.a-zA-Z_/]+)*)?';
export const OPTIMIZER_SPEC = new RegExp(`^${SPEC.source.slice(1, -1)}(@${STAGE}(\\+${STAGE})*)?$`);

/**
 * Parses `id:key=value,key=value[@schedule]` into { id, settings: [[key, value], ...],
 * schedule } (schedule: the text after '@', '' without one). A schedule's stage
 * (`cosine:T_max=100`) parses the same way. No validation (the core checks
 * meaning, SPEC and OPTIMIZER_SPEC shape) and never throws: a setting written
 * without '=' is [key] alone, so composeSpec gives it back as written.
 */
export function parseSpec(spec) {
  const at = spec.indexOf('@');
  const schedule = at < 0 ? '' : spec.slice(at + 1).trim();
  const head = at < 0 ? spec : spec.slice(0, at);
  const colon = head.indexOf(':');
  const id = (colon < 0 ? head : head.slice(0, colon)).trim();
  const settings = colon < 0 ? [] : head.slice(colon + 1).split(',')
    .map((part) => {
      const eq = part.indexOf('=');
      return eq < 0 ? [part.trim()] : [part.slice(0, eq).trim(), part.slice(eq + 1).trim()];
    })
    .filter(([key]) => key);
  return { id, settings, schedule };
}

/** The spec of id with settings ([[key, value], ...]) and a schedule text ('' for none). */
export function composeSpec(id, settings, schedule = '') {
  const item = ([k, v]) => (v === undefined ? k : `${k}=${v}`);
  const head = settings.length ? `${id}:${settings.map(item).join(',')}` : id;
  return schedule ? `${head}@${schedule}` : head;
}

/** `spec` with setting `key` set to `value` (in its place, or added last); the schedule kept. */
export function withSetting(spec, key, value) {
  const { id, settings, schedule } = parseSpec(spec);
  const next = new Map(settings.map(([k, v]) => [k, v]));
  next.set(key, String(value));
  return composeSpec(id, [...next], schedule);
}

/** `spec` without setting `key`; the schedule kept. */
export function withoutSetting(spec, key) {
  const { id, settings, schedule } = parseSpec(spec);
  return composeSpec(id, settings.filter(([k]) => k !== key), schedule);
}

/** A schedule text's stages (`linear:...+cosine:...`): split at '+' before an id, not in 1e+5. */
export const scheduleStages = (schedule) => (schedule ? schedule.split(/\+(?=[a-z])/) : []);

/**
 * Legend label of a spec: the optimizer's display name and the settings the
 * spec sets explicitly, e.g. "Momentum lr 0.001, momentum 0.9".
 * `names` maps optimizer id -> display name (from the registry).
 */
export function specLabel(spec, names) {
  const { id, settings, schedule } = parseSpec(spec);
  const name = names.get(id) ?? id;
  const parts = settings.map(([key, value]) => {
    const number = Number(value);
    return `${key.replaceAll('_', ' ')} ${Number.isFinite(number) && value !== '' ? formatSetting(number) : value}`;
  });
  const label = parts.length ? `${name} ${parts.join(', ')}` : name;
  return schedule ? `${label} @ ${schedule.replaceAll('_', ' ').replaceAll('=', ' ').replaceAll(',', ', ')}` : label;
}
