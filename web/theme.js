// The theme as JavaScript sees it: colours read from the CSS custom properties
// in styles.css (CSS is the one place colours are defined; light and dark come
// from prefers-color-scheme), plus a watcher for scheme changes. Canvas and
// Chart.js views take the object returned by readTheme() instead of reading CSS.

const SERIES_COUNT = 7;
const MAP_STOPS = 5;

/** Reads the current theme from the CSS custom properties on `root` (the page's body or a widget). */
export function readTheme(root = document.body) {
  const css = getComputedStyle(root);
  const get = (name) => css.getPropertyValue(name).trim();
  return {
    dark: matchMedia('(prefers-color-scheme: dark)').matches,
    series: Array.from({ length: SERIES_COUNT }, (_, i) => get(`--series-${i + 1}`)),
    mapStops: Array.from({ length: MAP_STOPS }, (_, i) => get(`--map-${i}`)),
    contour: get('--contour'),
    halo: get('--halo'),
    ink: get('--ink'),
    inkMuted: get('--ink-muted'),
    surface: get('--surface'),
    grid: get('--grid'),
    font: css.fontFamily,
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
