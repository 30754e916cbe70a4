// A run's path as the map draws it: a polyline in CSS pixels of a view box,
// extended by the rows added since the last frame. A point closer than
// PATH_TOLERANCE_PX to the last one kept is skipped, and so is one in a
// PATH_CELL_PX cell the path already went through, within PATH_REVISIT_PX of
// the last one kept (the current point is always drawn exactly by the view),
// so a frame costs O(new rows), not O(steps taken), and the points kept stay
// few where a run converges or oscillates. DOM-free (the surface view strokes
// it; tests/node/frame.test.mjs checks it).

export const MAX_COORD_PX = 1e5; // clamp for far-off points of diverging paths
export const PATH_TOLERANCE_PX = 0.35; // a path point this close to the last one kept is skipped
export const PATH_CELL_PX = 2; // a path point in a cell of this size already drawn through is skipped...
export const PATH_REVISIT_PX = 8; // ...unless it is this far from the last one kept

export const clampPx = (v) => Math.max(-MAX_COORD_PX, Math.min(MAX_COORD_PX, v));

/**
 * An empty path for a view: bounds { x_min, x_max, y_min, y_max } shown on
 * width x height CSS px; `colour` and `label` name the run it was made for
 * (a run with another colour or label is another path).
 * Fields read by the view: x, y (kept points), row (their rows), n (how many).
 */
export function createPath({ bounds, width, height, colour, label }) {
  const cols = Math.max(1, Math.ceil(width / PATH_CELL_PX));
  const visited = new Uint8Array(cols * Math.max(1, Math.ceil(height / PATH_CELL_PX)));
  return {
    bounds, width, height, cols, visited, colour, label,
    x: new Float64Array(256), y: new Float64Array(256), row: new Int32Array(128), n: 0,
    consumed: 0, ended: false, lastX: NaN, lastY: NaN,
  };
}

function grow(path, need) {
  if (need <= path.row.length) return;
  const size = Math.max(need, 2 * path.row.length);
  for (const key of ['x', 'y']) {
    const next = new Float64Array(size);
    next.set(path[key].subarray(0, path.n));
    path[key] = next;
  }
  const rows = new Int32Array(size);
  rows.set(path.row.subarray(0, path.n));
  path.row = rows;
}

/**
 * Whether `path` was built from this run: same colour and label, and its first
 * row and the last row read unchanged (a restart changes them).
 */
export function pathFits(path, run) {
  const t = run.trajectory;
  const rows = t.length / 3;
  return Boolean(path) && path.colour === run.colour && path.label === run.label &&
    !(rows > 0 && path.consumed > 0 && (path.x0 !== t[0] || path.y0 !== t[1])) &&
    !(path.consumed > 0 && path.consumed <= rows &&
      (t[3 * (path.consumed - 1)] !== path.lastX || t[3 * (path.consumed - 1) + 1] !== path.lastY));
}

/** Reads the rows of `trajectory` (x, y, f rows) beyond those read; stops for good at a non-finite point. */
export function extendPath(path, trajectory) {
  const t = trajectory;
  const rows = t.length / 3;
  if (path.ended || rows <= path.consumed) return path;
  const { bounds, width, height } = path;
  const sx = width / (bounds.x_max - bounds.x_min);
  const sy = height / (bounds.y_max - bounds.y_min);
  const tol2 = PATH_TOLERANCE_PX * PATH_TOLERANCE_PX;
  const revisit2 = PATH_REVISIT_PX * PATH_REVISIT_PX;
  let k = path.consumed;
  for (; k < rows; ++k) {
    const x = t[3 * k];
    const y = t[3 * k + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      path.ended = true;
      break;
    }
    const px = clampPx((x - bounds.x_min) * sx);
    const py = clampPx((bounds.y_max - y) * sy);
    const n = path.n;
    // A point in a cell the path has already been drawn through, near the
    // last point kept, adds nothing to see: an oscillation back and forth
    // over the same band (thousands of segments otherwise) keeps few points.
    const inside = px >= 0 && py >= 0 && px < width && py < height;
    const cell = inside ? Math.floor(py / PATH_CELL_PX) * path.cols + Math.floor(px / PATH_CELL_PX) : -1;
    if (n > 0) {
      const dx = px - path.x[n - 1];
      const dy = py - path.y[n - 1];
      const d2 = dx * dx + dy * dy;
      if (d2 < tol2) continue;
      if (cell >= 0 && path.visited[cell] && d2 < revisit2) continue;
    }
    if (cell >= 0) path.visited[cell] = 1;
    grow(path, n + 1);
    path.x[n] = px;
    path.y[n] = py;
    path.row[n] = k;
    path.n = n + 1;
  }
  if (path.consumed === 0) {
    path.x0 = t[0];
    path.y0 = t[1];
  }
  path.consumed = k;
  if (k > 0) {
    path.lastX = t[3 * (k - 1)];
    path.lastY = t[3 * (k - 1) + 1];
  }
  return path;
}

/** The last finite row among the `rows` given (-1 if none): every row before the first non-finite one is read. */
export function lastFiniteRow(path, rows) {
  return Math.min(rows, path.consumed) - 1;
}

/** How many kept points have row <= last (binary search). */
export function keptUpTo(path, last) {
  let lo = 0;
  let hi = path.n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (path.row[mid] <= last) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
