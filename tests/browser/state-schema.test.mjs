// The page's state schema (web/state-schema.js) and the spec grammar's parser
// (web/format.js) under Node: every field's range is enforced with a message
// naming the field, by setState's check, the link codec and the widget's
// attributes alike; a full state survives the link and the attributes; the
// hash's fields and the widget's attributes are the table's rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { SCHEMA, FIELDS, SETTING_KEYS, LOCKABLE, LOCKED_NAMES, LIMITS, valueProblem, expectedOf, defaultState } from '../../web/state-schema.js';
import { encodeState, decodeState, normaliseState, checksum } from '../../web/hash.js';
import { ATTRIBUTES, parseAttributes, attributesOf } from '../../web/widget/attributes.js';
import { parseSpec, composeSpec, withSetting, withoutSetting, scheduleStages, SPEC, OPTIMIZER_SPEC } from '../../web/format.js';

// A state with every field away from its default.
const FULL = {
  surface: 'quadratic:kappa=100',
  start: [-1.25, 0.000123456789012],
  noise: { scale: 0.5, seed: 42 },
  step: 37,
  speed: 10,
  budget: 500,
  view: { x_min: -2, x_max: 2, y_min: -1, y_max: 3 },
  selected: 2,
  arrows: 'gm',
  chart: 'rate',
  instances: [
    { spec: 'adam:lr=0.1@linear:start_factor=0.1,total_iters=20+cosine:T_max=80', colour: 0, hidden: false, name: 'warm~up' },
    { spec: 'momentum:lr=0.001,momentum=0.9,nesterov=1', colour: '#d55e00', hidden: true, name: '' },
    { spec: 'sgd:lr=0.01@multistep:milestones=10/30,gamma=0.5', colour: 7, hidden: false, name: 'x'.repeat(LIMITS.MAX_NAME) },
  ],
};

// Values just inside and just outside each field's range, from the row itself.
function edges(f) {
  switch (f.type) {
    case 'whole': return { good: [f.min, f.max], bad: [f.min - 1, f.max + 1, f.min + 0.5, Number.NaN] };
    case 'choice': return { good: f.choices, bad: ['', `${f.choices[0]}s`, 3] };
    case 'letters': return { good: ['', f.letters, f.letters[0]], bad: ['x', f.letters + f.letters[0], 1] };
    case 'point': return { good: [[0, 0], [-1e300, 1e-300]], bad: [[1], [1, Number.NaN], [1, Infinity], 'somewhere'] };
    case 'box': return { good: [null, { x_min: -1, x_max: 1, y_min: 0, y_max: 1e-9 }],
      bad: [{ x_min: 1, x_max: -1, y_min: 0, y_max: 1 }, { x_min: -1, x_max: 1, y_min: 0, y_max: 0 }] };
    case 'noise': return { good: [{ scale: 0, seed: 0 }, { scale: 3.5, seed: f.maxSeed }],
      bad: [{ scale: -1, seed: 1 }, { scale: 0, seed: -1 }, { scale: 0, seed: 1.5 }, { scale: 0, seed: f.maxSeed + 2 }] };
    case 'surface': return { good: ['rosenbrock', `expr:${'x'.repeat(f.maxFormula)}`, `a:k=${'1'.repeat(f.maxSpec - 4)}`],
      bad: ['Rosenbrock', 'expr:', `expr:${'x'.repeat(f.maxFormula + 1)}`, `a:k=${'1'.repeat(f.maxSpec - 3)}`, 'rosenbrock:kappa'] };
    case 'instances': {
      const one = (o) => [{ spec: 'adam', colour: 0, hidden: false, name: '', ...o }];
      return {
        good: [[], one({ colour: f.maxColour }), one({ colour: '#abcdef', name: 'n'.repeat(f.maxName) }),
          Array.from({ length: f.max }, (_, i) => one({ colour: i })[0])],
        bad: [Array.from({ length: f.max + 1 }, (_, i) => one({ colour: i })[0]), one({ spec: 'adam:lr' }), one({ spec: 'adam@' }),
          one({ spec: `sgd:lr=${'1'.repeat(f.maxSpec)}` }), one({ colour: f.maxColour + 1 }), one({ colour: 'red' }),
          one({ hidden: 1 }), one({ name: 'n'.repeat(f.maxName + 1) })],
      };
    }
    default: throw new Error(`no edges for type ${f.type}`);
  }
}

