// The single-file build's web/widget/assets.js (swapped in by
// build-scripts/bundle.mjs): the widget CSS and KaTeX's @font-face rules are
// text inside the script, the woff2 fonts data: URLs, so nothing is fetched
// and the widget runs from file://. `descent:css` is made by the bundler.
import { WIDGET_CSS, FONT_FACE_CSS } from 'descent:css';

export async function widgetCss() {
  return WIDGET_CSS;
}

export async function fontFaceCss() {
  return FONT_FACE_CSS;
}
