// web/explore/hpmap-view.js, the hyperparameter map's DOM-free half: the
// viridis ends, which scale a map gets (log10 of f - f*, of f, or linear),
// diverged and never-within-tol cells kept off the scale, the pixel layout
// (first key across, second key up) and pointer -> cell.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  viridis, colourScale, cellColour, paintCells, cellAt, summarise, formatValue, DIVERGED_RGB, UNREACHED_RGB,
} from '../../web/explore/hpmap-view.js';

// Cells as pool.js gives them: [value, diverged_at, final, best] each.
const cellsOf = (rows) => Float64Array.from(rows.flatMap(([value, diverged = -1]) => [value, diverged, value, value]));

test('viridis runs from dark purple to yellow', () => {
  assert.deepEqual(viridis(0), [0x44, 0x01, 0x54]);
  assert.deepEqual(viridis(1), [0xfd, 0xe7, 0x25]);
  assert.deepEqual(viridis(-3), viridis(0));
  const mid = viridis(0.5);
  assert.deepEqual(mid, [0x21, 0x91, 0x8c]);
});

test('final f with a known f*: log10 of the gap, diverged cells off the scale', () => {
  const cells = cellsOf([[1.001], [1.1], [11], [NaN, 3]]);
  const scale = colourScale(cells, 'final', 1);
  assert.equal(scale.log, true);
  assert.equal(scale.label, 'log10(final f − f*)');
  assert.equal(scale.note, 'f* = 1');
  assert.ok(Math.abs(scale.lo - -3) < 1e-9 && Math.abs(scale.hi - 1) < 1e-9, `${scale.lo} .. ${scale.hi}`);
  assert.deepEqual(cellColour(cells, 0, scale), viridis(0));
  assert.deepEqual(cellColour(cells, 2, scale), viridis(1));
  assert.deepEqual(cellColour(cells, 3, scale), DIVERGED_RGB);
  assert.deepEqual(summarise(cells), { diverged: 1, unreached: 0, best: 0 });
});

test('negative values without f*: a linear scale; steps: linear, never-within-tol grey', () => {
  const linear = colourScale(cellsOf([[-2], [3]]), 'best', NaN);
  assert.equal(linear.log, false);
  assert.equal(linear.label, 'lowest f');
  assert.deepEqual([linear.lo, linear.hi], [-2, 3]);
  const cells = cellsOf([[10], [NaN], [30]]);
  const steps = colourScale(cells, 'steps:0.01', 0.5);
  assert.equal(steps.label, 'steps until f − f* ≤ 0.01');
  assert.deepEqual([steps.lo, steps.hi], [10, 30]);
  assert.deepEqual(cellColour(cells, 1, steps), UNREACHED_RGB);
  assert.deepEqual(summarise(cells), { diverged: 0, unreached: 1, best: 0 });
});

test('pixels: the first key across, the second up; a point maps back to its cell', () => {
  // rows = 2 (first key), cols = 3 (second key): cell = i * 3 + j.
  const cells = cellsOf([[1], [2], [3], [4], [5], [6]]);
  const scale = colourScale(cells, 'final', NaN);
  const pixels = paintCells(cells, 2, 3, scale);
  const at = (px, py) => Array.from(pixels.slice(4 * (py * 2 + px), 4 * (py * 2 + px) + 3));
  assert.deepEqual(at(0, 2), cellColour(cells, 0, scale), 'cell (0, 0) bottom left');
  assert.deepEqual(at(1, 0), cellColour(cells, 5, scale), 'cell (1, 2) top right');
  assert.deepEqual(cellAt(2, 3, 0.1, 0.9), { i: 0, j: 0, cell: 0 });
  assert.deepEqual(cellAt(2, 3, 0.9, 0.1), { i: 1, j: 2, cell: 5 });
  assert.deepEqual(cellAt(2, 3, 1, 0), { i: 1, j: 2, cell: 5 }, 'the far edges stay inside');
});

test('numbers for text: 6 significant digits, true minus signs', () => {
  assert.equal(formatValue(-0.000123456789), '−0.000123457');
  assert.equal(formatValue(Infinity), '∞');
  assert.equal(formatValue(NaN), 'nan');
});
