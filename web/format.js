// Text formatting shared by the views: numbers for people, and an optimizer
// spec turned into a legend label ("Adam lr 0.05"). DOM-free.

const grouped = new Intl.NumberFormat('en-US');

/** 2000 -> "2,000". */
export function formatCount(n) {
  return grouped.format(n);
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

/**
 * Parses `id:key=value,key=value[@schedule]` into { id, settings: [[key, value], ...],
 * schedule } (no validation; schedule is the text after '@', '' without one).
 */
export function parseSpec(spec) {
  const at = spec.indexOf('@');
  const schedule = at < 0 ? '' : spec.slice(at + 1).trim();
  const head = at < 0 ? spec : spec.slice(0, at);
  const colon = head.indexOf(':');
  const id = (colon < 0 ? head : head.slice(0, colon)).trim();
  const settings = colon < 0 ? [] : head.slice(colon + 1).split(',')
    .map((part) => part.split('=').map((s) => s.trim()))
    .filter(([key]) => key);
  return { id, settings, schedule };
}

/** The spec of id with settings ([[key, value], ...]) and a schedule text ('' for none). */
export function composeSpec(id, settings, schedule = '') {
  const head = settings.length ? `${id}:${settings.map(([k, v]) => `${k}=${v}`).join(',')}` : id;
  return schedule ? `${head}@${schedule}` : head;
}

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
