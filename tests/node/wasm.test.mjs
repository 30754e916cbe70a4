// The WASM module under Node: same trajectories as the native CLI, errors as
// JavaScript exceptions that leave the module working.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { loadDescent, cliPath } from './load-module.mjs';

const STEPS = 100;
let M;
before(async () => {
  M = await loadDescent();
});

// Rows of `descent run ... --format csv` for one optimizer: [[x, y, f], ...].
// The label may be quoted and hold commas, so fields are taken from the right.
function cliTrajectory(surface, spec) {
  const csv = execFileSync(cliPath, ['run', '--surface', surface, '--optimizer', spec,
    '--steps', String(STEPS), '--format', 'csv'], { encoding: 'utf8' });
  const lines = csv.trim().split('\n');
  assert.equal(lines[0], 'optimizer,step,x,y,f');
  return lines.slice(1).map((line) => line.split(',').slice(-3).map(Number));
}

function wasmTrajectory(surface, spec) {
  const s = new M.Session(surface, ...JSON.parse(M.surfaceInfo(surface)).start);
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

// Every registry entry with its defaults, plus the switches that change the code path.
function specsToCompare() {
  const extra = ['sgd:lr=0.001,momentum=0.9,nesterov=true', 'sgd:lr=0.001,momentum=0.5,dampening=0.5',
    'sgd:lr=0.001,weight_decay=0.1,maximize=false', 'adam:lr=0.05,amsgrad=true',
    'adam:lr=0.05,eps_inside_root=true', 'rmsprop:centered=true,momentum=0.5',
    'adagrad:lr=0.1,lr_decay=0.01,initial_accumulator_value=0.1', 'adamw:lr=0.05,weight_decay=0.1'];
  return [...JSON.parse(M.registryJson()).map((o) => o.id), ...extra];
}

for (const surface of ['quadratic', 'rosenbrock']) {
  test(`WASM trajectories equal the native CLI's on ${surface} for every optimizer (1e-12 relative)`, () => {
    const specs = specsToCompare();
    assert.ok(specs.length >= 15, `registry lists ${specs.length} optimizers`);
    for (const spec of specs) {
      const native = cliTrajectory(surface, spec);
      const wasm = wasmTrajectory(surface, spec);
      assert.equal(wasm.length, STEPS + 1, spec);
      assert.equal(native.length, STEPS + 1, spec);
      let moved = false;
      for (let k = 0; k <= STEPS; k++) {
        for (let c = 0; c < 3; c++) {
          assert.ok(closeRelative(native[k][c], wasm[k][c], 1e-12),
            `${spec} on ${surface}, step ${k}, column ${'xyf'[c]}: native ${native[k][c]} vs wasm ${wasm[k][c]}`);
        }
        moved ||= native[k][0] !== native[0][0];
      }
      assert.ok(moved, `${spec} never moved on ${surface}`);
    }
  });
}

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
