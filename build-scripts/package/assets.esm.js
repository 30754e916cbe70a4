// The ES-module build's web/widget/assets.js (swapped in by
// build-scripts/bundle.mjs): descent-widget.css and fonts/ sit beside the
// bundle, found from import.meta.url wherever the host serves the folder.
// `descent:css` is made by the bundler (font URLs relative to the bundle).
import { FONT_FACE_CSS } from 'descent:css';

const CSS_URL = new URL('./descent-widget.css', import.meta.url);

let css = null; // one fetch per page, however many widgets ask
export function widgetCss() {
  if (css) return css;
  css = fetch(CSS_URL).then((response) => {
    if (!response.ok) throw new Error(`could not load ${CSS_URL.pathname} (HTTP ${response.status})`);
    return response.text();
  });
  css.catch(() => { css = null; }); // a failed fetch is tried again by the next widget
  return css;
}

/** KaTeX's @font-face rules, font URLs made absolute (the rules go into document.head). */
export async function fontFaceCss() {
  return FONT_FACE_CSS.replace(/url\("([^"]+)"\)/g, (whole, file) => `url("${new URL(file, import.meta.url).href}")`);
}
