// The explore page's pool of batch workers (web/explore/worker.js), one WASM
// module instance each, sized by navigator.hardwareConcurrency (at most
// MAX_WORKERS; `?workers=N` in the page's URL overrides it, for tests and the
// benchmark). Particle clouds and basin maps are split into contiguous bands
// (particles by index, maps by rows), one per worker, and put back together in
// order; every point runs the same kernels from the same start in any band, so
// the result has the bits one worker gives (tests/browser/batch.test.mjs
// compares them). No SharedArrayBuffer: bands travel as transferred copies, so
// the page needs no cross-origin isolation.
//
// The rest (heat map, formula checks, single trajectories) is small and goes to
// the first worker.
const MAX_WORKERS = 8;
const MAX_REQUESTED = 16;

// The pool size: ?workers=N (1 to 16) if given, else the cores the browser
// reports, at most MAX_WORKERS.
export function poolSize(search = location.search) {
  const asked = new URLSearchParams(search).get('workers');
  if (asked !== null) {
    const n = Number(asked);
    if (Number.isInteger(n) && n >= 1 && n <= MAX_REQUESTED) return n;
  }
  const cores = Number(navigator.hardwareConcurrency) || 1;
  return Math.max(1, Math.min(MAX_WORKERS, cores));
}

// Contiguous bands of `total` items over at most `parts` workers, sizes
// differing by at most one, none empty: [{ start, count }].
export function bands(total, parts) {
  const n = Math.max(1, Math.min(parts, total));
  const out = [];
  let start = 0;
  for (let i = 0; i < n; ++i) {
    const count = Math.floor(total / n) + (i < total % n ? 1 : 0);
    if (count > 0) out.push({ start, count });
    start += count;
  }
  return out;
}

