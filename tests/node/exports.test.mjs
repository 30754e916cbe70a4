// The trajectory CSV export (web/exports.js) against the core: a Session of the
// WASM module under Node is stepped, its runs are copied out the way
// web/engine.js does, and the CSV, read back by csv-parse, must hold the same
// doubles (bit for bit), the same points as the native CLI's `descent run`
// (1e-12 relative, as tests/node/wasm.test.mjs), the state history per step
// and empty cells where an instance has no such buffer.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { parse } from 'csv-parse/sync';
import { loadDescent, cliPath } from './load-module.mjs';
import { trajectoryCsv, safeFilename } from '../../web/exports.js';

const SURFACE = 'rosenbrock';
const START = [-1.5, 2];
const STEPS = 50;
// Specs with the label the page would show; two labels need CSV quoting and one
// starts like a spreadsheet formula.
const INSTANCES = [
  { spec: 'adam:lr=0.05', label: 'Adam, "fast"' },
  { spec: 'sgd:lr=0.0005,momentum=0.9', label: 'SGD momentum 0.9' },
  { spec: 'rmsprop:lr=0.005', label: '=1+2 rmsprop\nsecond line' },
];

let M;
let registry;
before(async () => {
  M = await loadDescent();
  registry = JSON.parse(M.registryJson());
});

// Steps a session and copies its runs the way web/engine.js's runs() gives
// them, with the label and state names the page adds.
function sessionRuns(instances, steps, { surface = SURFACE, start = START } = {}) {
  const s = new M.Session(surface, ...start);
  try {
    for (const { spec } of instances) s.add(spec);
    s.step(steps);
    const runs = instances.map(({ spec, label }, i) => {
      const id = s.optimizerId(i);
      return {
        spec, label, id,
        stateNames: registry.find((o) => o.id === id).state,
        divergedAt: s.divergedAt(i),
        trajectory: Float64Array.from(s.trajectory(i)),
        gradients: Float64Array.from(s.gradients(i)),
        states: Float64Array.from(s.stateHistory(i)),
        stateCount: s.stateCount(i),
        rates: Float64Array.from(s.rates(i)),
      };
    });
    return { runs };
  } finally {
    s.delete();
  }
}

// A CSV number cell back to a double (the CLI's and the export's spellings).
function number(cell) {
  if (cell === 'nan') return NaN;
  if (cell === 'inf') return Infinity;
  if (cell === '-inf') return -Infinity;
  assert.match(cell, /^-?\d/, `not a number cell: '${cell}'`);
  return Number(cell);
}

function closeRelative(a, b, rel) {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  if (!Number.isFinite(a) || !Number.isFinite(b)) return a === b;
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));
}

// The native CLI's rows for these specs, grouped by spec: [[x, y, f], ...].
function cliRows(specs, steps, { surface = SURFACE, start = START } = {}) {
  const args = ['run', '--surface', surface, '--start', start.join(','), '--steps', String(steps), '--format', 'csv'];
  for (const spec of specs) args.push('--optimizer', spec);
  const records = parse(execFileSync(cliPath, args, { encoding: 'utf8' }), { columns: true });
  const bySpec = new Map(specs.map((spec) => [spec, []]));
  for (const r of records) bySpec.get(r.optimizer)[Number(r.step)] = [number(r.x), number(r.y), number(r.f)];
  return bySpec;
}

const parseCsv = (text) => parse(text, { columns: true });

