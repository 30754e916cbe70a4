// The WASM module under Node: same trajectories as the native CLI, errors as
// JavaScript exceptions that leave the module working.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { parse } from 'csv-parse/sync';
import { loadDescent, cliPath } from './load-module.mjs';

const STEPS = 100;
let M;
before(async () => {
  M = await loadDescent();
});

// Every catalogue surface and typed formulas that call libm (sin, cos, exp,
// log, ...): native and WASM link different libm builds, so these are where a
// drift would show first (the quadratic and Rosenbrock call none).
const FORMULAS = [
  ['expr:sin(x)*cos(y) + 0.1*(x^2+y^2)', [1.5, -1]],
  ['expr:exp(-(x^2+y^2)/4)*(-3) + log(1 + x^2 + y^2)', [2, 1.5]],
  ['expr:tanh(x - 1)^2 + sqrt(1 + y^2) + atan(x*y)/3', [-1, 2]],
  ['expr:pow(x^2 + 1, 0.75) + cosh(y/2) - log10(2 + sin(x*y))', [1.2, -2]],
];

// Every registry entry with its defaults, plus the switches that change the code path.
function specsToCompare() {
  const extra = ['sgd:lr=0.001,momentum=0.9,nesterov=true', 'sgd:lr=0.001,momentum=0.5,dampening=0.5',
    'sgd:lr=0.001,weight_decay=0.1,maximize=false', 'adam:lr=0.05,amsgrad=true',
    'adam:lr=0.05,eps_inside_root=true', 'rmsprop:centered=true,momentum=0.5',
    'adagrad:lr=0.1,lr_decay=0.01,initial_accumulator_value=0.1', 'adamw:lr=0.05,weight_decay=0.1'];
  return [...JSON.parse(M.registryJson()).map((o) => o.id), ...extra];
}

// `descent run --format csv` with every spec at once: spec -> [[x, y, f], ...].
function cliTrajectories(surface, start, specs) {
  const args = ['run', '--surface', surface, '--start', start.join(','), '--steps', String(STEPS), '--format', 'csv'];
  for (const spec of specs) args.push('--optimizer', spec);
  const rows = parse(execFileSync(cliPath, args, { encoding: 'utf8', maxBuffer: 64 << 20 }), { columns: true });
  const bySpec = new Map(specs.map((spec) => [spec, []]));
  const read = (text) => ({ inf: Infinity, '-inf': -Infinity })[text] ?? Number(text); // nan reads as NaN
  for (const row of rows) bySpec.get(row.optimizer).push(['x', 'y', 'f'].map((c) => read(row[c])));
  return bySpec;
}

function wasmTrajectory(surface, start, spec) {
  const s = new M.Session(surface, ...start);
  try {
    s.add(spec);
    s.step(STEPS);
    const t = Array.from(s.trajectory(0));
    const rows = [];
    for (let k = 0; k < t.length; k += 3) rows.push([t[k], t[k + 1], t[k + 2]]);
    return rows;
  } finally {
    s.delete();
  }
}

function closeRelative(a, b, rel) {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));
}