function concat(parts, Type) {
  const out = new Type(parts.reduce((sum, p) => sum + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
const sum = (values) => values.reduce((a, b) => a + b, 0);

// Uniform random starts over the box from a small seeded generator (mulberry32).
function randomStarts(n, box, seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const xs = new Float32Array(n);
  const ys = new Float32Array(n);
  for (let i = 0; i < n; ++i) {
    xs[i] = box.x_min + next() * (box.x_max - box.x_min);
    ys[i] = box.y_min + next() * (box.y_max - box.y_min);
  }
  return { xs, ys };
}

// One worker and its request/reply bookkeeping: every reply carries its request's id.
class Channel {
  constructor(onFatal) {
    this.worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    this.pending = new Map(); // id -> { resolve, reject, onProgress }
    this.nextId = 1;
    this.worker.onmessage = ({ data }) => {
      const entry = this.pending.get(data.id);
      if (!entry) return; // a reply to a request given up on (a cancelled basin map)
      if (data.type === 'basin-progress' || data.type === 'sweep-progress') {
        entry.onProgress?.(data);
        return;
      }
      this.pending.delete(data.id);
      if (data.type === 'error') entry.reject(new Error(data.message));
      else entry.resolve(data);
    };
    this.worker.onerror = (event) => onFatal(event.message || 'worker error');
  }

  // The reply's promise; `id` names the request for drop().
  request(type, payload = {}, onProgress, transfer = []) {
    const id = this.nextId++;
    const promise = new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      this.worker.postMessage({ type, id, ...payload }, transfer);
    });
    promise.id = id;
    return promise;
  }

  post(type, payload = {}) {
    this.worker.postMessage({ type, id: this.nextId++, ...payload });
  }

  // Forgets a request: its reply, if one still comes, is ignored.
  drop(id) {
    this.pending.delete(id);
  }
}

class Cancelled extends Error {
  constructor() {
    super('cancelled');
  }
}

export class WorkerPool {
  // onFatal(detail): a worker failed to start or crashed.
  constructor(size, onFatal) {
    this.channels = Array.from({ length: size }, () => new Channel(onFatal));
    this.particleChannels = []; // the workers holding the cloud shown, in band order
    this.basinJob = null; // { generation, requests: [[channel, id]], reject }
    this.basinGeneration = 0;
    this.sweepJob = null; // { requests: [[channel, id]], reject }
  }

  get size() {
    return this.channels.length;
  }

  // Loads the module in every worker; answers the first one's ready reply.
  async init(options) {
    const replies = await Promise.all(this.channels.map((c) => c.request('init', options)));
    return replies[0];
  }

  // A request for the first worker (heatmap, surface, trajectory).
  request(type, payload, onProgress) {
    return this.channels[0].request(type, payload, onProgress);
  }

  // New clouds of n seeded random starts, one per spec, the same starts for all,
  // split over the workers: { runId, frame } as worker.js's particles reply.
  async particles({ runId, surface, specs, n, seed, box }) {
    const { xs, ys } = randomStarts(n, box, seed);
    const parts = bands(n, this.size);
    this.particleChannels = this.channels.slice(0, parts.length);
    for (const idle of this.channels.slice(parts.length)) idle.post('particles-stop');
    const replies = await Promise.all(parts.map(({ start, count }, i) => {
      const bandXs = xs.slice(start, start + count);
      const bandYs = ys.slice(start, start + count);
      return this.particleChannels[i].request('particles', { runId, surface, specs, xs: bandXs, ys: bandYs }, null,
        [bandXs.buffer, bandYs.buffer]);
    }));
    return { type: 'particles', runId, frame: mergeFrames(replies.map((r) => r.frame)) };
  }

  // k more steps of every band of the clouds; particles-stale if the run changed meanwhile.
  async particlesStep({ runId, k }) {
    if (!this.particleChannels.length) return { type: 'particles-stale', runId };
    const replies = await Promise.all(this.particleChannels.map((c) => c.request('particles-step', { runId, k })));
    if (replies.some((r) => r.type !== 'particles' || r.runId !== runId)) return { type: 'particles-stale', runId };
    return { type: 'particles', runId, frame: mergeFrames(replies.map((r) => r.frame)) };
  }

  // A basin map split into bands of rows: { maps, minima } as worker.js's
  // basin reply was for the whole grid. onProgress({ done, total }) in
  // point-steps over all workers. Rejects with Error('cancelled') on cancel().
  basin({ surface, specs, box, nx, ny, k, radius, maxMinima }, onProgress) {
    this.cancelBasin();
    const generation = ++this.basinGeneration;
    return new Promise((resolve, reject) => {
      const job = { generation, requests: [], reject };
      this.basinJob = job;
      const track = tracker(job);
      const parts = bands(ny, this.size);
      const done = parts.map(() => 0);
      const total = k * specs.length * nx * ny;
      const progressOf = (i) => (reply) => {
        done[i] = reply.done * nx * parts[i].count;
        onProgress?.({ done: sum(done), total });
      };
      const live = () => this.basinJob === job;
      (async () => {
        const replies = await Promise.all(parts.map(({ start, count }, i) => track(this.channels[i],
          this.channels[i].request('basin', { surface, specs, box, nx, ny, firstRow: start, rows: count, k, radius },
            progressOf(i)))));
        if (!live()) return;
        let { minima } = replies[0];
        let labels; // [band][spec]
        if (minima) {
          labels = replies.map((r) => r.maps.map((m) => m.labels));
        } else {
          // No known minima (a typed formula): find them from every band's end
          // points, in the grid's order, then classify each band against them.
          const ends = specs.map((_, s) => {
            const of = (key, Type) => concat(replies.map((r) => r.maps[s].ends[key]), Type);
            return { xs: of('xs', Float32Array), ys: of('ys', Float32Array), values: of('values', Float32Array),
              live: of('live', Uint32Array), converged: of('converged', Uint32Array) };
          });
          minima = (await track(this.channels[0],
            this.channels[0].request('find-minima', { ends, radius, maxMinima }))).minima;
          if (!live()) return;
          const points = minima.map(({ x, y }) => ({ x, y }));
          const classified = await Promise.all(parts.map((_, i) => track(this.channels[i],
            this.channels[i].request('basin-classify', { minima: points, radius }))));
          if (!live()) return;
          labels = classified.map((r) => r.labels);
        }
        const maps = specs.map((spec, s) => ({
          spec,
          labels: concat(labels.map((band) => band[s]), Int32Array),
          steps: concat(replies.map((r) => r.maps[s].steps), Uint32Array),
          converged: sum(replies.map((r) => r.maps[s].converged)),
          diverged: sum(replies.map((r) => r.maps[s].diverged)),
        }));
        this.basinJob = null;
        resolve({ maps, minima });
      })().catch((error) => {
        if (!live()) return;
        this.cancelBasin();
        reject(error);
      });
    });
  }

  // Stops the running basin map in every worker at once; its promise rejects
  // with Error('cancelled').
  cancelBasin() {
    this.#cancel('basinJob', 'cancel');
  }

  // A hyperparameter map (worker.js sweep-plan, sweep): the plan from the first
  // worker, then the grid's rows in contiguous bands, one per worker (every cell
  // is its own run, so the bands give the cells one worker would). When steps:TOL
  // needs f* from the cells (no known minimum), a first pass over every cell
  // finds it, as descent sweep does. Resolves { plan, cells } (cells: 4 doubles
  // per cell in grid order, worker.js's sweep reply); onProgress({ done, total,
  // plan, partial }) in cells over both passes, partial { first, cells } the
  // final pass's cells just computed (or null); rejects with Error('cancelled') on cancelSweep().
  sweep(settings, onProgress) {
    this.cancelSweep();
    return new Promise((resolve, reject) => {
      const job = { requests: [], reject };
      this.sweepJob = job;
      const live = () => this.sweepJob === job;
      const track = tracker(job);
      (async () => {
        const { plan } = await track(this.channels[0], this.channels[0].request('sweep-plan', settings));
        if (!live()) return;
        const parts = bands(plan.rows, this.size).map(({ start, count }) => ({ first: start * plan.cols, count: count * plan.cols }));
        const cellCount = plan.rows * plan.cols;
        const passes = plan.needs_f_star_pass ? 2 : 1;
        let passDone = 0;
        const runPass = async (fStar) => {
          const done = parts.map(() => 0);
          const replies = await Promise.all(parts.map(({ first, count }, i) => track(this.channels[i],
            this.channels[i].request('sweep', { ...settings, first, count, fStar }, (p) => {
              done[i] = p.done;
              // The last pass's cells as they come (the first pass's values are not the metric's yet).
              const partial = passDone + cellCount === passes * cellCount && p.cells ? { first: p.first, cells: p.cells } : null;
              onProgress?.({ done: passDone + sum(done), total: passes * cellCount, plan, partial });
            }))));
          passDone += cellCount;
          return concat(replies.map((r) => r.cells), Float64Array);
        };
        let fStar = plan.known_f_star ?? NaN;
        if (plan.needs_f_star_pass) {
          const first = await runPass(NaN);
          if (!live()) return;
          // session/sweep.cpp sweep_f_star: the lowest finite best f of any cell (inf when none).
          fStar = Infinity;
          for (let c = 0; c < cellCount; ++c) if (Number.isFinite(first[4 * c + 3])) fStar = Math.min(fStar, first[4 * c + 3]);
        }
        const cells = await runPass(fStar);
        if (!live()) return;
        this.sweepJob = null;
        resolve({ plan, cells, fStar });
      })().catch((error) => {
        if (!live()) return;
        this.sweepJob = null;
        for (const channel of this.channels) channel.post('sweep-cancel'); // the other bands stop too
        reject(error);
      });
    });
  }

  // Stops the running hyperparameter map in every worker; its promise rejects with Error('cancelled').
  cancelSweep() {
    this.#cancel('sweepJob', 'sweep-cancel');
  }

  // Stops the job in this[key] (basinJob or sweepJob): drops its requests, sends
  // every worker `message` (its cancel) and rejects its promise with Error('cancelled').
  #cancel(key, message) {
    const job = this[key];
    if (!job) return;
    this[key] = null;
    for (const [channel, id] of job.requests) channel.drop(id);
    for (const channel of this.channels) channel.post(message);
    job.reject(new Cancelled());
  }
}

// Records each request of a job, so cancelling it can drop them: (channel,
// promise) -> promise.
function tracker(job) {
  return (channel, promise) => {
    job.requests.push([channel, promise.id]);
    return promise;
  };
}

// The bands' frames as one: clouds in band order, counts summed.
function mergeFrames(frames) {
  const [first] = frames;
  return {
    steps: first.steps,
    clouds: first.clouds.map((cloud, i) => ({
      spec: cloud.spec,
      compiled: cloud.compiled,
      xs: concat(frames.map((f) => f.clouds[i].xs), Float32Array),
      ys: concat(frames.map((f) => f.clouds[i].ys), Float32Array),
      converged: sum(frames.map((f) => f.clouds[i].converged)),
      diverged: sum(frames.map((f) => f.clouds[i].diverged)),
    })),
  };
}