test('the CSV\'s lr column holds the rate of the step leaving each row: the schedule\'s, as the CLI\'s JSON lr', () => {
  const specs = [{ spec: 'adam:lr=0.05@cosine:T_max=40,eta_min=0.001', label: 'cosine' }, { spec: 'sgd:lr=0.001', label: 'plain' }];
  const { runs } = sessionRuns(specs, STEPS);
  const records = parseCsv(trajectoryCsv({ surface: SURFACE, runs }));
  const json = JSON.parse(execFileSync(cliPath, ['run', '--surface', SURFACE, '--start', START.join(','), '--steps', String(STEPS),
    '--format', 'json', ...specs.flatMap(({ spec }) => ['--optimizer', spec])], { encoding: 'utf8' }));
  for (const [i, { spec }] of specs.entries()) {
    const rows = records.filter((r) => r.instance === String(i));
    const native = json.runs[i].lr;
    assert.equal(native.length, STEPS);
    for (let k = 0; k < STEPS; ++k) assert.ok(closeRelative(number(rows[k].lr), native[k], 1e-12), `${spec}, row ${k}: ${rows[k].lr} vs ${native[k]}`);
    assert.equal(rows[STEPS].lr, '', 'the last row has no step leaving it');
  }
  // The cosine's rate falls from 0.05 to eta_min at T_max; the plain run's stays.
  assert.equal(number(records[0].lr), 0.05);
  assert.ok(Math.abs(number(records[40].lr) - 0.001) < 1e-15);
  assert.ok(records.filter((r) => r.instance === '1' && r.lr !== '').every((r) => number(r.lr) === 0.001));
});

test('the CSV holds every step of every instance with the core\'s trajectory, gradients and state', () => {
  const { runs } = sessionRuns(INSTANCES, STEPS);
  const text = trajectoryCsv({ surface: SURFACE, runs });
  const header = text.slice(0, text.indexOf('\n')).split(',');
  // The union of the state names in order of first appearance: Adam's three,
  // then SGD's momentum buffer, then RMSProp's two others (its momentum buffer is SGD's column).
  const union = ['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq', 'momentum_buffer', 'square_avg', 'grad_avg'];
  assert.deepEqual(header, ['instance', 'label', 'spec', 'surface', 'step', 'x', 'y', 'f', 'grad_x', 'grad_y', 'lr',
    ...union.flatMap((n) => [`${n}_x`, `${n}_y`])]);

  const records = parseCsv(text);
  assert.equal(records.length, INSTANCES.length * (STEPS + 1));
  const native = cliRows(INSTANCES.map((r) => r.spec), STEPS);
  for (const [i, run] of runs.entries()) {
    const rows = records.filter((r) => r.instance === String(i));
    assert.equal(rows.length, STEPS + 1, `instance ${i}`);
    for (const [k, r] of rows.entries()) {
      const where = `${run.spec}, step ${k}`;
      assert.equal(r.step, String(k), where);
      assert.equal(r.spec, run.spec);
      assert.equal(r.surface, SURFACE);
      const [x, y, f] = [number(r.x), number(r.y), number(r.f)];
      // Bit for bit what the WASM session recorded...
      assert.deepEqual([x, y, f], Array.from(run.trajectory.subarray(3 * k, 3 * k + 3)), where);
      // ...and the native core's numbers for the same run.
      for (const [c, v] of [x, y, f].entries()) {
        const n = native.get(run.spec)[k][c];
        assert.ok(closeRelative(v, n, 1e-12), `${where}, ${'xyf'[c]}: CSV ${v} vs CLI ${n}`);
      }
      // The gradient is the one at this row's point: Rosenbrock's, by hand.
      const gx = -2 * (1 - x) - 400 * x * (y - x * x);
      const gy = 200 * (y - x * x);
      assert.ok(closeRelative(number(r.grad_x), gx, 1e-9) || Math.abs(number(r.grad_x) - gx) < 1e-9, `${where}: grad_x ${r.grad_x} vs ${gx}`);
      assert.ok(closeRelative(number(r.grad_y), gy, 1e-9) || Math.abs(number(r.grad_y) - gy) < 1e-9, `${where}: grad_y ${r.grad_y} vs ${gy}`);
      assert.deepEqual([number(r.grad_x), number(r.grad_y)], Array.from(run.gradients.subarray(2 * k, 2 * k + 2)), where);
      // State columns: this instance's buffers after k steps; the others empty.
      for (const name of union) {
        const j = run.stateNames.indexOf(name);
        const cells = [r[`${name}_x`], r[`${name}_y`]];
        if (j < 0) {
          assert.deepEqual(cells, ['', ''], `${where}: ${name} is not a buffer of ${run.id}`);
        } else {
          const at = 2 * run.stateCount * k + 2 * j;
          assert.deepEqual(cells.map(number), [run.states[at], run.states[at + 1]], `${where}: ${name}`);
        }
      }
    }
    // The run went somewhere, so equal columns mean something.
    assert.notEqual(rows[STEPS].x, rows[0].x, `${run.spec} never moved`);
  }
  // Adam's first moment after one step is (1 - beta1) * g0: the state row is the state after that step.
  const adam = records.find((r) => r.instance === '0' && r.step === '1');
  const g0 = records.find((r) => r.instance === '0' && r.step === '0');
  assert.ok(closeRelative(number(adam.exp_avg_x), 0.1 * number(g0.grad_x), 1e-12));
  assert.equal(number(g0.exp_avg_x), 0);
});