test('WASM trajectories equal the native CLI\'s on every surface and on libm formulas, for every optimizer (1e-12 relative)', (t) => {
  const specs = specsToCompare();
  assert.ok(specs.length >= 15, `registry lists ${specs.length} optimizers`);
  const surfaces = [...JSON.parse(M.catalogueJson()).map((s) => [s.id, s.start]), ...FORMULAS];
  assert.ok(surfaces.length >= 18 + FORMULAS.length, `catalogue lists ${surfaces.length - FORMULAS.length} surfaces`);
  let worst = 0;
  for (const [surface, start] of surfaces) {
    const native = cliTrajectories(surface, start, specs);
    let moved = 0;
    for (const spec of specs) {
      const wasm = wasmTrajectory(surface, start, spec);
      const rows = native.get(spec);
      assert.equal(wasm.length, STEPS + 1, `${spec} on ${surface}`);
      assert.equal(rows.length, STEPS + 1, `${spec} on ${surface}`);
      for (let k = 0; k <= STEPS; k++) {
        for (let c = 0; c < 3; c++) {
          const [a, b] = [rows[k][c], wasm[k][c]];
          assert.ok(closeRelative(a, b, 1e-12),
            `${spec} on ${surface}, step ${k}, column ${'xyf'[c]}: native ${a} vs wasm ${b}`);
          if (Number.isFinite(a) && a !== b) worst = Math.max(worst, Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b)));
        }
      }
      if (rows[STEPS][0] !== rows[0][0] || rows[STEPS][1] !== rows[0][1]) moved++;
    }
    // Saddles and flat starts may hold a few methods still; most must move.
    assert.ok(moved >= specs.length / 2, `only ${moved} of ${specs.length} optimizers moved on ${surface}`);
  }
  t.diagnostic(`largest native-vs-WASM relative difference: ${worst.toExponential(2)}`);
});