test('every field of the schema: its range enforced with a message naming the field, in setState, links and attributes', () => {
  for (const f of SCHEMA) {
    const { good, bad } = edges(f);
    let linkRefusals = 0;
    // Every instance there may be, so any selected one exists.
    const base = { ...FULL, instances: Array.from({ length: LIMITS.MAX_INSTANCES }, (_, i) => FULL.instances[i % 3]) };
    for (const value of good) {
      assert.equal(valueProblem(f.key, value), null, `${f.key} = ${JSON.stringify(value)}`);
      const back = decodeState(encodeState({ ...base, [f.key]: value }));
      assert.equal(back.ok, true, `${f.key} = ${JSON.stringify(value)}: ${back.error}`);
      if (f.key !== 'instances') assert.deepEqual(back.state[f.key], value, `${f.key} through a link`);
    }
    for (const value of bad) {
      const problem = valueProblem(f.key, value);
      assert.ok(problem?.startsWith(`"${f.key}": expected ${expectedOf(f.key)}, got `), `${f.key} = ${JSON.stringify(value)}: ${problem}`);
      // setState names the key it was given, whatever else is wrong.
      const refused = normaliseState({ ...FULL, [f.key]: value }, [f.key]);
      assert.equal(refused.ok, false, `setState({ ${f.key}: ${JSON.stringify(value)} })`);
      assert.equal(refused.error, problem);
      // A link that carries the value is refused, naming the field; a value
      // whose text is a valid one (hidden: 1 is written 1) comes back valid.
      let hash = null;
      try { hash = encodeState({ ...FULL, [f.key]: value }); } catch { /* not even writable: setState's case above */ }
      const link = hash && decodeState(hash);
      if (link?.ok) {
        assert.equal(valueProblem(f.key, link.state[f.key]), null);
        assert.notDeepEqual(link.state[f.key], value);
      } else if (link) {
        linkRefusals++;
        assert.match(link.error, f.type === 'instances' ? /optimizer/ : new RegExp(`the ${f.title.replace(/[()]/g, '\\$&')} in the link`));
      }
    }
    assert.ok(linkRefusals > 0, `links refuse a bad ${f.key}`);
  }
  // The whole-number fields as a lecturer writes them: the same bounds, the attribute named.
  for (const f of SCHEMA.filter((g) => g.type === 'whole')) {
    const name = f.attributes[0];
    for (const n of [f.min, f.max]) assert.deepEqual(parseAttributes((a) => (a === name ? ` ${n} ` : null)).patch[f.key], n);
    for (const n of [f.min - 1, f.max + 1]) {
      const { patch, problems } = parseAttributes((a) => (a === name ? String(n) : null));
      assert.equal(patch[f.key], undefined);
      assert.deepEqual(problems, [`${name}: expected a whole number from ${f.min} to ${f.max}, got "${n}"`]);
    }
  }
  assert.match(valueProblem('budgte', 5), /"budgte" is not a part of the state/);
});

test('a full state survives the link and the widget attributes exactly', () => {
  const hash = encodeState(FULL);
  const back = decodeState(hash);
  assert.equal(back.ok, true, back.error);
  assert.deepEqual(back.state, FULL);
  assert.equal(encodeState(back.state), hash, 'writing what was read gives the same link');
  // Changing any byte of the body is caught by the checksum.
  assert.match(decodeState(hash.replace('budget=500', 'budget=501')).error, /checksum/);

  const pairs = new Map(attributesOf(FULL));
  const fromAttributes = parseAttributes((name) => pairs.get(name) ?? null);
  assert.deepEqual(fromAttributes.problems, []);
  assert.deepEqual(fromAttributes.patch, FULL);
  // Defaults are left out of the attributes and come back as the defaults.
  const plain = { ...defaultState(), start: [1, 2], instances: [{ spec: 'sgd', colour: 0, hidden: false, name: '' }] };
  delete plain.playing;
  const written = attributesOf(plain).map(([name]) => name);
  assert.deepEqual(written, ['surface', 'start', 'optimizers', 'controls']);
  const plainPairs = new Map(attributesOf(plain));
  const again = parseAttributes((name) => plainPairs.get(name) ?? null).patch;
  assert.deepEqual({ ...defaultState(), ...again, playing: undefined }, { ...plain, playing: undefined });
  // setState's normalisation is the link's: numbers as links write them.
  assert.deepEqual(normaliseState({ ...FULL, start: [0.1 + 0.2, 1] }).state.start, [0.3, 1]);
  assert.equal(normaliseState({ ...FULL, selected: 11 }).state.selected, FULL.instances.length - 1, 'the selected instance exists');
});