test('labels with commas, quotes and line breaks read back; formula-like text is defused', () => {
  const { runs } = sessionRuns(INSTANCES, 2);
  const records = parseCsv(trajectoryCsv({ surface: 'expr:x, "y"', runs }));
  assert.equal(records.length, 3 * INSTANCES.length);
  assert.deepEqual([...new Set(records.map((r) => r.label))],
    ['Adam, "fast"', 'SGD momentum 0.9', "'=1+2 rmsprop\nsecond line"]);
  assert.ok(records.every((r) => r.surface === 'expr:x, "y"'));
});

// Rosenbrock under a huge step overflows to inf; sqrt(x) stepped past 0 gives nan.
const DIVERGING = [
  { where: { surface: SURFACE, start: START }, spec: 'sgd:lr=10', spelling: /^-?inf$/ },
  { where: { surface: 'expr:sqrt(x) + y^2', start: [1, 1] }, spec: 'sgd:lr=1', spelling: /^nan$/ },
];
for (const { where, spec, spelling } of DIVERGING) {
  test(`a diverging run (${spec} on ${where.surface}) writes ${spelling.source} like the CLI and keeps applying the update rule`, () => {
    const steps = 12;
    const { runs } = sessionRuns([{ spec, label: spec }], steps, where);
    const [run] = runs;
    assert.ok(run.divergedAt > 0 && run.divergedAt < steps, `divergedAt ${run.divergedAt}`);
    const text = trajectoryCsv({ surface: where.surface, runs });
    const records = parseCsv(text);
    assert.equal(records.length, steps + 1);
    const native = cliRows([spec], steps, where).get(spec);
    for (const [k, r] of records.entries()) {
      const row = [number(r.x), number(r.y), number(r.f)];
      assert.deepEqual(row, Array.from(run.trajectory.subarray(3 * k, 3 * k + 3)), `step ${k}`);
      row.forEach((v, c) => assert.ok(closeRelative(v, native[k][c], 1e-12), `step ${k} ${'xyf'[c]}: ${v} vs CLI ${native[k][c]}`));
    }
    const at = records[run.divergedAt];
    assert.ok([at.x, at.y, at.f, at.grad_x, at.grad_y].some((c) => spelling.test(c)),
      `no ${spelling.source} cell at the divergence step: ${JSON.stringify(at)}`);
    assert.ok([at.x, at.y, at.f].every((c) => spelling.test(c) || /^-?\d/.test(c)));
    // After divergence the rows still follow plain SGD, p_{k+1} = p_k - lr * g_k, in IEEE arithmetic.
    const lr = Number(spec.split('lr=')[1]);
    const same = (a, b) => Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
    for (let k = run.divergedAt; k + 1 < records.length; ++k) {
      const [r, next] = [records[k], records[k + 1]];
      for (const c of ['x', 'y']) {
        const expected = number(r[c]) - lr * number(r[`grad_${c}`]);
        assert.ok(same(number(next[c]), expected), `step ${k + 1} ${c}: ${next[c]} vs ${expected}`);
      }
    }
    // Only the CLI's spellings: nothing JavaScript-flavoured.
    assert.doesNotMatch(text, /NaN|Infinity/);
  });
}

