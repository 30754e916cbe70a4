// Stands in for import.meta.url in the single-file build, which is a classic
// script and has no import.meta: the script's own URL, read while it first
// runs (document.currentScript is only set then). Injected by bundle.mjs.
export const scriptUrl =
  (typeof document !== 'undefined' && document.currentScript?.src) ||
  (typeof location !== 'undefined' ? location.href : '');
