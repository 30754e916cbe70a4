// The training page's engine: the one module holding the WASM module, the
// current data set and the ModelTrainer. Everything it hands out is a copy
// (plain values, typed arrays owned by JavaScript), never a view into WASM
// memory that a later call could invalidate. A change that the module refuses
// (bad CSV, a model that does not fit the data, a bad optimizer setting)
// throws and leaves the previous data set and trainer in place.

export class TrainEngine {
  #M;
  #data = null; // M.Dataset
  #trainer = null; // M.ModelTrainer
  #config = null; // { model, precision, l2, batch, replacement, seed, specs }
  #specErrors = [];

  constructor(M) {
    this.#M = M;
    this.registry = JSON.parse(M.registryJson());
    this.models = JSON.parse(M.modelsJson());
  }

  /** Parses a data set (generated spec or CSV text) without using it. Throws the core's message. */
  parseData(source) {
    return source.csv !== undefined ? this.#M.datasetFromCsv(source.csv) : this.#M.datasetFromSpec(source.spec);
  }

  /**
   * Trains on `data` (from parseData, or null for the current one) with
   * `config`. Optimizer specs the module refuses are reported per spec and
   * left out; anything else refused throws and changes nothing.
   */
  use(data, config) {
    const dataset = data ?? this.#data;
    const trainer = new this.#M.ModelTrainer(dataset, {
      model: config.model, precision: config.precision, l2: config.l2,
      batch: config.batch, replacement: config.replacement, seed: config.seed,
    });
    const specErrors = config.specs.map((spec) => {
      try {
        trainer.add(spec);
        return null;
      } catch (error) {
        return error.message;
      }
    });
    this.#trainer?.delete();
    if (data && data !== this.#data) this.#data?.delete();
    this.#trainer = trainer;
    this.#data = dataset;
    this.#config = config;
    this.#specErrors = specErrors;
    return specErrors;
  }

  get config() { return this.#config; }
  get specErrors() { return this.#specErrors; }

  dataset() {
    const d = this.#data;
    return { size: d.size(), source: d.source(), name: d.name(), classes: d.classes() };
  }
  /** Copies of the samples: at most `limit` of them, evenly strided, for drawing. */
  samples(limit = Infinity) {
    const xs = this.#data.xs();
    const ys = this.#data.ys();
    const stride = Math.max(1, Math.ceil(xs.length / limit));
    const n = Math.ceil(xs.length / stride);
    const outX = new Float64Array(n);
    const outY = new Float64Array(n);
    for (let i = 0, k = 0; i < xs.length; i += stride, ++k) {
      outX[k] = xs[i];
      outY[k] = ys[i];
    }
    return { xs: outX, ys: outY, stride };
  }
  /** The samples of mini-batch `step` (at most `limit`). */
  batchSamples(step, limit = 2000) {
    const indices = this.#trainer.batchIndices(step).slice(0, limit);
    const xs = this.#data.xs();
    const ys = this.#data.ys();
    return { xs: Float64Array.from(indices, (i) => xs[i]), ys: Float64Array.from(indices, (i) => ys[i]) };
  }

  surface() { return JSON.parse(this.#trainer.surfaceJson()); }
  steps() { return this.#trainer.steps(); }
  batchSize() { return this.#trainer.batchSize(); }
  stepsPerEpoch() { return this.#trainer.stepsPerEpoch(); }
  step(count) { this.#trainer.step(count); }
  reset() { this.#trainer.reset(); }

  /** Per instance: label, trajectory (w, b, f rows), mini-batch loss per step, loss per epoch, divergence step. */
  runs() {
    const t = this.#trainer;
    return Array.from({ length: t.size() }, (_, i) => ({
      label: t.label(i),
      trajectory: t.trajectory(i).slice(),
      estimated: t.estimatedLoss(i).slice(),
      epochs: t.epochLoss(i).slice(),
      divergedAt: t.divergedAt(i),
    }));
  }

  /** Rows [r0, r1) of the full-data loss on a width x height grid over `view` (top row first). */
  lossRows(view, width, height, r0, r1) {
    const dy = (view.y_max - view.y_min) / height;
    const top = view.y_max - r0 * dy;
    return this.#trainer.lossGrid(view.x_min, view.x_max, top - (r1 - r0) * dy, top, width, r1 - r0).slice();
  }
  /** Mini-batch `step`'s own loss on the grid. */
  batchLossGrid(step, view, width, height) {
    return this.#trainer.batchLossGrid(step, view.x_min, view.x_max, view.y_min, view.y_max, width, height).slice();
  }
}