test('upTo cuts the rows after the step shown', () => {
  const { runs } = sessionRuns(INSTANCES, 20);
  for (const upTo of [0, 7, 20, 1000]) {
    const records = parseCsv(trajectoryCsv({ surface: SURFACE, runs, upTo }));
    const last = Math.min(upTo, 20);
    assert.equal(records.length, INSTANCES.length * (last + 1), `upTo ${upTo}`);
    assert.deepEqual([...new Set(records.map((r) => Number(r.step)))], Array.from({ length: last + 1 }, (_, k) => k));
    // Cutting keeps the same values as the full export.
    const [r] = records.filter((row) => row.instance === '1' && row.step === String(last));
    assert.equal(number(r.x), runs[1].trajectory[3 * last]);
  }
  for (const bad of [-1, 2.5, NaN, '3']) {
    assert.throws(() => trajectoryCsv({ runs, upTo: bad }), /upTo must be a whole number >= 0/);
  }
});

test('numbers keep their exact double, -0 and extremes included; rows missing in a buffer stay empty', () => {
  const values = [-0, 5e-324, 1.7976931348623157e308, 0.1 + 0.2, -1e-7, 123456789012345680000];
  const run = {
    spec: 'custom', label: 'hand-made',
    trajectory: Float64Array.from([values[0], values[1], values[2], values[3], values[4], values[5]]),
    gradients: Float64Array.from([1, 2]), // one row only: step 1 has no gradient
    states: new Float64Array(0), stateCount: 0,
  };
  const text = trajectoryCsv({ runs: [run] });
  const records = parseCsv(text);
  assert.equal(records.length, 2);
  const read = records.flatMap((r) => [r.x, r.y, r.f]);
  assert.equal(read[0], '-0');
  read.forEach((cell, n) => assert.ok(Object.is(number(cell), values[n]), `${cell} vs ${values[n]}`));
  assert.deepEqual([records[1].grad_x, records[1].grad_y], ['', '']);
  assert.equal(records[0].surface, '');
  // An instance without names for its buffers gets state<j> columns.
  const named = trajectoryCsv({ runs: [{ ...run, states: Float64Array.from([1, 2, 3, 4]), stateCount: 1 }] });
  assert.match(named.slice(0, named.indexOf('\n')), /,state0_x,state0_y$/);
});

test('bad input gives a clear error', () => {
  assert.throws(() => trajectoryCsv({}), /runs must be an array/);
  assert.throws(() => trajectoryCsv({ runs: [null] }), /runs\[0\] must be an object/);
  assert.throws(() => trajectoryCsv({ runs: [{ spec: 'sgd', trajectory: new Float64Array(4) }] }), /trajectory must hold x, y, f rows/);
  assert.throws(() => trajectoryCsv({ runs: [{ spec: 'sgd', trajectory: new Float64Array(3), states: new Float64Array(3), stateCount: 1 }] }),
    /states must hold 2 \* stateCount numbers per step/);
  assert.throws(() => trajectoryCsv({ surface: {}, runs: [] }), /surface must be a string/);
  // No runs: just the header.
  assert.equal(trajectoryCsv({ runs: [] }), 'instance,label,spec,surface,step,x,y,f,grad_x,grad_y,lr\n');
  assert.throws(() => trajectoryCsv({ runs: [{ spec: 'sgd', trajectory: new Float64Array(3), rates: 'fast' }] }), /rates must hold one number per step/);
});

test('safeFilename keeps a readable, portable stem', () => {
  assert.equal(safeFilename('rosenbrock adam:lr=0.05'), 'rosenbrock-adam-lr-0.05');
  assert.equal(safeFilename('expr:(1-x)^2 + 100*(y-x^2)^2'), 'expr-1-x-2-100-y-x-2-2');
  assert.equal(safeFilename('../../etc/passwd'), 'etc-passwd');
  assert.equal(safeFilename('Café déjà vu'), 'Cafe-deja-vu');
  assert.equal(safeFilename(''), 'descent');
  assert.equal(safeFilename('***'), 'descent');
  assert.equal(safeFilename('nul'), '_nul');
  assert.ok(safeFilename('x'.repeat(500)).length <= 80);
});
