// Contour lines, DOM-free: log-spaced levels (1-3-10 steps above the lowest
// value, so each line is a readable height) and a marching-squares pass that
// turns a grid of values into line segments.

/**
 * Heights above `lo` at which to draw contours: 1, 3, 10, 30, ... times powers
 * of ten, from `range * minFraction` up to `range` (range = hi - lo).
 */
export function logLevels(lo, hi, minFraction = 1e-4) {
  const range = hi - lo;
  if (!(range > 0) || !Number.isFinite(range)) return [];
  const levels = [];
  const first = Math.floor(Math.log10(range * minFraction));
  for (let e = first; e <= Math.ceil(Math.log10(range)); ++e) {
    for (const m of [1, 3]) {
      const d = m * 10 ** e;
      if (d >= range * minFraction && d < range) levels.push(lo + d);
    }
  }
  return levels;
}

// Edge-pair table for marching squares; corners: 0 top-left, 1 top-right,
// 2 bottom-right, 3 bottom-left; edges: 0 top, 1 right, 2 bottom, 3 left.
// Cases 5 and 10 (saddles) are resolved by the cell's mean value below.
const SEGMENTS = [
  [], [[3, 2]], [[2, 1]], [[3, 1]], [[0, 1]], null, [[0, 2]], [[3, 0]],
  [[3, 0]], [[0, 2]], null, [[0, 1]], [[3, 1]], [[2, 1]], [[3, 2]], [],
];
const SADDLE_A = [[3, 0], [2, 1]];
const SADDLE_B = [[0, 1], [3, 2]];

/**
 * Segments where the grid crosses `level`: a flat array x0, y0, x1, y1, ... in
 * grid coordinates (column, row of the values; 0 is the first cell centre).
 * `values` is row-major with `width` columns and `height` rows.
 */
export function isolines(values, width, height, level) {
  const out = [];
  // Appends the crossing of `level` along one edge of cell (c, r), linearly
  // interpolated (no array per point: a map's contours are thousands of them).
  const push = (edge, c, r, v0, v1, v2, v3) => {
    const a = edge === 1 ? v1 : edge === 2 ? v3 : v0;
    const b = edge === 0 ? v1 : edge === 3 ? v3 : v2;
    const t = a === b ? 0.5 : (level - a) / (b - a);
    // The edge from (ax, ay) to (bx, by): top, right, bottom, left.
    const ax = edge === 1 ? c + 1 : c;
    const ay = edge === 2 ? r + 1 : r;
    const bx = edge === 3 ? c : c + 1;
    const by = edge === 0 ? r : r + 1;
    out.push(ax + t * (bx - ax), ay + t * (by - ay));
  };
  for (let r = 0; r + 1 < height; ++r) {
    for (let c = 0; c + 1 < width; ++c) {
      const v0 = values[r * width + c];
      const v1 = values[r * width + c + 1];
      const v2 = values[(r + 1) * width + c + 1];
      const v3 = values[(r + 1) * width + c];
      if (!(Number.isFinite(v0) && Number.isFinite(v1) && Number.isFinite(v2) && Number.isFinite(v3))) continue;
      const index = (v0 > level ? 8 : 0) | (v1 > level ? 4 : 0) | (v2 > level ? 2 : 0) | (v3 > level ? 1 : 0);
      let pairs = SEGMENTS[index];
      if (pairs === null) {
        const centreAbove = (v0 + v1 + v2 + v3) / 4 > level;
        // Case 5: top-right and bottom-left above; case 10: top-left and bottom-right.
        pairs = (index === 5) === centreAbove ? SADDLE_A : SADDLE_B;
      }
      for (const [e0, e1] of pairs) {
        push(e0, c, r, v0, v1, v2, v3);
        push(e1, c, r, v0, v1, v2, v3);
      }
    }
  }
  return out;
}
