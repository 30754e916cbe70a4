// Default optimizer line-ups: the five classics with learning rates picked so
// that each surface stages an instructive race (checked over the 2,000-step
// budget from the catalogue's start point). Only settings live here; names,
// ranges and defaults come from the module's registry.
//
// Rosenbrock from (-1.5, 2.5): every method drops into the curved valley within
// a few dozen steps; then SGD and AdaGrad crawl along its flat floor, RMSProp
// gets close but keeps jittering at a fixed step size, Momentum and Adam reach
// the minimum at (1, 1). (SGD at lr 0.001, near 2 / curvature at the start,
// bounces across the steep walls for its first dozens of steps; 0.0008 does not.)
// Elongated quadratic from (-4, 1.5): SGD near its stability limit (2/10)
// zig-zags across the narrow axis; Momentum overshoots and spirals in; the
// adaptive methods rescale each axis and head more directly for the minimum.

const LINEUPS = {
  rosenbrock: [
    'sgd:lr=0.0008',
    'momentum:lr=0.001,momentum=0.9',
    'adagrad:lr=0.1',
    'rmsprop:lr=0.005',
    'adam:lr=0.05',
  ],
  quadratic: [
    'sgd:lr=0.18',
    'momentum:lr=0.02,momentum=0.9',
    'adagrad:lr=0.5',
    'rmsprop:lr=0.05',
    'adam:lr=0.1',
  ],
  // Values up to 1e6 on steep walls: SGD needs a tiny step and stops in the
  // local minimum at (-0.6, -0.4); Momentum and Adam reach the global one at (0, -1).
  goldstein_price: [
    'sgd:lr=0.0001',
    'momentum:lr=0.00003,momentum=0.9',
    'adagrad:lr=0.1',
    'rmsprop:lr=0.01',
    'adam:lr=0.05',
  ],
  beale: [
    'sgd:lr=0.01',
    'momentum:lr=0.003,momentum=0.9',
    'adagrad:lr=0.5',
    'rmsprop:lr=0.01',
    'adam:lr=0.05',
  ],
};

// For surfaces without a tuned line-up (new catalogue entries, typed formulas).
const FALLBACK = [
  'sgd:lr=0.01',
  'momentum:lr=0.01,momentum=0.9',
  'adagrad:lr=0.1',
  'rmsprop:lr=0.01',
  'adam:lr=0.05',
];

/** The optimizer specs to race on a surface. */
export function lineupFor(surfaceId) {
  return [...(LINEUPS[surfaceId] ?? FALLBACK)];
}

// Named line-ups for the presets menu: each stages one comparison a lecture
// makes. `specs(surfaceId)` gives the optimizer specs to race.
export const PRESETS = [
  { id: 'classics', name: 'The five classics', specs: (surface) => lineupFor(surface) },
  {
    id: 'nesterov', name: 'Momentum vs Nesterov',
    specs: () => ['momentum:lr=0.001,momentum=0.9', 'momentum:lr=0.001,momentum=0.9,nesterov=1'],
  },
  {
    id: 'moving_average', name: 'Heavy ball vs moving-average momentum (same path)',
    specs: () => ['momentum:lr=0.001,momentum=0.9', 'momentum_ema:lr=0.01,momentum=0.9'],
  },
  {
    id: 'bias_correction', name: 'Adam: bias correction on / off',
    specs: () => ['adam:lr=0.05', 'adam:lr=0.05,bias_correction=0'],
  },
  {
    id: 'adamw', name: 'AdamW vs Adam with L2',
    specs: () => ['adam:lr=0.05,weight_decay=0.5', 'adamw:lr=0.05,weight_decay=0.5'],
  },
  {
    id: 'eps_root', name: 'Epsilon outside / inside the root',
    specs: () => ['rmsprop:lr=0.01,eps=0.01', 'rmsprop:lr=0.01,eps=0.01,eps_inside_root=1'],
  },
  {
    id: 'rmsprop_decay', name: 'RMSProp decay 0.99 (torch) vs 0.9 (Hinton, Keras)',
    specs: () => ['rmsprop:lr=0.005', 'rmsprop:lr=0.005,alpha=0.9'],
  },
  {
    id: 'learning_rates', name: 'One method, three learning rates (Adam)',
    specs: () => ['adam:lr=0.3', 'adam:lr=0.03', 'adam:lr=0.003'],
  },
  {
    // On Rosenbrock from its start over the 2,000-step budget (descent run):
    // the constant rate reaches f = 1.5e-12, the cosine's falling rate slows
    // it down the long valley (f = 1.7e-4), the one-cycle warms up, then
    // anneals to far below (torch's OneCycleLR, its own rates; f = 1.9e-3).
    id: 'schedules', name: 'Learning-rate schedules: constant vs cosine vs one-cycle (Adam)',
    specs: () => ['adam:lr=0.05', 'adam:lr=0.05@cosine:T_max=2000', 'adam@onecycle:max_lr=0.05,total_steps=2000'],
  },
  {
    id: 'newer', name: 'Newer methods: NAdam, RAdam, Adamax, Adadelta, Lion',
    specs: () => ['nadam:lr=0.05', 'radam:lr=0.05', 'adamax:lr=0.05', 'adadelta:lr=1', 'lion:lr=0.005'],
  },
];
