// The theme as JavaScript sees it: colours read from the CSS custom properties
// in styles.css (CSS is the one place colours are defined; each holds its light
// and dark value in light-dark(), picked by the element's color-scheme: the
// reader's preference, or a widget's `theme` attribute), plus a watcher for
// scheme changes. Canvas and Chart.js views take the object returned by
// readTheme() instead of reading CSS.

const SERIES_COUNT = 7;
const MAP_STOPS = 5;

const hex = (n) => n.toString(16).padStart(2, '0');

const rgbText = (resolved) => {
  const [r, g, b, a = 1] = (resolved.match(/[\d.]+/g) ?? []).map(Number);
  if (b === undefined) return resolved;
  return a === 1 ? `#${hex(r)}${hex(g)}${hex(b)}` : `rgb(${r} ${g} ${b} / ${a})`;
};

/**
 * The colour custom properties `names` as the element `box` uses them,
 * resolved (light-dark() picked): '#rrggbb' when opaque, else 'rgb(r g b / a)'.
 * A custom property's own computed value is its text, so one probe element per
 * name inside `box` sets it as its colour and the results are read back; all
 * probes go in and are read together, so the browser computes style once
 * (reading one, then adding the next, would force a style pass per name).
 */
export function cssColours(box, names) {
  const holder = document.createElement('span');
  holder.hidden = true;
  const probes = names.map((name) => {
    const probe = document.createElement('span');
    probe.style.color = `var(${name})`;
    return probe;
  });
  holder.append(...probes);
  box.append(holder);
  const resolved = probes.map((probe) => getComputedStyle(probe).color);
  holder.remove();
  return resolved.map(rgbText);
}

/** One colour custom property of `box`, resolved (see cssColours). */
export function cssColour(box, name) {
  return cssColours(box, [name])[0];
}

const SERIES_NAMES = Array.from({ length: SERIES_COUNT }, (_, i) => `--series-${i + 1}`);
const MAP_NAMES = Array.from({ length: MAP_STOPS }, (_, i) => `--map-${i}`);
const SINGLE = { contour: '--contour', halo: '--halo', ink: '--ink', inkMuted: '--ink-muted', surface: '--surface', grid: '--grid' };

/** Reads the current theme from the CSS custom properties that apply to `box` (the page's body or a widget's app). */
export function readTheme(box = document.body) {
  const singles = Object.entries(SINGLE);
  const colours = cssColours(box, [...SERIES_NAMES, ...MAP_NAMES, ...singles.map(([, name]) => name)]);
  const theme = {
    series: colours.slice(0, SERIES_COUNT),
    mapStops: colours.slice(SERIES_COUNT, SERIES_COUNT + MAP_STOPS),
  };
  singles.forEach(([key], i) => { theme[key] = colours[SERIES_COUNT + MAP_STOPS + i]; });
  theme.font = getComputedStyle(box).fontFamily;
  return theme;
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
