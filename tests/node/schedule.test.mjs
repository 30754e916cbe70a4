// Learning-rate schedules in the WASM module against the native CLI: the
// module's schedule list is the one `descent list` prints, and for every
// schedule a WASM session's rates and path agree with `descent run --format
// json` to 1e-12 relative, as tests/node/wasm.test.mjs asks of every path (the
// same code in double; the cosines come from two libms, musl's and glibc's).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { loadDescent, cliPath } from './load-module.mjs';

let M;
let schedules;
before(async () => {
  M = await loadDescent();
  schedules = JSON.parse(M.schedulesJson());
});

const STEPS = 120;
// A spec per schedule, its required keys given.
const SPECS = {
  step: 'momentum:lr=0.001@step:step_size=25,gamma=0.5',
  multistep: 'adam:lr=0.05@multistep:milestones=20/50/90',
  exponential: 'adam:lr=0.05@exponential:gamma=0.98',
  cosine: 'adam:lr=0.05@cosine:T_max=100,eta_min=0.0001',
  cosine_restarts: 'rmsprop:lr=0.01@cosine_restarts:T_0=15,T_mult=2',
  linear: 'sgd:lr=0.001@linear:start_factor=0.1,total_iters=30+cosine:T_max=90',
  constant: 'nadam:lr=0.05@constant',
  polynomial: 'adamw:lr=0.05@polynomial:total_iters=100,power=2',
  onecycle: 'adam@onecycle:max_lr=0.05,total_steps=120,three_phase=true',
  cyclic: 'momentum:lr=0.001@cyclic:base_lr=0.0001,max_lr=0.001,step_size_up=10,mode=exp_range,gamma=0.99',
  plateau: 'sgd:lr=0.0021@plateau:patience=3,cooldown=2',
};

test('the module lists the schedules descent list prints, each with a spec here', () => {
  const list = execFileSync(cliPath, ['list'], { encoding: 'utf8' });
  for (const s of schedules) {
    assert.ok(list.includes(`\n  ${s.id}  ${s.torch}:`), `${s.id} in descent list`);
    assert.ok(s.id in SPECS, `a spec for ${s.id}`);
  }
  assert.deepEqual(Object.keys(SPECS).sort(), schedules.map((s) => s.id).sort());
});

test('every schedule: WASM rates and paths are the CLI\'s within 1e-12', () => {
  const specs = Object.values(SPECS);
  const json = JSON.parse(execFileSync(cliPath, ['run', '--surface', 'rosenbrock', '--start', '-1.5,2', '--steps', String(STEPS),
    '--format', 'json', ...specs.flatMap((spec) => ['--optimizer', spec])], { encoding: 'utf8' }));
  const s = new M.Session('rosenbrock', -1.5, 2);
  try {
    for (const spec of specs) s.add(spec);
    s.step(STEPS);
    for (const [i, spec] of specs.entries()) {
      const rates = Array.from(s.rates(i));
      assert.equal(rates.length, STEPS, spec);
      rates.forEach((r, k) => {
        const n = json.runs[i].lr[k];
        assert.ok(r === n || Math.abs(r - n) <= 1e-12 * Math.max(Math.abs(r), Math.abs(n)), `${spec} rate of step ${k + 1}: ${r} vs ${n}`);
      });
      const t = s.trajectory(i);
      for (let k = 0; k <= STEPS; ++k) {
        for (const [c, key] of ['x', 'y', 'f'].entries()) {
          const a = t[3 * k + c];
          const b = json.runs[i][key][k];
          assert.ok(a === b || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b)), `${spec} step ${k} ${key}: ${a} vs ${b}`);
        }
      }
    }
  } finally {
    s.delete();
  }
});

test('a bad schedule is refused by the module with the CLI\'s message', () => {
  const s = new M.Session('rosenbrock', -1.5, 2);
  try {
    assert.throws(() => s.add('adagrad@onecycle:max_lr=0.1,total_steps=10'), /onecycle: cycle_momentum needs an optimizer with momentum or beta1/);
    assert.throws(() => M.validateSpec('adam@cosine'), /cosine: T_max is required/);
    s.add('adam@onecycle:max_lr=0.1,total_steps=10');
    s.step(11);
    assert.throws(() => s.step(1), /at most 11 steps/);
    assert.equal(s.steps(), 11);
  } finally {
    s.delete();
  }
});