test('the hash fields, the widget attributes, the setting keys and the lockable parts are the table\'s rows', () => {
  const params = [...new URLSearchParams(encodeState(FULL).slice(1)).keys()];
  assert.deepEqual([...new Set(params)], ['v', ...SCHEMA.map((f) => f.hash), 'c'], 'one link parameter per row, in the table\'s order');
  for (const f of SCHEMA) {
    for (const name of f.attributes) assert.ok(ATTRIBUTES.includes(name), `${f.key}'s attribute ${name} is observed`);
    assert.deepEqual(defaultState()[f.key], f.default, `${f.key}'s default`);
  }
  const stateAttributes = ATTRIBUTES.filter((name) => !['state', 'autoplay', 'controls', 'height', 'theme', 'locked', 'loading'].includes(name));
  assert.deepEqual(stateAttributes, SCHEMA.flatMap((f) => f.attributes), 'every state attribute is a row\'s');
  for (const [name] of attributesOf(FULL)) assert.ok(name === 'controls' || SCHEMA.some((f) => f.attributes.includes(name)), name);
  assert.deepEqual(SETTING_KEYS, SCHEMA.map((f) => f.key).filter((key) => key !== 'step'));
  assert.deepEqual(LOCKABLE, ['surface', 'start', 'noise', 'steps', 'optimizers']);
  for (const part of LOCKABLE) assert.equal(typeof LOCKED_NAMES[part], 'string');
  // The widget package's README documents each attribute in its table.
  const readme = fs.readFileSync(new URL('../../build-scripts/package/README.md', import.meta.url), 'utf8');
  const rows = readme.split('\n').filter((line) => line.startsWith('| `'));
  for (const name of ATTRIBUTES) assert.ok(rows.some((row) => row.split('|')[1].includes(`\`${name}\``)), `the README's table has ${name}`);
  assert.deepEqual(FIELDS.chart.choices, LIMITS.CHARTS);
  assert.equal(LIMITS.MAX_INSTANCES, FIELDS.instances.max);
  // A link may leave out the fields added after links existed: their defaults.
  const body = new URLSearchParams(encodeState(FULL).slice(1).replace(/&c=.*$/, ''));
  for (const key of ['view', 'arrows', 'chart']) body.delete(key);
  const old = decodeState(`#${body}&c=${checksum(body.toString())}`);
  assert.equal(old.ok, true, old.error);
  assert.deepEqual([old.state.view, old.state.arrows, old.state.chart], [null, '', 'loss']);
});

