// The theme as JavaScript sees it: colours read from the CSS custom properties
// in styles.css (CSS is the one place colours are defined; each holds its light
// and dark value in light-dark(), picked by the element's color-scheme: the
// reader's preference, or a widget's `theme` attribute), plus a watcher for
// scheme changes. Canvas and Chart.js views take the object returned by
// readTheme() instead of reading CSS.

const SERIES_COUNT = 7;
const MAP_STOPS = 5;

const hex = (n) => n.toString(16).padStart(2, '0');

/**
 * The colour custom property `name` as the element `box` uses it, resolved
 * (light-dark() picked): '#rrggbb' when opaque, else 'rgb(r g b / a)'. A custom
 * property's own computed value is its text, so a probe element inside `box`
 * sets it as its colour and reads the result back.
 */
export function cssColour(box, name) {
  const probe = document.createElement('span');
  probe.hidden = true;
  probe.style.color = `var(${name})`;
  box.append(probe);
  const resolved = getComputedStyle(probe).color;
  probe.remove();
  const [r, g, b, a = 1] = (resolved.match(/[\d.]+/g) ?? []).map(Number);
  if (b === undefined) return resolved;
  return a === 1 ? `#${hex(r)}${hex(g)}${hex(b)}` : `rgb(${r} ${g} ${b} / ${a})`;
}

/** Reads the current theme from the CSS custom properties that apply to `box` (the page's body or a widget's app). */
export function readTheme(box = document.body) {
  const get = (name) => cssColour(box, name);
  return {
    series: Array.from({ length: SERIES_COUNT }, (_, i) => get(`--series-${i + 1}`)),
    mapStops: Array.from({ length: MAP_STOPS }, (_, i) => get(`--map-${i}`)),
    contour: get('--contour'),
    halo: get('--halo'),
    ink: get('--ink'),
    inkMuted: get('--ink-muted'),
    surface: get('--surface'),
    grid: get('--grid'),
    font: getComputedStyle(box).fontFamily,
  };
}

/** The colour of line-up slot i (same in path, legend and chart). */
export function seriesColour(theme, i) {
  return theme.series[i % theme.series.length];
}

/** Calls `onChange` when the user's light/dark preference changes; returns the way to stop. */
export function watchScheme(onChange) {
  const query = matchMedia('(prefers-color-scheme: dark)');
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}
