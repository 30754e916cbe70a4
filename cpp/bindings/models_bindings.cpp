// The embind surface of the models part (cpp/models/): data sets, a
// ModelTrainer (a Session training a two-parameter model with mini-batches),
// descriptions (the kernel hooks comparing the scalar and SIMD twins are in
// the Node tests' module: testing_bindings.cpp). Bulk data crosses as typed-array views over WASM memory,
// valid until the next call that can grow memory (copy or use them at once).
//
// JavaScript:
//   const data = M.datasetFromSpec('line:n=200,noise=0.5,seed=1');  // or M.datasetFromCsv(text)
//   const t = new M.ModelTrainer(data, {model: 'linear', precision: 'f32', l2: 0,
//                                       batch: 32, replacement: false, seed: 1});
//   t.add('momentum:lr=0.05'); t.step(100);
//   t.trajectory(0)      // Float64Array: w, b, full-data loss per step
//   t.estimatedLoss(0)   // Float64Array: the mini-batch loss per step
//   t.epochLoss(0)       // Float64Array: training loss per completed epoch
//   t.batchLossGrid(k, ...), t.lossGrid(...)   // heat maps: batch k's loss, the full loss
//   t.delete(); data.delete();
// Every error is a JavaScript Error with the CLI's message.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <memory>
#include <string>
#include <vector>

#include "bindings/guarded.h"
#include "bindings/js_values.h"
#include "common/error.h"
#include "models/dataset.h"
#include "models/describe.h"
#include "models/training.h"
#include "optim/registry.h"
#include "session/describe.h"

using emscripten::val;
using namespace descent;
using bindings::guarded;

namespace {

template <class T>
val view(const std::vector<T>& v) {
  return val(emscripten::typed_memory_view(v.size(), v.data()));
}

// A data set shared by the trainers made from it.
class DatasetHandle {
 public:
  explicit DatasetHandle(models::Dataset data)
      : data_(std::make_shared<const models::Dataset>(std::move(data))) {}
  int size() const { return static_cast<int>(data_->size()); }
  std::string source() const { return data_->source; }
  std::string name() const { return data_->name; }
  bool classes() const { return data_->classes; }
  val xs() const { return view(data_->xs); }
  val ys() const { return view(data_->ys); }
  const std::shared_ptr<const models::Dataset>& shared() const { return data_; }

 private:
  std::shared_ptr<const models::Dataset> data_;
};

DatasetHandle datasetFromSpec(const std::string& spec) {
  return guarded([&] { return DatasetHandle(models::generate_dataset(spec)); });
}
DatasetHandle datasetFromCsv(const std::string& text) {
  return guarded([&] { return DatasetHandle(models::parse_csv(text)); });
}

// options[key] if given (of JavaScript type `type`), else `fallback`.
val option(const val& options, const char* key, const char* type, val fallback) {
  const val v = options.isUndefined() || options.isNull() ? val::undefined() : options[key];
  if (v.isUndefined()) return fallback;
  if (v.typeOf().as<std::string>() != type)
    throw Error(std::string("option '") + key + "' must be a " + type);
  return v;
}

// {batch (1 .. n; more means the whole set), replacement, seed}.
models::Sampling sampling_from(const val& options) {
  models::Sampling s;
  const double batch = option(options, "batch", "number", val(32.0)).as<double>();
  if (!(batch >= 1) || batch != static_cast<double>(static_cast<long long>(batch)))
    throw Error("batch size must be a whole number >= 1, got " + format_number(batch));
  s.batch = batch > models::kMaxSamples ? models::kMaxSamples : static_cast<std::size_t>(batch);
  s.replacement = option(options, "replacement", "boolean", val(false)).as<bool>();
  s.seed = bindings::seed_of(option(options, "seed", "number", val(1.0)).as<double>());
  return s;
}

models::ModelConfig model_from(const val& options) {
  models::ModelConfig m;
  m.model = models::parse_model(option(options, "model", "string", val(std::string("linear"))).as<std::string>());
  m.precision = models::parse_precision(
      option(options, "precision", "string", val(std::string("f32"))).as<std::string>());
  m.l2 = option(options, "l2", "number", val(0.0)).as<double>();
  return m;
}

class ModelTrainer {
 public:
  ModelTrainer(const DatasetHandle& data, val options)
      : training_(guarded([&] {
          return std::make_unique<models::Training>(data.shared(), model_from(options),
                                                    sampling_from(options));
        })) {}

  // The Session's controls, as the Session binding has them.
  int add(const std::string& spec) {
    return guarded([&] { return static_cast<int>(session().add(optim::parse_spec(spec))); });
  }
  void remove(int i) { guarded([&] { session().remove(index(i)); }); }
  void setParam(int i, const std::string& key, double value) {
    guarded([&] { session().set_param(index(i), key, value); });
  }
  void step(int count) { guarded([&] { session().step(count); }); }
  void reset() { session().reset(); }
  void setStart(double w, double b) { session().set_start({w, b}); }
  // New {batch, replacement, seed} (missing keys take their defaults); restarts the runs.
  void setSampling(val options) { guarded([&] { training_->set_sampling(sampling_from(options)); }); }