test('parseSpec reads ID[:key=value,...][@SCHEDULE]; composeSpec writes it back', () => {
  const cases = [
    ['sgd', { id: 'sgd', settings: [], schedule: '' }],
    ['adam:lr=0.05,beta2=0.99', { id: 'adam', settings: [['lr', '0.05'], ['beta2', '0.99']], schedule: '' }],
    ['adam@cosine:T_max=100', { id: 'adam', settings: [], schedule: 'cosine:T_max=100' }],
    ['adam:lr=0.1@linear:start_factor=0.1,total_iters=20+cosine:T_max=80',
      { id: 'adam', settings: [['lr', '0.1']], schedule: 'linear:start_factor=0.1,total_iters=20+cosine:T_max=80' }],
    ['sgd:lr=1e+2@multistep:milestones=30/80,gamma=0.5', { id: 'sgd', settings: [['lr', '1e+2']], schedule: 'multistep:milestones=30/80,gamma=0.5' }],
  ];
  for (const [spec, parsed] of cases) {
    assert.deepEqual(parseSpec(spec), parsed, spec);
    assert.equal(composeSpec(parsed.id, parsed.settings, parsed.schedule), spec, `${spec} written back`);
    assert.ok(OPTIMIZER_SPEC.test(spec), spec);
  }
  assert.deepEqual(scheduleStages('linear:start_factor=0.1,total_iters=20+cosine:T_max=80,eta_min=1e+0'),
    ['linear:start_factor=0.1,total_iters=20', 'cosine:T_max=80,eta_min=1e+0'], 'a stage ends at + before an id, not in 1e+0');
  assert.deepEqual(scheduleStages(''), []);
  // A stage has the same grammar as a spec's head.
  assert.deepEqual(parseSpec(scheduleStages('cyclic:base_lr=0.001,mode=triangular2+cosine')[0]),
    { id: 'cyclic', settings: [['base_lr', '0.001'], ['mode', 'triangular2']], schedule: '' });
  // One setting changed in place or added last; the schedule kept.
  assert.equal(withSetting('adam:lr=0.1,beta1=0.9@cosine:T_max=100', 'lr', 0.5), 'adam:lr=0.5,beta1=0.9@cosine:T_max=100');
  assert.equal(withSetting('adam@cosine:T_max=100', 'beta2', '0.99'), 'adam:beta2=0.99@cosine:T_max=100');
  assert.equal(withSetting('sgd', 'lr', 0.01), 'sgd:lr=0.01');
  assert.equal(withoutSetting('adam:lr=0.1,beta1=0.9@step:step_size=5', 'lr'), 'adam:beta1=0.9@step:step_size=5');
  assert.equal(withoutSetting('adam:lr=0.1', 'lr'), 'adam');
});

test('malformed specs: parseSpec never throws and keeps what was written; the grammar refuses them, and so do links', () => {
  const malformed = ['', 'adam:', 'adam:lr', 'adam:lr=', 'adam:=1', 'adam:,lr=1', 'adam@', 'adam@@cosine', ':lr=1', 'Adam', 'adam lr=1',
    'adam:lr=0.1;alert(1)', 'adam@cosine:T_max=<b>', 'adam:lr=1=2', '1adam', 'adam:lr=0.1@'];
  for (const spec of malformed) {
    const parsed = parseSpec(spec);
    assert.equal(typeof parsed.id, 'string', spec);
    assert.ok(Array.isArray(parsed.settings) && typeof parsed.schedule === 'string', spec);
    assert.equal(OPTIMIZER_SPEC.test(spec), false, `${JSON.stringify(spec)} is not a spec`);
    const link = decodeState(encodeState({ ...FULL, instances: [{ spec, colour: 0, hidden: false, name: '' }] }));
    assert.equal(link.ok, false, spec);
    assert.match(link.error, /optimizer 1 in the link is not valid: the spec/);
    if (spec.includes(';')) continue; // in an attribute, ';' separates optimizers
    const { patch, problems } = parseAttributes((name) => (name === 'optimizers' ? spec || ' ' : null));
    assert.deepEqual(patch.instances, [], spec);
    if (spec.trim()) assert.match(problems[0], /is not a spec like adam:lr=0.05/, spec);
  }
  // What the user wrote comes back as written, so the core's message names it.
  assert.deepEqual(parseSpec('adam:lr'), { id: 'adam', settings: [['lr']], schedule: '' });
  assert.equal(composeSpec('adam', parseSpec('adam:lr').settings), 'adam:lr');
  assert.deepEqual(parseSpec('adam:lr=1=2').settings, [['lr', '1=2']]);
  assert.deepEqual(parseSpec(' adam : lr = 0.1 ').settings, [['lr', '0.1']], 'spaces around the parts are dropped');
  // Surfaces: the grammar without a schedule.
  assert.equal(SPEC.test('quadratic:kappa=1e3'), true);
  assert.equal(SPEC.test('quadratic@cosine'), false);
});