test('invalid input raises a JavaScript Error with the CLI message, and the module keeps working', () => {
  const s = new M.Session('quadratic', -4, 1.5);
  try {
    s.add('sgd:lr=0.01');
    const bad = [
      [() => s.add('adam:beta2=1.5'), 'adam: beta2 must be in [0, 1), got 1.5'],
      [() => s.add('adamm'), /^unknown optimizer 'adamm'/],
      [() => s.add('sgd:lrr=1'), /^sgd: unknown hyperparameter 'lrr'/],
      [() => s.setParam(0, 'lr', -1), 'sgd: lr must be > 0, got -1'],
      [() => s.setParam(0, 'lr', NaN), 'sgd: lr must be > 0, got nan'],
      [() => s.setParam(7, 'lr', 1), /^no optimizer instance 7/],
      [() => s.setSurface('nope'), /^unknown surface 'nope'/],
      [() => s.step(-1), /^step count must be >= 0/],
      [() => new M.Session('nope', 0, 0), /^unknown surface 'nope'/],
      [() => M.validateSpec('sgd:nesterov=true'), 'sgd: nesterov requires momentum > 0 and dampening = 0'],
    ];
    for (const [call, message] of bad) {
      assert.throws(call, (err) => {
        assert.ok(err instanceof Error, `not an Error: ${err}`);
        if (message instanceof RegExp) assert.match(err.message, message);
        else assert.equal(err.message, message);
        return true;
      });
    }
    // The CLI prints the same message.
    let stderr = '';
    try {
      execFileSync(cliPath, ['run', '--surface', 'quadratic', '--optimizer', 'adam:beta2=1.5', '--steps', '1'],
        { encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      assert.equal(err.status, 2);
      stderr = err.stderr;
    }
    assert.equal(stderr, 'descent: adam: beta2 must be in [0, 1), got 1.5\n');
    // Still working, and nothing was changed by the failed calls.
    assert.equal(s.size(), 1);
    s.step(2);
    assert.equal(s.steps(), 2);
    assert.ok(Math.abs(s.trajectory(0)[6] - -3.9204) < 1e-12);
  } finally {
    s.delete();
  }
});

test('hyperparameter changes take effect from the next step; state is readable', () => {
  const s = new M.Session('quadratic', -4, 1.5);
  try {
    const i = s.add('adam:lr=0.1');
    s.step(1);
    const names = JSON.parse(M.registryJson()).find((o) => o.id === 'adam').state;
    assert.equal(s.stateCount(i), names.length);
    const m = Array.from(s.state(i, names.indexOf('exp_avg')));
    // m1 = (1 - beta1) * g0, g0 = (-4, 15)
    assert.ok(Math.abs(m[0] - 0.1 * -4) < 1e-15 && Math.abs(m[1] - 0.1 * 15) < 1e-15, `m = ${m}`);
    s.setParam(i, 'lr', 0.2);
    const before = Array.from(s.trajectory(i).slice(3, 6));
    s.step(1);
    const after = Array.from(s.trajectory(i).slice(6, 9));
    // A bigger learning rate at step 2 moves x further than the first step's 0.1.
    assert.ok(Math.abs(after[0] - before[0]) > 0.1, `moved ${after[0] - before[0]}`);
    assert.equal(JSON.parse(s.settingsJson(i)).lr, 0.2);
  } finally {
    s.delete();
  }
});

test('divergence is reported per instance and the others continue', () => {
  const s = new M.Session('quadratic', -4, 1.5);
  try {
    s.add('sgd:lr=5');
    s.add('sgd:lr=0.01');
    s.step(400);
    assert.ok(s.divergedAt(0) > 0);
    assert.equal(s.divergedAt(1), -1);
    const good = s.trajectory(1);
    assert.ok(Number.isFinite(good[good.length - 1]));
  } finally {
    s.delete();
  }
});

test('evaluateGrid paints the surface row by row from the top', () => {
  const s = new M.Session('quadratic', 0, 0);
  try {
    const g = Array.from(s.evaluateGrid(-1, 1, -1, 1, 2, 2));
    // cell centres: (-0.5, 0.5), (0.5, 0.5), (-0.5, -0.5), (0.5, -0.5)
    for (const v of g) assert.equal(v, 0.5 * (0.25 + 10 * 0.25));
    assert.throws(() => s.evaluateGrid(-1, 1, -1, 1, 0, 10), /grid size/);
  } finally {
    s.delete();
  }
});

test('gradient noise: the same seed gives the same path in WASM as in the native CLI', () => {
  const csv = execFileSync(cliPath, ['run', '--surface', 'rosenbrock', '--start', '-1.5,2',
    '--optimizer', 'momentum', '--steps', '200', '--noise', '3', '--seed', '42'], { encoding: 'utf8' });
  const native = csv.trim().split('\n').slice(1).map((l) => l.split(',').slice(-3).map(Number));
  const s = new M.Session('rosenbrock', -1.5, 2);
  try {
    s.add('momentum');
    s.setNoise(3, 42);
    s.step(200);
    const t = Array.from(s.trajectory(0));  // a copy: the view dies with the next step
    for (let k = 0; k <= 200; k++) {
      for (let c = 0; c < 3; c++) {
        assert.ok(closeRelative(native[k][c], t[3 * k + c], 1e-12), `step ${k}: ${native[k][c]} vs ${t[3 * k + c]}`);
      }
    }
    s.setNoise(3, 43);
    s.step(200);
    assert.notEqual(s.trajectory(0)[600], t[600]);
    assert.throws(() => s.setNoise(-1, 1), /noise scale must be >= 0, got -1/);
    assert.throws(() => s.setNoise(1, 1.5), /noise seed must be a whole number/);
  } finally {
    s.delete();
  }
});

test('stateHistory holds every state buffer after each step, equal to the live state then', () => {
  const s = new M.Session('quadratic', -4, 1.5);
  try {
    const i = s.add('adam:lr=0.1');
    const count = s.stateCount(i);
    const live = [];
    for (let k = 1; k <= 4; ++k) {
      s.step(1);
      live.push(Array.from({ length: count }, (_, j) => Array.from(s.state(i, j))));
    }
    const history = Array.from(s.stateHistory(i));
    assert.equal(history.length, 5 * count * 2);
    assert.deepEqual(history.slice(0, count * 2), new Array(count * 2).fill(0), 'step 0 is the zero state');
    live.forEach((buffers, t) => {
      const k = t + 1;
      buffers.forEach((xy, j) => assert.deepEqual(history.slice(k * count * 2 + 2 * j, k * count * 2 + 2 * j + 2), xy));
    });
    s.reset();
    assert.equal(s.stateHistory(i).length, count * 2);
  } finally {
    s.delete();
  }
});
