// The JSON descriptions the page builds itself from: registry and catalogue.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadDescent } from './load-module.mjs';

let M;
before(async () => {
  M = await loadDescent();
});

test('the registry describes every optimizer with ranges, scales, state names and LaTeX', () => {
  const registry = JSON.parse(M.registryJson());
  const ids = registry.map((o) => o.id);
  for (const id of ['sgd', 'momentum', 'adagrad', 'rmsprop', 'adam', 'adamw', 'nadam', 'radam',
    'adamax', 'adadelta', 'lion', 'momentum_ema', 'adam_nobc']) assert.ok(ids.includes(id), id);
  for (const o of registry) {
    assert.ok(o.name && o.summary && o.latex.includes('\\theta'), o.id);
    const lr = o.params.find((p) => p.key === 'lr');
    assert.equal(lr.scale, 'log', o.id);
    assert.equal(lr.max, null, `${o.id}: unbounded max is null`);
    for (const p of o.params) {
      // Every default is itself valid, so the page can start from it.
      assert.doesNotThrow(() => M.validateSpec(`${o.id}:${p.key}=${p.scale === 'bool' ? (p.default ? 'true' : 'false') : p.default}`), `${o.id}.${p.key}`);
    }
  }
  assert.deepEqual(registry.find((o) => o.id === 'adam').state, ['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq']);
  // The momentum arrow's buffer, named by the core (the page keeps no list of names).
  const firstMoment = (id) => { const o = registry.find((e) => e.id === id); return o.state[o.first_moment] ?? null; };
  assert.equal(firstMoment('adam'), 'exp_avg');
  assert.equal(firstMoment('momentum'), 'momentum_buffer');
  assert.equal(firstMoment('rmsprop'), 'momentum_buffer');
  assert.equal(firstMoment('adagrad'), null);
  assert.equal(firstMoment('adadelta'), null);
});

test('the catalogue lists minima and the local minima a descent can get stuck in', () => {
  const catalogue = JSON.parse(M.catalogueJson());
  const himmelblau = catalogue.find((s) => s.id === 'himmelblau');
  assert.equal(himmelblau.minima.length, 4);
  for (const m of himmelblau.minima) assert.ok(Math.abs(m.f) < 1e-12);
  const wells = catalogue.find((s) => s.id === 'gaussian_wells');
  assert.equal(wells.minima.length, 1);
  assert.equal(wells.local_minima.length, 1);
  assert.ok(wells.local_minima[0].f > wells.minima[0].f);
  assert.deepEqual(catalogue.find((s) => s.id === 'saddle').minima, []);
  const formula = JSON.parse(M.surfaceInfo('expr:x^2 + y^2'));
  assert.equal(formula.formula, 'x^2 + y^2');
  assert.throws(() => M.surfaceInfo('expr:sin(x'), /missing '\)' for the '\(' at column 4/);
});
