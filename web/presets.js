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
