// The 3D tab's paths grow in place (web/views/surface-3d.js): each frame reads
// only the rows added since the last one into a preallocated, doubling buffer
// drawn up to its point count, and after any number of frames the lines equal
// the same lines built from scratch from every row (and the scene coordinates
// computed here from the trajectories and the view box). Scrubbing back cuts
// them; a new start rebuilds them.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startChromium, watchProblems } from './harness.mjs';

const { url, browser, stop } = await startChromium();
after(stop);

const hook = (page, body, arg) => page.evaluate(body, arg);
const quiet = (problems) => problems.filter((p) => !/GPU stall|GroupMarkerNotSet/i.test(p));

async function open3d(t) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  t.after(() => context.close());
  const page = await context.newPage();
  const problems = watchProblems(page, { requests: false });
  await page.goto(url);
  await page.waitForFunction(() => window.descent?.ready === true, null, { timeout: 20000 });
  await page.getByTestId('tab-3d').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=surface-3d]').dataset.status, null, { timeout: 20000 });
  assert.equal(await page.getByTestId('surface-3d').getAttribute('data-status'), 'drawn');
  return { page, problems };
}

// The lines as drawn equal the lines built from scratch, point for point; and
// against the trajectories and the view box: every point is a row in the box
// at its x and z as the mesh maps them, the first and the last such rows are
// drawn, consecutive kept points lie at least the spacing apart, and every row
// left out lies near (in x and z: within the revisit distance) the point kept before it.
async function assertFull(page, what) {
  const { paths, rows, bounds } = await hook(page, () => ({
    paths: window.descent.paths3d(), rows: window.descent.trajectories(), bounds: window.descent.bounds(),
  }));
  assert.equal(paths.runs.length, rows.length, `${what}: a line per run`);
  const w = bounds.x_max - bounds.x_min;
  const h = bounds.y_max - bounds.y_min;
  const [sx, sz] = w >= h ? [2, (2 * h) / w] : [(2 * w) / h, 2];
  const sceneX = (x) => ((x - bounds.x_min) / w - 0.5) * sx;
  const sceneZ = (y) => ((bounds.y_max - y) / h - 0.5) * sz;
  const inBox = ([x, y]) => x >= bounds.x_min && x <= bounds.x_max && y >= bounds.y_min && y <= bounds.y_max;
  let saved = 0;
  paths.runs.forEach((run, i) => {
    assert.deepEqual(run.positions, paths.fresh[i].positions, `${what}: run ${i} equals its line built from scratch`);
    assert.deepEqual(run.rows, paths.fresh[i].rows, `${what}: run ${i}: the same rows`);
    assert.ok(run.capacity >= run.count);
    const inside = rows[i].map((row, k) => (inBox(row) ? k : -1)).filter((k) => k >= 0);
    assert.equal(run.rows[0], inside[0], `${what}: run ${i} starts at its first row in the box`);
    assert.equal(run.rows.at(-1), inside.at(-1), `${what}: run ${i} ends at its last row in the box`);
    run.rows.forEach((k, n) => {
      assert.ok(Math.abs(run.positions[3 * n] - sceneX(rows[i][k][0])) < 1e-6, `${what}: run ${i} point ${n} (row ${k}) x`);
      assert.ok(Math.abs(run.positions[3 * n + 2] - sceneZ(rows[i][k][1])) < 1e-6, `${what}: run ${i} point ${n} (row ${k}) z`);
    });
    const kept = run.rows.length - 1; // the last point may be the tail; the others are kept
    for (let n = 1; n < kept; ++n) {
      const d = Math.hypot(...[0, 1, 2].map((c) => run.positions[3 * n + c] - run.positions[3 * (n - 1) + c]));
      assert.ok(d >= paths.spacing * (1 - 1e-5), `${what}: run ${i} points ${n - 1} and ${n} are ${d} apart`);
    }
    let n = 0;
    for (const k of inside) {
      if (n + 1 < run.rows.length && run.rows[n + 1] === k) { ++n; continue; }
      if (run.rows[n] === k) continue;
      const d = Math.hypot(sceneX(rows[i][k][0]) - run.positions[3 * n], sceneZ(rows[i][k][1]) - run.positions[3 * n + 2]);
      assert.ok(d < paths.revisit * (1 + 1e-5), `${what}: run ${i} row ${k} left out ${d} from the point kept before it`);
    }
    saved += inside.length - run.count;
  });
  return { paths, saved };
}

test('each frame appends only the new rows, and after N frames the 3D paths are the full paths', async (t) => {
  const { page, problems } = await open3d(t);
  const runs = (await hook(page, () => window.descent.specs())).length;
  await hook(page, () => window.descent.setBudget(10000));
  assert.ok(runs >= 2);
  // 40 frames of 37 steps: each frame reads 37 rows per run, however many came before.
  for (let frame = 0; frame < 40; ++frame) {
    const { rowsRead } = await hook(page, () => {
      window.descent.step(37);
      return window.descent.paths3d();
    });
    assert.equal(rowsRead, 37 * runs, `frame ${frame}: ${rowsRead} rows read`);
  }
  await assertFull(page, 'after 40 frames');
  // One frame of 1,500 steps: room for them all is made first (the buffers double past their first 1,024 points).
  assert.equal(await hook(page, () => { window.descent.step(1500); return window.descent.paths3d().rowsRead; }), 1500 * runs);
  const { paths: full } = await assertFull(page, 'after a long frame');
  assert.ok(full.runs.every((run) => run.capacity > 1024), 'every line outgrew its first buffer');
  // A frame with nothing new reads nothing.
  assert.equal(await hook(page, () => { window.descent.step(0); return window.descent.paths3d().rowsRead; }), 0);

  // Scrubbing back cuts the lines at the row shown; forward again appends from there.
  await hook(page, () => window.descent.scrub(300));
  assert.equal(await hook(page, () => window.descent.steps()), 300);
  await assertFull(page, 'scrubbed back to 300');
  await hook(page, () => window.descent.scrub(900));
  await assertFull(page, 'forward to 900');

  // A new start: the lines are rebuilt from its rows.
  const [x, y] = await hook(page, () => window.descent.start());
  await hook(page, ([a, b]) => window.descent.setStart(a + 0.3, b - 0.2, { play: false }), [x, y]);
  await hook(page, () => window.descent.step(200));
  await assertFull(page, 'a new start');
  assert.deepEqual(quiet(problems), []);
});

test('playing on the 3D tab keeps its lines equal to the full paths', async (t) => {
  const { page, problems } = await open3d(t);
  await hook(page, () => window.descent.play());
  await page.waitForFunction(() => window.descent.steps() > 1500, null, { timeout: 60000 });
  await hook(page, () => window.descent.pause());
  await hook(page, () => window.descent.step(0)); // a frame of the step the pause left
  const { saved } = await assertFull(page, 'after playing');
  assert.ok(saved > 0, 'rows within the spacing of the point before are left out');
  assert.deepEqual(quiet(problems), []);
});
