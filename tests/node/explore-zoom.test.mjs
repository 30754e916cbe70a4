// The explore page's view-box maths (web/explore/zoom.js, DOM-free): a zoom
// keeps the point under the cursor and stays within the span limits, a pan
// moves the box by the drag's share of it, and pointAt reads a fraction of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { zoomBox, panBox, pointAt, sameBox, MIN_SPAN, MAX_SPAN } from '../../web/explore/zoom.js';

const home = { x_min: -5, x_max: 5, y_min: -3, y_max: 3 };
const close = (a, b, what) => assert.ok(Math.abs(a - b) <= 1e-12 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

test('a zoom keeps the point at the given fraction and scales both axes', () => {
  for (const [f, fx, fy] of [[2, 0.5, 0.5], [1.7, 0.1, 0.9], [0.4, 0.8, 0.25]]) {
    const before = pointAt(home, fx, fy);
    const z = zoomBox(home, home, f, fx, fy);
    const after = pointAt(z, fx, fy);
    close(after[0], before[0], 'x under the cursor');
    close(after[1], before[1], 'y under the cursor');
    close((home.x_max - home.x_min) / (z.x_max - z.x_min), f, 'x span');
    close((home.y_max - home.y_min) / (z.y_max - z.y_min), f, 'y span');
  }
});

test('a zoom stops at the narrowest and widest views', () => {
  const tiny = zoomBox(home, home, 1e9);
  close((tiny.x_max - tiny.x_min) / (home.x_max - home.x_min), MIN_SPAN, 'narrowest');
  const wide = zoomBox(home, home, 1e-9);
  close((wide.x_max - wide.x_min) / (home.x_max - home.x_min), MAX_SPAN, 'widest');
  assert.ok(sameBox(zoomBox(tiny, home, 10), tiny), 'no further in');
});

test('a pan moves the content with the drag', () => {
  const p = panBox(home, 0.25, -0.5);
  close(p.x_min, home.x_min - 2.5, 'dragged right: the view goes left');
  close(p.y_min, home.y_min - 3, 'dragged up: the view goes down');
  close(p.x_max - p.x_min, 10, 'same width');
  assert.ok(!sameBox(p, home));
  const back = panBox(p, -0.25, 0.5);
  close(back.x_min, home.x_min, 'dragged back (x)');
  close(back.y_max, home.y_max, 'dragged back (y)');
});
