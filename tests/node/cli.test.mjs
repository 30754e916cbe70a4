// The native `descent` command's promises read as a user reads them: `descent
// list` prints every hyperparameter with its default and range (the range the
// CLI then enforces), and `--format json` writes null where a diverging run's
// numbers are no longer finite. The WASM module's registry is the independent
// reference for the list.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { parse } from 'csv-parse/sync';
import { loadDescent, cliPath } from './load-module.mjs';

let registry;
before(async () => {
  registry = JSON.parse((await loadDescent()).registryJson());
});

const cli = (...args) => execFileSync(cliPath, args, { encoding: 'utf8', maxBuffer: 64 << 20 });

// `descent list`'s optimizer section -> { id: { key: { def, range } } }.
function listedOptimizers() {
  const text = cli('list');
  const section = text.slice(0, text.indexOf('\nSurfaces'));
  const listed = {};
  let current = null;
  for (const line of section.split('\n')) {
    const head = /^ {2}(\w+) {2}/.exec(line);
    if (head) { current = listed[head[1]] = {}; continue; }
    const param = /^ {6}(\w+) +(\S+) +(true\|false|[[(]\S+, \S+[\])]) /.exec(line);
    if (param) current[param[1]] = { def: param[2], range: param[3] };
  }
  return listed;
}

// A printed range, "[0, 1)" or "(0, inf)", as the registry's fields.
function readRange(text) {
  const [lo, hi] = text.slice(1, -1).split(', ');
  return { min: Number(lo), max: hi === 'inf' ? null : Number(hi), min_open: text[0] === '(', max_open: text.endsWith(')') };
}

// Exit status and stderr of a one-step run with this optimizer spec.
function tryRun(spec) {
  const r = spawnSync(cliPath, ['run', '--surface', 'quadratic', '--optimizer', spec, '--steps', '1'], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

test('descent list prints every hyperparameter with its default and range, and run enforces that range', () => {
  const listed = listedOptimizers();
  assert.deepEqual(Object.keys(listed), registry.map((o) => o.id), 'the registry\'s optimizers, in order');
  let probed = 0;
  for (const o of registry) {
    assert.deepEqual(Object.keys(listed[o.id]), o.params.map((p) => p.key), `${o.id}: its hyperparameters`);
    for (const p of o.params) {
      const shown = listed[o.id][p.key];
      const what = `${o.id}.${p.key}`;
      if (p.scale === 'bool') {
        assert.equal(shown.range, 'true|false', `${what}: range`);
        assert.equal(shown.def, p.default ? 'true' : 'false', `${what}: default`);
      } else {
        // An unbounded range prints as "inf)" whatever the registry's max_open.
        const range = readRange(shown.range);
        assert.deepEqual(range, { min: p.min, max: p.max, min_open: p.min_open, max_open: p.max === null || p.max_open },
          `${what}: range ${shown.range}`);
        assert.equal(Number(shown.def), p.default, `${what}: default ${shown.def}`);
      }
      // The default printed is accepted...
      assert.equal(tryRun(`${o.id}:${p.key}=${shown.def}`).status, 0, `${what}=${shown.def} (the default) is accepted`);
      if (p.scale === 'bool') continue;
      // ...and a value just outside each printed bound is refused with that range.
      const { min, max, min_open: minOpen, max_open: maxOpen } = readRange(shown.range);
      const nudge = (v) => 1e-6 * Math.max(1, Math.abs(v));
      const outside = [minOpen ? min : min - nudge(min)];
      if (max !== null) outside.push(maxOpen ? max : max + nudge(max));
      for (const v of outside) {
        const r = tryRun(`${o.id}:${p.key}=${v}`);
        assert.equal(r.status, 2, `${what}=${v} is outside ${shown.range}`);
        assert.match(r.stderr, new RegExp(`^descent: ${o.id}: ${p.key} must be `), `${what}=${v}: ${r.stderr}`);
        probed++;
      }
    }
  }
  assert.ok(probed > 40, `${probed} bounds probed`);
  // The five classics keep torch.optim's defaults (optimizer-spec.md); the page's SGD uses lr 1e-3.
  const defaults = (id) => Object.fromEntries(Object.entries(listed[id]).map(([k, v]) => [k, v.range === 'true|false' ? v.def : Number(v.def)]));
  assert.deepEqual(defaults('sgd'), { lr: 1e-3, momentum: 0, dampening: 0, nesterov: 'false', weight_decay: 0, maximize: 'false',
    moving_average: 'false' });
  assert.equal(defaults('momentum').momentum, 0.9);
  assert.deepEqual(defaults('adagrad'), { ...defaults('adagrad'), lr: 1e-2, lr_decay: 0, initial_accumulator_value: 0, eps: 1e-10 });
  assert.deepEqual(defaults('rmsprop'), { ...defaults('rmsprop'), lr: 1e-2, alpha: 0.99, eps: 1e-8, momentum: 0, centered: 'false' });
  assert.deepEqual(defaults('adam'), { ...defaults('adam'), lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, amsgrad: 'false' });
});

test('--format json writes null where a diverging run is no longer finite, and the same numbers as the CSV elsewhere', () => {
  const args = ['run', '--surface', 'quadratic', '--start', '-4,1.5', '--optimizer', 'sgd:lr=5',
    '--optimizer', 'sgd:lr=0.01', '--steps', '400'];
  const json = JSON.parse(cli(...args, '--format', 'json')); // NaN or Infinity would not parse
  const csv = parse(cli(...args, '--format', 'csv'), { columns: true });
  assert.equal(json.steps, 400);
  assert.deepEqual(json.runs.map((r) => r.optimizer), ['sgd:lr=5', 'sgd:lr=0.01']);
  const [bad, good] = json.runs;
  let nulls = 0;
  for (const run of json.runs) {
    const rows = csv.filter((row) => row.optimizer === run.optimizer);
    assert.equal(rows.length, 401);
    let firstNonFinite = null;
    for (const c of ['x', 'y', 'f']) {
      assert.equal(run[c].length, 401, `${run.optimizer} ${c}`);
      rows.forEach((row, k) => {
        const v = Number(row[c]); // the CSV writes nan, inf, -inf: Number() reads inf as NaN, which is enough here
        if (Number.isFinite(v)) assert.equal(run[c][k], v, `${run.optimizer} ${c}[${k}]`);
        else {
          assert.equal(run[c][k], null, `${run.optimizer} ${c}[${k}] is ${row[c]} in the CSV`);
          nulls++;
          if (firstNonFinite === null || k < firstNonFinite) firstNonFinite = k;
        }
      });
    }
    assert.equal(run.diverged_at, firstNonFinite, `${run.optimizer}: diverged_at is the first non-finite step`);
  }
  assert.ok(bad.diverged_at > 0 && bad.diverged_at < 400, `sgd:lr=5 diverged at ${bad.diverged_at}`);
  assert.ok(nulls >= 400 - bad.diverged_at, `${nulls} nulls`);
  assert.equal(good.diverged_at, null);
  assert.ok(good.x.every(Number.isFinite) && good.f.every(Number.isFinite), 'the other run stays finite');
});
