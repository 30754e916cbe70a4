// The benchmark's plain-JavaScript column: the same workloads written the way a
// careful JavaScript programmer would, on Float32Arrays, with no WebAssembly.
// Arithmetic is in doubles (JavaScript numbers) stored to float32 arrays.

const ADAM = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

// One Adam step (torch semantics) over n parameters; t counts from 1.
export function adamStep(p, g, m, v, t, { lr, beta1, beta2, eps } = ADAM) {
  const bc1 = 1 - beta1 ** t;
  const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
  const stepSize = lr / bc1;
  for (let i = 0; i < p.length; i++) {
    const gi = g[i];
    const mi = beta1 * m[i] + (1 - beta1) * gi;
    const vi = beta2 * v[i] + (1 - beta2) * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] -= stepSize * mi / (Math.sqrt(vi) / bc2Sqrt + eps);
  }
}

export function rosenbrock(x, y) {
  const a = 1 - x;
  const b = y - x * x;
  return { f: a * a + 100 * b * b, dx: -2 * a - 400 * x * b, dy: 200 * b };
}

// A typed formula (+ - * / ^, parentheses, numbers, x, y) compiled to a tree of
// closures returning dual numbers {f, dx, dy}: forward-mode differentiation.
export function compileFormula(text) {
  const tokens = text.match(/\d+\.?\d*(?:e[+-]?\d+)?|[xy]|[-+*/^()]/g);
  let at = 0;
  const peek = () => tokens[at];
  const next = () => tokens[at++];
  const constant = (c) => () => ({ f: c, dx: 0, dy: 0 });
  function primary() {
    const t = next();
    if (t === '(') { const e = expression(); next(); return e; }
    if (t === 'x') return (x) => ({ f: x, dx: 1, dy: 0 });
    if (t === 'y') return (x, y) => ({ f: y, dx: 0, dy: 1 });
    return constant(Number(t));
  }
  function power() {
    const base = primary();
    if (peek() !== '^') return base;
    next();
    const n = Number(next());  // whole-number exponents only
    return (x, y) => {
      const a = base(x, y);
      const slope = n * a.f ** (n - 1);
      return { f: a.f ** n, dx: slope * a.dx, dy: slope * a.dy };
    };
  }
  function unary() {
    if (peek() !== '-') return power();
    next();
    const a = unary();
    return (x, y) => { const r = a(x, y); return { f: -r.f, dx: -r.dx, dy: -r.dy }; };
  }
  function term() {
    let left = unary();
    while (peek() === '*' || peek() === '/') {
      const op = next();
      const l = left;
      const r = unary();
      left = op === '*'
        ? (x, y) => { const a = l(x, y), b = r(x, y); return { f: a.f * b.f, dx: a.dx * b.f + a.f * b.dx, dy: a.dy * b.f + a.f * b.dy }; }
        : (x, y) => { const a = l(x, y), b = r(x, y), q = a.f / b.f; return { f: q, dx: (a.dx - q * b.dx) / b.f, dy: (a.dy - q * b.dy) / b.f }; };
    }
    return left;
  }
  function expression() {
    let left = term();
    while (peek() === '+' || peek() === '-') {
      const sign = next() === '+' ? 1 : -1;
      const l = left;
      const r = term();
      left = (x, y) => { const a = l(x, y), b = r(x, y); return { f: a.f + sign * b.f, dx: a.dx + sign * b.dx, dy: a.dy + sign * b.dy }; };
    }
    return left;
  }
  return expression();
}

// n particles, each a 2-parameter Adam run on `surface` (x, y) -> {f, dx, dy},
// `steps` steps; a particle whose value or gradient is not finite stops.
export function particles(surface, xs, ys, steps, hyper = { ...ADAM, lr: 0.01 }) {
  const n = xs.length;
  const mx = new Float32Array(n), my = new Float32Array(n), vx = new Float32Array(n), vy = new Float32Array(n);
  const live = new Uint8Array(n).fill(1);
  const { lr, beta1, beta2, eps } = hyper;
  for (let t = 1; t <= steps; t++) {
    const stepSize = lr / (1 - beta1 ** t);
    const bc2Sqrt = Math.sqrt(1 - beta2 ** t);
    for (let i = 0; i < n; i++) {
      if (!live[i]) continue;
      const e = surface(xs[i], ys[i]);
      if (!Number.isFinite(e.f) || !Number.isFinite(e.dx) || !Number.isFinite(e.dy)) { live[i] = 0; continue; }
      const m1 = beta1 * mx[i] + (1 - beta1) * e.dx, m2 = beta1 * my[i] + (1 - beta1) * e.dy;
      const v1 = beta2 * vx[i] + (1 - beta2) * e.dx * e.dx, v2 = beta2 * vy[i] + (1 - beta2) * e.dy * e.dy;
      mx[i] = m1; my[i] = m2; vx[i] = v1; vy[i] = v2;
      xs[i] -= stepSize * m1 / (Math.sqrt(v1) / bc2Sqrt + eps);
      ys[i] -= stepSize * m2 / (Math.sqrt(v2) / bc2Sqrt + eps);
    }
  }
  return live;
}

// f over an nx x ny grid of cell centres, row 0 at y1.
export function heatMap(surface, x0, x1, y0, y1, nx, ny, out = new Float32Array(nx * ny)) {
  for (let r = 0; r < ny; r++) {
    const y = y1 - (r + 0.5) * (y1 - y0) / ny;
    for (let c = 0; c < nx; c++) out[r * nx + c] = surface(x0 + (c + 0.5) * (x1 - x0) / nx, y).f;
  }
  return out;
}

// Loss plus gradient of a two-parameter model over samples xs, ys (typed
// arrays): the sums of the loss term and of its d/dw and d/db parts, as the
// models' batch kernels return them (cpp/models/batch_kernels.h).

// Linear regression, squared error: residual r = w x + b - y; terms r^2, r x, r.
export function lossGradLinear(xs, ys, w, b) {
  let loss = 0, gw = 0, gb = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    const r = w * x + b - ys[i];
    loss += r * r;
    gw += r * x;
    gb += r;
  }
  return [loss, gw, gb];
}

// Logistic regression, cross-entropy of p = sigmoid(z), z = w x + b, label y:
// loss softplus(z) - y z (softplus written so that it never overflows), and
// (p - y) x, (p - y).
export function lossGradLogistic(xs, ys, w, b) {
  let loss = 0, gw = 0, gb = 0;
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    const y = ys[i];
    const z = w * x + b;
    const e = Math.exp(-Math.abs(z));
    const softplus = (z > 0 ? z : 0) + Math.log1p(e);
    const p = z >= 0 ? 1 / (1 + e) : e / (1 + e);
    const d = p - y;
    loss += softplus - y * z;
    gw += d * x;
    gb += d;
  }
  return [loss, gw, gb];
}
