// The page's DOM-free modules under Node: contour extraction, heat-map
// colouring and text formatting. The page test covers them in the browser;
// these pin down their exact behaviour on small known inputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isolines, logLevels } from '../../web/views/contours.js';
import { buildRamp, finiteRange, paintHeat } from '../../web/views/heatmap.js';
import { formatValue, formatCount, parseSpec, specLabel } from '../../web/format.js';

test('logLevels gives 1-3-10 heights above the lowest value, inside the range', () => {
  assert.deepEqual(logLevels(0, 100, 1e-2).map((v) => +v.toPrecision(6)), [1, 3, 10, 30]);
  const shifted = logLevels(-5, 5, 1e-3);
  assert.ok(shifted.every((v) => v > -5 && v < 5));
  assert.deepEqual(logLevels(2, 2), [], 'a flat grid has no contours');
  assert.deepEqual(logLevels(Number.NaN, 1), []);
});

test('isolines of a cone trace a circle of the right radius', () => {
  const n = 41; // grid over [-1, 1]^2, cell centres at spacing h
  const h = 2 / n;
  const values = new Float64Array(n * n);
  for (let r = 0; r < n; ++r)
    for (let c = 0; c < n; ++c)
      values[r * n + c] = Math.hypot(-1 + (c + 0.5) * h, 1 - (r + 0.5) * h);
  const seg = isolines(values, n, n, 0.6);
  assert.ok(seg.length >= 4 * 40, `${seg.length / 4} segments`);
  for (let i = 0; i < seg.length; i += 2) {
    const x = -1 + (seg[i] + 0.5) * h;
    const y = 1 - (seg[i + 1] + 0.5) * h;
    assert.ok(Math.abs(Math.hypot(x, y) - 0.6) < h / 4, `point (${x}, ${y}) on the circle`);
  }
  assert.deepEqual(isolines(values, n, n, 5), [], 'a level above every value has no segments');
});

test('isolines skip cells with non-finite values and resolve saddles by the centre', () => {
  assert.deepEqual(isolines([0, 1, NaN, 1], 2, 2, 0.5), []);
  // One cell, row-major [top-left, top-right, bottom-left, bottom-right]; the
  // high corners are top-left and bottom-right.
  const round = (seg) => seg.map((v) => +v.toFixed(3));
  // Centre below the level: each high corner is cut off on its own.
  assert.deepEqual(round(isolines([1, 0, 0, 1], 2, 2, 0.6)), [0, 0.4, 0.4, 0, 0.6, 1, 1, 0.6]);
  // Centre above the level: the low corners are cut off instead.
  assert.deepEqual(round(isolines([1, 0, 0.4, 1], 2, 2, 0.5)), [0.5, 0, 1, 0.5, 0, 0.833, 0.167, 1]);
});

test('the heat ramp runs through its stops, and non-finite cells stay transparent', () => {
  const ramp = buildRamp(['#000000', '#ffffff']);
  assert.deepEqual([...ramp.slice(0, 3)], [0, 0, 0]);
  assert.deepEqual([...ramp.slice(-3)], [255, 255, 255]);
  const mid = ramp[3 * 128];
  assert.ok(mid > 90 && mid < 140, `OKLab midpoint of black and white is a mid grey (${mid})`);

  const values = [0, 1, 1000, Number.NaN, Infinity];
  assert.deepEqual(finiteRange(values), [0, 1000]);
  const pixels = new Uint8ClampedArray(4 * values.length);
  paintHeat(values, pixels, ramp);
  assert.equal(pixels[0], 0, 'the lowest value gets the first stop');
  assert.equal(pixels[8], 255, 'the highest value gets the last stop');
  // log(1 + 1) / log(1 + 1000): f = 1 of 1000 sits a tenth of the way up, not a thousandth.
  assert.ok(pixels[4] > pixels[0] && pixels[4] < mid, `log scale puts f = 1 of 1000 low but off the bottom (${pixels[4]})`);
  assert.equal(pixels[4 * 3 + 3], 0);
  assert.equal(pixels[4 * 4 + 3], 0);
});

test('formatCount writes what Intl.NumberFormat(en-US) writes', () => {
  const intl = new Intl.NumberFormat('en-US');
  const values = [0, -0, 1, -1, 7, 999, 1000, -1000, 1234, 99999, 100000, 2000000, 1e15, 2 ** 53 - 1, -123456789,
    0.5, 0.25, 0.125, 1.5, 2.75, 12.345, 1234.5, -0.1, 0.0004, -0.0004, 0.0006, NaN, Infinity, -Infinity];
  for (let k = -200; k <= 200; k += 1) values.push(k * 0.1, k * 0.25, k * 125, k * 2500.5);
  for (const v of values) assert.equal(formatCount(v), intl.format(v), `formatCount(${v})`);
});

test('numbers and specs are formatted for people', () => {
  assert.equal(formatCount(2000), '2,000');
  assert.equal(formatValue(0.05243301), '0.05243');
  assert.equal(formatValue(1.8e-8), '1.8e−8');
  assert.equal(formatValue(-3.2e-12), '−3.2e−12');
  assert.equal(formatValue(123456), '1.23e5');
  assert.equal(formatValue(Number.NaN), 'NaN');
  assert.equal(formatValue(Infinity), '∞');
  assert.equal(formatValue(1e-9, 1), '1e−9');
  assert.deepEqual(parseSpec('adam:lr=0.05, beta2=0.99'),
    { id: 'adam', settings: [['lr', '0.05'], ['beta2', '0.99']], schedule: '' });
  assert.deepEqual(parseSpec('sgd'), { id: 'sgd', settings: [], schedule: '' });
  // A learning-rate schedule after '@' (torch's lr_scheduler names, docs/schedules.md).
  assert.deepEqual(parseSpec('adam:lr=0.1@cosine:T_max=100,eta_min=0.0001'),
    { id: 'adam', settings: [['lr', '0.1']], schedule: 'cosine:T_max=100,eta_min=0.0001' });
  const names = new Map([['adam', 'Adam'], ['momentum', 'Momentum']]);
  assert.equal(specLabel('adam:lr=0.05', names), 'Adam lr 0.05');
  assert.equal(specLabel('momentum:lr=0.001,momentum=0.9', names), 'Momentum lr 0.001, momentum 0.9');
  assert.equal(specLabel('lion:weight_decay=1e-2', names), 'lion weight decay 0.01');
});