  int size() const { return static_cast<int>(training_->session().size()); }
  int steps() const { return static_cast<int>(training_->session().steps()); }
  std::string label(int i) const { return guarded([&] { return run(i).label; }); }
  int divergedAt(int i) const { return guarded([&] { return static_cast<int>(run(i).diverged_at); }); }
  int batchSize() const { return static_cast<int>(training_->source().batch_size()); }
  int stepsPerEpoch() const { return static_cast<int>(training_->source().steps_per_epoch()); }
  std::string surfaceJson() const { return session::surface_json(training_->surface()); }

  // w, b, full-data loss per step (3 * (steps + 1) doubles).
  val trajectory(int i) const { return guarded([&] { return view(run(i).trajectory); }); }
  // The gradient each step used (the mini-batch's), dw, db per step.
  val gradients(int i) const { return guarded([&] { return view(run(i).gradients); }); }
  // The mini-batch loss at each step's point (steps + 1 doubles).
  val estimatedLoss(int i) const { return guarded([&] { return view(run(i).estimated_loss); }); }
  // Training loss per completed epoch. Overwritten by the next call.
  val epochLoss(int i) {
    return guarded([&] {
      run(i);
      epoch_loss_ = training_->epoch_losses(static_cast<std::size_t>(i));
      return view(epoch_loss_);
    });
  }

  val dataXs() const { return view(training_->data().xs); }
  val dataYs() const { return view(training_->data().ys); }
  // Sample indices of batch `step`. Overwritten by the next call.
  val batchIndices(int step) {
    return guarded([&] {
      indices_ = training_->source().indices(step);
      return view(indices_);
    });
  }
  // Batch `step`'s own loss at (w, b): the surface it jumps to at that step.
  double batchLossAt(double w, double b, int step) const {
    return guarded([&] { return training_->source().estimate(w, b, step).f; });
  }
  // Heat maps laid out as Session.evaluateGrid: the full-data loss, and batch
  // `step`'s loss (gathered once). Overwritten by the next call.
  val lossGrid(double x0, double x1, double y0, double y1, int width, int height) {
    return guarded([&] {
      const auto& s = training_->surface();
      models::loss_grid(s.loss(), models::all_samples(s.data()), {x0, x1, y0, y1}, width, height, grid_);
      return view(grid_);
    });
  }
  val batchLossGrid(int step, double x0, double x1, double y0, double y1, int width, int height) {
    return guarded([&] {
      const auto& source = training_->source();
      const models::Batch batch = source.batch(step);
      models::loss_grid(source.loss(), batch.samples(), {x0, x1, y0, y1}, width, height, grid_);
      return view(grid_);
    });
  }

 private:
  session::Session& session() { return training_->session(); }
  std::size_t index(int i) const {
    if (i < 0) throw Error("no optimizer instance " + std::to_string(i));
    return static_cast<std::size_t>(i);
  }
  const session::Run& run(int i) const { return training_->session().run(index(i)); }

  std::unique_ptr<models::Training> training_;
  std::vector<double> epoch_loss_, grid_;
  std::vector<std::uint32_t> indices_;
};

std::string modelsJson() { return models::models_json(); }

}  // namespace

EMSCRIPTEN_BINDINGS(models) {
  emscripten::class_<DatasetHandle>("Dataset")
      .function("size", &DatasetHandle::size)
      .function("source", &DatasetHandle::source)
      .function("name", &DatasetHandle::name)
      .function("classes", &DatasetHandle::classes)
      .function("xs", &DatasetHandle::xs)
      .function("ys", &DatasetHandle::ys);
  emscripten::function("datasetFromSpec", &datasetFromSpec);
  emscripten::function("datasetFromCsv", &datasetFromCsv);
  emscripten::class_<ModelTrainer>("ModelTrainer")
      .constructor<const DatasetHandle&, val>()
      .function("add", &ModelTrainer::add)
      .function("remove", &ModelTrainer::remove)
      .function("setParam", &ModelTrainer::setParam)
      .function("step", &ModelTrainer::step)
      .function("reset", &ModelTrainer::reset)
      .function("setStart", &ModelTrainer::setStart)
      .function("setSampling", &ModelTrainer::setSampling)
      .function("size", &ModelTrainer::size)
      .function("steps", &ModelTrainer::steps)
      .function("label", &ModelTrainer::label)
      .function("divergedAt", &ModelTrainer::divergedAt)
      .function("batchSize", &ModelTrainer::batchSize)
      .function("stepsPerEpoch", &ModelTrainer::stepsPerEpoch)
      .function("surfaceJson", &ModelTrainer::surfaceJson)
      .function("trajectory", &ModelTrainer::trajectory)
      .function("gradients", &ModelTrainer::gradients)
      .function("estimatedLoss", &ModelTrainer::estimatedLoss)
      .function("epochLoss", &ModelTrainer::epochLoss)
      .function("dataXs", &ModelTrainer::dataXs)
      .function("dataYs", &ModelTrainer::dataYs)
      .function("batchIndices", &ModelTrainer::batchIndices)
      .function("batchLossAt", &ModelTrainer::batchLossAt)
      .function("lossGrid", &ModelTrainer::lossGrid)
      .function("batchLossGrid", &ModelTrainer::batchLossGrid);
  emscripten::function("modelsJson", &modelsJson);
}
