// The WASM Sweep binding (the explore page's hyperparameter map) and the
// double-precision Session under Node, in the baseline and the SIMD module:
// each gives the numbers of the native CLI, bit for bit (descent sweep's
// cells, descent run's trajectories on typed formulas: the SIMD module once
// got a formula's gradient wrong, clang 14's SLP vectorizer on formula/dual.h).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { loadDescent, loadDescentSimd, cliPath } from './load-module.mjs';

const modules = {};
before(async () => {
  modules.baseline = await loadDescent();
  modules.simd = await loadDescentSimd();
});

const cli = (args) => execFileSync(cliPath, args, { encoding: 'utf8' });

// descent sweep's cells through M.Sweep, as web/explore/pool.js runs them: f*
// from a first pass when steps:TOL has no known minimum.
function bindingCells(M, { surface, start, optimizer, vary, steps, metric }) {
  const sweep = new M.Sweep(surface, start[0], start[1], optimizer, vary[0], vary[1] ?? '', steps, metric);
  try {
    const plan = JSON.parse(sweep.planJson());
    const count = plan.rows * plan.cols;
    let fStar = plan.known_f_star ?? NaN;
    if (plan.needs_f_star_pass) {
      const first = Float64Array.from(sweep.run(0, count, NaN));
      fStar = Infinity;
      for (let c = 0; c < count; ++c) if (Number.isFinite(first[4 * c + 3])) fStar = Math.min(fStar, first[4 * c + 3]);
    }
    const cells = Float64Array.from(sweep.run(0, count, fStar));
    return Array.from({ length: count }, (_, c) => {
      const row = {};
      row[plan.axes[0].key] = plan.axes[0].values[Math.floor(c / plan.cols)];
      if (plan.axes[1]) row[plan.axes[1].key] = plan.axes[1].values[c % plan.cols];
      row.value = Number.isFinite(cells[4 * c]) ? cells[4 * c] : null;
      row.diverged_at = cells[4 * c + 1] >= 0 ? cells[4 * c + 1] : null;
      return row;
    });
  } finally {
    sweep.delete();
  }
}

const SWEEPS = [
  { surface: 'rosenbrock', start: [-1.5, 2], optimizer: 'adam', vary: ['lr=0.001:1:5:log', 'beta1=0:0.99:3'], steps: 120, metric: 'final' },
  { surface: 'himmelblau', start: [0, 0], optimizer: 'momentum:lr=0.001@cosine:T_max=80', vary: ['lr=0.0001:0.05:4:log', 'momentum=0.5:0.95:2'],
    steps: 80, metric: 'best' },
  { surface: 'expr:(1 - x)^2 + 10*(y - x^2)^2', start: [-2, 2], optimizer: 'momentum', vary: ['lr=0.0001:0.01:4:log', 'momentum=0:0.95:3'],
    steps: 200, metric: 'steps:0.01' },
  { surface: 'expr:sin(x)*cos(y) + 0.1*(x^2+y^2)', start: [1.5, -1], optimizer: 'rmsprop', vary: ['lr=0.001:0.3:6:log'], steps: 60, metric: 'final' },
];

for (const name of ['baseline', 'simd']) {
  test(`${name} module: M.Sweep's cells equal descent sweep --format json`, () => {
    for (const s of SWEEPS) {
      const args = ['sweep', '--surface', s.surface, '--start', s.start.join(','), '--optimizer', s.optimizer,
        ...s.vary.flatMap((v) => ['--vary', v]), '--steps', String(s.steps), '--metric', s.metric, '--format', 'json'];
      assert.deepEqual(bindingCells(modules[name], s), JSON.parse(cli(args)).cells, `${s.surface} ${s.optimizer} ${s.metric}`);
    }
  });

  test(`${name} module: a Session on a typed formula follows descent run`, () => {
    const M = modules[name];
    for (const [surface, start] of [['expr:(1 - x)^2 + 10*(y - x^2)^2', [-2, 2]], ['expr:exp(-(x^2+y^2)/4)*(-3) + x*y/5', [1, 1.5]]]) {
      const spec = 'momentum:lr=0.01,momentum=0.5';
      const session = new M.Session(surface, start[0], start[1]);
      try {
        session.add(spec);
        session.step(30);
        const f = Array.from(session.trajectory(0)).filter((_, i) => i % 3 === 2);
        const rows = cli(['run', '--surface', surface, '--start', start.join(','), '--optimizer', spec, '--steps', '30'])
          .trim().split('\n').slice(1);
        assert.deepEqual(f, rows.map((row) => Number(row.split(',').at(-1))), surface);
      } finally {
        session.delete();
      }
    }
  });

  test(`${name} module: a bad grid throws the CLI's one line`, () => {
    const M = modules[name];
    assert.throws(() => new M.Sweep('quadratic', 0, 0, 'adam', 'lr=0.1:0.01:3:log', '', 5, 'final'), { message: '--vary lr=0.1:0.01:3:log: LO must be < HI' });
    assert.throws(() => new M.Sweep('quadratic', 0, 0, 'adam', 'lr=0.01:0.1:0', '', 5, 'final'),
      { message: "--vary lr=0.01:0.1:0: N must be a whole number from 1 to 512, got '0'" });
    assert.throws(() => new M.Sweep('quadratic', 0, 0, 'adam', 'lr=0.01:0.1:3', 'lr=0.1:1:2', 5, 'final'), { message: '--vary lr is given twice' });
    // The module still works.
    assert.equal(JSON.parse(new M.Sweep('quadratic', 0, 0, 'adam', 'lr=0.01:0.1:3', '', 5, 'final').planJson()).rows, 3);
  });
}
