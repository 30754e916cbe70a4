// The widget's style sheets as text, for <descent-widget> to adopt in each
// shadow root. This is the development version: it fetches the page's
// styles.css and KaTeX's CSS from the dev server's layout (web/ and
// /vendor/katex/). build-scripts/bundle.mjs swaps this module for one with the
// text inlined (and the fonts beside the bundle or inside it as data URLs);
// the pure helpers below are shared with it, so both builds split the CSS the
// same way.
//
// KaTeX's @font-face rules are kept apart because browsers ignore @font-face
// inside a shadow root: the widget puts fontFaceCss() into document.head once.
// Relative url()s are made absolute, since adopted and head-level sheets
// resolve them against the document, not against the CSS file.

const STYLES_URL = new URL('../styles.css', import.meta.url);
const KATEX_CSS_URL = new URL('../vendor/katex/katex.min.css', import.meta.url);

const FONT_FACE_RULE = /@font-face\s*\{[^}]*\}/g;
const CSS_URL = /url\(\s*(['"]?)([^'")]+)\1\s*\)/g;

/** Splits CSS text into its @font-face rules and everything else. */
export function splitFontFaces(css) {
  const fontFaces = css.match(FONT_FACE_RULE) ?? [];
  return { rules: css.replace(FONT_FACE_RULE, ''), fontFaces: fontFaces.join('\n') };
}

/** Rewrites every relative url(...) in `css` with `resolve(relativePath)`. */
export function rewriteUrls(css, resolve) {
  return css.replace(CSS_URL, (whole, quote, target) =>
    /^(data:|[a-z][a-z0-9+.-]*:|\/|#)/i.test(target) ? whole : `url("${resolve(target)}")`);
}

/** Keeps only the woff2 source of each @font-face (every current browser reads woff2). */
export function woff2Only(fontFaces) {
  return fontFaces.replace(/src:\s*([^;}]*)/g, (whole, sources) => {
    const woff2 = sources.split(/,(?=\s*url\()/).find((source) => /format\(\s*['"]woff2['"]\s*\)/.test(source));
    return woff2 ? `src:${woff2.trim()}` : whole;
  });
}

async function fetchText(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load ${url.pathname} (HTTP ${response.status})`);
  return response.text();
}

// One fetch per page, however many widgets ask.
let sheets = null;
function loadSheets() {
  if (sheets) return sheets;
  sheets = Promise.all([fetchText(STYLES_URL), fetchText(KATEX_CSS_URL)]).then(([styles, katex]) => {
    const absolute = (base) => (target) => new URL(target, base).href;
    const { rules, fontFaces } = splitFontFaces(rewriteUrls(katex, absolute(KATEX_CSS_URL)));
    return { widget: `${rewriteUrls(styles, absolute(STYLES_URL))}\n${rules}`, fontFaces };
  });
  // A failed fetch is not cached: the next widget tries again.
  sheets.catch(() => { sheets = null; });
  return sheets;
}

/** The CSS for each widget's shadow root: styles.css plus KaTeX without @font-face. */
export async function widgetCss() {
  return (await loadSheets()).widget;
}

/** KaTeX's @font-face rules with absolute font URLs, for document.head. */
export async function fontFaceCss() {
  return (await loadSheets()).fontFaces;
}
