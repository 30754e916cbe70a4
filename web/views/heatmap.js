// Heat-map colouring, DOM-free: a perceptual colour ramp (stops interpolated in
// OKLab, so equal steps in value look like equal steps in colour) and the
// mapping of a grid of f values to RGBA pixels for canvas ImageData.
//
// Values are shown on a log scale of the height above the lowest value,
// log(1 + (f - f_lo) / s) with s a thousandth of the range: three decades of
// detail, whatever the surface's units, and deep valleys stay readable.

const LUT_SIZE = 256;

function hexToRgb(hex) {
  const h = hex.replace('#', '');
  const full = h.length === 3 ? [...h].map((c) => c + c).join('') : h;
  const n = parseInt(full, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

const toLinear = (c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
const toGamma = (c) => (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);

function rgbToOklab([r8, g8, b8]) {
  const [r, g, b] = [r8, g8, b8].map((c) => toLinear(c / 255));
  const l = Math.cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
  const m = Math.cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
  const s = Math.cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);
  return [
    0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s,
    1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s,
    0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s,
  ];
}

function oklabToRgb([L, a, b]) {
  const l = (L + 0.3963377774 * a + 0.2158037573 * b) ** 3;
  const m = (L - 0.1055613458 * a - 0.0638541728 * b) ** 3;
  const s = (L - 0.0894841775 * a - 1.291485548 * b) ** 3;
  const rgb = [
    4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s,
    -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s,
    -0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s,
  ];
  return rgb.map((c) => Math.round(255 * Math.min(1, Math.max(0, toGamma(c)))));
}

/** A 256-entry RGB ramp through `stops` (hex colours, low to high). */
export function buildRamp(stops) {
  const labs = stops.map((hex) => rgbToOklab(hexToRgb(hex)));
  const lut = new Uint8ClampedArray(LUT_SIZE * 3);
  for (let i = 0; i < LUT_SIZE; ++i) {
    const t = (i / (LUT_SIZE - 1)) * (labs.length - 1);
    const k = Math.min(Math.floor(t), labs.length - 2);
    const u = t - k;
    const lab = labs[k].map((v, j) => v + u * (labs[k + 1][j] - v));
    lut.set(oklabToRgb(lab), 3 * i);
  }
  return lut;
}

/** The finite min and max of a grid (NaN, NaN if it has no finite value). */
export function finiteRange(values) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [NaN, NaN];
}

/**
 * Colours `values` (row-major, top row first) into `pixels` (RGBA, same size)
 * with `ramp`. Non-finite values are left transparent. `range` is the grid's
 * finiteRange (computed when not given); `from` and `to` (cell indices, to
 * excluded) paint part of it, so a large map can be painted in parts, each in
 * a task of its own, with the same colours as in one piece.
 */
export function paintHeat(values, pixels, ramp, { range = finiteRange(values), from = 0, to = values.length } = {}) {
  const [lo, hi] = range;
  const scale = Math.max((hi - lo) / 1000, Number.MIN_VALUE);
  const norm = Math.log1p((hi - lo) / scale) || 1;
  const top = LUT_SIZE - 1;
  for (let i = from; i < to; ++i) {
    const v = values[i];
    const p = 4 * i;
    if (!Number.isFinite(v)) {
      pixels[p + 3] = 0;
      continue;
    }
    const k = 3 * Math.round(top * Math.min(1, Math.log1p((v - lo) / scale) / norm));
    pixels[p] = ramp[k];
    pixels[p + 1] = ramp[k + 1];
    pixels[p + 2] = ramp[k + 2];
    pixels[p + 3] = 255;
  }
}
