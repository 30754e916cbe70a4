// The embind surface of the batched engine (cpp/batch/): a BatchRun of many
// starts, the heat map through the batch kernels, and the hooks the Node tests
// use to compare the scalar and wasm_simd128 twins bit for bit. Bulk data
// crosses as typed-array views over WASM memory, valid until the next call that
// can grow memory (copy or use them at once); twin outputs come as copies.
//
// JavaScript:
//   const run = new M.BatchRun('himmelblau', 'adam:lr=0.05', 512 * 512);
//   run.setGrid(-5, 5, -5, 5, 512, 512);   // or run.setStarts(xsFloat32, ysFloat32)
//   run.setGridRows(-5, 5, -5, 5, 512, 512, 256)  // rows 256.. of that grid, size() / 512 of them
//   run.step(100);
//   run.xs(), run.ys(), run.values()      // Float32Array views
//   run.live(), run.converged(), run.steps()  // Uint32Array views (0 or ~0; counts)
//   run.convergedCount(), run.divergedCount(), run.stepsTaken()
//   run.classify(0.05)                    // Int32Array view: minimum index, -1, -2
//   run.classifyAt([{x, y}, ...], 0.05)   // the same against a given list (e.g. found minima)
//   M.batchFindMinima([runA, runB], 0.05, 7)  // [{x, y, f}, ...] from where the runs stopped,
//                                         // lowest f first, at most 7 (find_minima in basins.h);
//                                         // an element may also be copies { xs, ys, values,
//                                         // live, converged } (bands gathered from workers)
//   run.compiledKernel()                  // true: the formula's group step was compiled
//   run.delete();
//   M.simdEnabled()                       // true in the descent-simd module
//   M.batchHeatMap('rosenbrock', x0, x1, y0, y1, nx, ny)  // Float32Array copy
// Every error is a JavaScript Error with the core's message.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "batch/basins.h"
#include "batch/batch_run.h"
#include "batch/bench_workloads.h"
#include "batch/surface_batch.h"
#include "batch/twin_check.h"
#include "bindings/guarded.h"
#include "common/error.h"
#include "optim/registry.h"
#include "surfaces/surface.h"

using emscripten::val;
using namespace descent;
using bindings::guarded;

namespace {

template <class T>
val view(std::span<const T> s) {
  return val(emscripten::typed_memory_view(s.size(), s.data()));
}

// A copy, in WASM memory, of a JavaScript array's numbers: one bulk copy
// through a view, not element by element.
template <class T>
std::vector<T> vector_of(val array) {
  std::vector<T> out(array["length"].as<std::size_t>());
  val(emscripten::typed_memory_view(out.size(), out.data())).call<void>("set", array);
  return out;
}

std::size_t count(int n, const char* what) {
  if (n < 0 || n > (1 << 24)) throw Error(std::string(what) + " must be 0..16777216, got " + std::to_string(n));
  return static_cast<std::size_t>(n);
}

// A whole number in [0, 2^53] from JavaScript.
std::uint64_t seed_of(double seed) {
  if (!(seed >= 0 && seed <= 9007199254740992.0 && seed == static_cast<double>(static_cast<std::uint64_t>(seed))))
    throw Error("seed must be a whole number from 0 to 2^53, got " + format_number(seed));
  return static_cast<std::uint64_t>(seed);
}

class WasmBatchRun {
 public:
  WasmBatchRun(const std::string& surface, const std::string& optimizer, int n)
      : run_(guarded([&] {
          return std::make_unique<batch::BatchRun>(surfaces::make_surface(surface),
                                                   optim::parse_spec(optimizer), count(n, "batch size"));
        })) {}

  // xs, ys: Float32Array (or any array) of size() numbers each.
  void setStarts(val xs, val ys) {
    guarded([&] {
      const std::size_t n = run_->size();
      if (xs["length"].as<std::size_t>() != n || ys["length"].as<std::size_t>() != n)
        throw Error("batch: expected " + std::to_string(n) + " start coordinates in x and in y");
      run_->set_starts(vector_of<float>(xs), vector_of<float>(ys));
    });
  }
  void setGrid(double x0, double x1, double y0, double y1, int nx, int ny) {
    guarded([&] { run_->set_grid({x0, x1, y0, y1}, count(nx, "grid width"), count(ny, "grid height")); });
  }
  // Rows firstRow .. firstRow + size() / nx - 1 of that grid (a band of a map split over workers).
  void setGridRows(double x0, double x1, double y0, double y1, int nx, int ny, int firstRow) {
    guarded([&] {
      if (firstRow < 0) throw Error("batch: the first row must be 0 or more, got " + std::to_string(firstRow));
      run_->set_grid({x0, x1, y0, y1}, count(nx, "grid width"), count(ny, "grid height"),
                     static_cast<std::size_t>(firstRow));
    });
  }
  void setTolerances(double grad, double step) {
    run_->set_tolerances({static_cast<float>(grad), static_cast<float>(step)});
  }
  void step(int k) { guarded([&] { run_->step(k); }); }
  void reset() { run_->reset(); }

  int size() const { return static_cast<int>(run_->size()); }
  double stepsTaken() const { return static_cast<double>(run_->steps_taken()); }
  int convergedCount() const { return static_cast<int>(run_->converged_count()); }
  int divergedCount() const { return static_cast<int>(run_->diverged_count()); }
  std::string kernelName() const { return run_->surface_batch().kernel_name(); }
  // True when Adam's group steps run the formula's run-time compiled kernel.
  bool compiledKernel() const { return run_->surface_batch().compiled(); }
  val xs() const { return view(run_->xs()); }
  val ys() const { return view(run_->ys()); }
  val values() const { return view(run_->values()); }
  val live() const { return view(run_->live()); }
  val converged() const { return view(run_->converged()); }
  val steps() const { return view(run_->steps()); }
  // Basin per point against the surface's known minima (global, then local).
  val classify(double radius) {
    basins_ = batch::classify_basins(*run_, batch::known_minima(run_->surface()), radius);
    return view(std::span<const std::int32_t>(basins_));
  }
  // Basin per point against `minima`, a JavaScript array of {x, y} (a few:
  // read one by one), e.g. what batchFindMinima found over all runs of a map.
  val classifyAt(val minima, double radius) {
    return guarded([&] {
      const auto n = minima["length"].as<std::size_t>();
      std::vector<surfaces::Point> points(n);
      for (std::size_t i = 0; i < n; ++i) {
        points[i] = {minima[i]["x"].as<double>(), minima[i]["y"].as<double>()};
        if (!std::isfinite(points[i].x) || !std::isfinite(points[i].y))
          throw Error("classifyAt: minimum " + std::to_string(i) + " needs finite x and y");
      }
      basins_ = batch::classify_basins(*run_, points, radius);
      return view(std::span<const std::int32_t>(basins_));
    });
  }
  const batch::BatchRun& run() const { return *run_; }

 private:
  std::unique_ptr<batch::BatchRun> run_;
  std::vector<std::int32_t> basins_;
};

// Where a run stopped, copied out of JavaScript: { xs, ys, values (Float32Array),
// live, converged (Uint32Array) }, e.g. the bands of one grid gathered from
// the page's workers in the grid's order.
struct CopiedEnds {
  std::vector<float> xs, ys, values;
  std::vector<std::uint32_t> live, converged;
};

// Minima found from where `runs` stopped: one list for all of them, so the
// maps' colours agree. Each element is a BatchRun or a CopiedEnds object.
val batchFindMinima(val runs, double radius, int maxMinima) {
  return guarded([&] {
    const auto n = runs["length"].as<std::size_t>();
    std::vector<CopiedEnds> copies;
    copies.reserve(n);  // the views below point into these
    std::vector<batch::EndPoints> ends;
    for (std::size_t i = 0; i < n; ++i) {
      const val run = runs[i];
      if (run["xs"].typeOf().as<std::string>() == "function") {
        ends.push_back(batch::end_points(run.as<WasmBatchRun*>(emscripten::allow_raw_pointers())->run()));
        continue;
      }
      const CopiedEnds& c = copies.emplace_back(CopiedEnds{vector_of<float>(run["xs"]), vector_of<float>(run["ys"]),
          vector_of<float>(run["values"]), vector_of<std::uint32_t>(run["live"]),
          vector_of<std::uint32_t>(run["converged"])});
      ends.push_back({c.xs, c.ys, c.values, c.live, c.converged});
    }
    const auto found = batch::find_minima(std::span<const batch::EndPoints>(ends),
                                          {.radius = radius, .max_minima = count(maxMinima, "maxMinima")});
    val out = val::array();
    for (const auto& m : found) {
      val point = val::object();
      point.set("x", m.at.x);
      point.set("y", m.at.y);
      point.set("f", m.f);
      out.call<void>("push", point);
    }
    return out;
  });
}

bool simdEnabled() { return batch::default_twin() == batch::Twin::wasm_simd128; }

val copy_of(const std::vector<float>& v) {
  // slice() copies the view into a fresh Float32Array (no `new_`: see guarded.h).
  return val(emscripten::typed_memory_view(v.size(), v.data())).call<val>("slice");
}

val batchHeatMap(const std::string& spec, double x0, double x1, double y0, double y1, int nx,
                 int ny) {
  return guarded([&] {
    const auto s = surfaces::make_surface(spec);
    return copy_of(batch::heat_map(*s, {x0, x1, y0, y1}, count(nx, "width"), count(ny, "height"),
                                   batch::default_kernels()));
  });
}

// {name: Float32Array copy, ...} in the order of KernelOutputs.
val outputs(const batch::KernelOutputs& out) {
  val result = val::object();
  for (std::size_t j = 0; j < out.names.size(); ++j) result.set(out.names[j], copy_of(out.arrays[j]));
  return result;
}

val batchTwinOptimizer(const std::string& spec, const std::string& twin, int n, double seed, int steps) {
  return guarded([&] {
    return outputs(batch::optimizer_kernel_outputs(spec, batch::parse_twin(twin), count(n, "n"),
                                                   seed_of(seed), steps));
  });
}
val batchTwinSurface(const std::string& spec, const std::string& twin, int n, double seed) {
  return guarded([&] {
    return outputs(batch::surface_kernel_outputs(spec, batch::parse_twin(twin), count(n, "n"), seed_of(seed)));
  });
}
val batchTwinFused(const std::string& spec, const std::string& twin, int n, double seed) {
  return guarded([&] {
    return outputs(batch::fused_kernel_outputs(spec, batch::parse_twin(twin), count(n, "n"), seed_of(seed)));
  });
}
val batchTwinRun(const std::string& surface, const std::string& optimizer, const std::string& twin,
                 int n, int steps, double seed) {
  return guarded([&] {
    return outputs(batch::run_outputs(surface, optimizer, batch::parse_twin(twin), count(n, "n"),
                                      steps, seed_of(seed)));
  });
}
// Whether `spec`'s surface gets a run-time compiled group step with a twin's
// kernels (only wasm_simd128 in the SIMD module, for formulas without libm ops).
bool batchCompiledKernel(const std::string& spec, const std::string& twin) {
  return guarded([&] {
    const auto s = surfaces::make_surface(spec);
    return batch::SurfaceBatch(*s, batch::kernel_set(batch::parse_twin(twin))).compiled();
  });
}
val list(const std::vector<std::string>& items) {
  val out = val::array();
  for (const auto& s : items) out.call<void>("push", s);
  return out;
}
val batchVariantSpecs() { return list(batch::kernel_variant_specs()); }
// Every kernel name of a twin, and the key it serves, as [[name, key], ...].
val batchKernels(const std::string& twin) {
  return guarded([&] {
    const auto& set = batch::kernel_set(batch::parse_twin(twin));
    val out = val::array();
    auto add = [&](const auto& k) { out.call<void>("push", list({k.name, k.key})); };
    for (const auto& k : set.optimizers) add(k);
    for (const auto& k : set.surfaces) add(k);
    for (const auto& k : set.screened_surfaces) add(k);
    for (const auto& k : set.group_steps) add(k);
    add(set.screen);
    add(set.progress);
    return out;
  });
}

// Benchmark workloads with this module's default kernels: seconds.
double batchBenchOptimizer(const std::string& spec, int n, int steps) {
  return guarded([&] {
    return batch::time_optimizer_update(batch::default_kernels(), spec, count(n, "n"), steps);
  });
}
double batchBenchParticles(const std::string& surface, const std::string& optimizer, int n, int steps) {
  return guarded([&] {
    return batch::time_particles(batch::default_kernels(), surface, optimizer, count(n, "n"), steps);
  });
}
double batchBenchHeatMap(const std::string& surface, int nx, int ny, int reps) {
  return guarded([&] {
    return batch::time_heat_map(batch::default_kernels(), surface, count(nx, "nx"), count(ny, "ny"), reps);
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(batch) {
  emscripten::class_<WasmBatchRun>("BatchRun")
      .constructor<const std::string&, const std::string&, int>()
      .function("setStarts", &WasmBatchRun::setStarts)
      .function("setGrid", &WasmBatchRun::setGrid)
      .function("setGridRows", &WasmBatchRun::setGridRows)
      .function("setTolerances", &WasmBatchRun::setTolerances)
      .function("step", &WasmBatchRun::step)
      .function("reset", &WasmBatchRun::reset)
      .function("size", &WasmBatchRun::size)
      .function("stepsTaken", &WasmBatchRun::stepsTaken)
      .function("convergedCount", &WasmBatchRun::convergedCount)
      .function("divergedCount", &WasmBatchRun::divergedCount)
      .function("kernelName", &WasmBatchRun::kernelName)
      .function("compiledKernel", &WasmBatchRun::compiledKernel)
      .function("xs", &WasmBatchRun::xs)
      .function("ys", &WasmBatchRun::ys)
      .function("values", &WasmBatchRun::values)
      .function("live", &WasmBatchRun::live)
      .function("converged", &WasmBatchRun::converged)
      .function("steps", &WasmBatchRun::steps)
      .function("classify", &WasmBatchRun::classify)
      .function("classifyAt", &WasmBatchRun::classifyAt);
  emscripten::function("simdEnabled", &simdEnabled);
  emscripten::function("batchHeatMap", &batchHeatMap);
  emscripten::function("batchFindMinima", &batchFindMinima);
  emscripten::function("batchTwinOptimizer", &batchTwinOptimizer);
  emscripten::function("batchTwinSurface", &batchTwinSurface);
  emscripten::function("batchTwinFused", &batchTwinFused);
  emscripten::function("batchTwinRun", &batchTwinRun);
  emscripten::function("batchCompiledKernel", &batchCompiledKernel);
  emscripten::function("batchVariantSpecs", &batchVariantSpecs);
  emscripten::function("batchKernels", &batchKernels);
  emscripten::function("batchBenchOptimizer", &batchBenchOptimizer);
  emscripten::function("batchBenchParticles", &batchBenchParticles);
  emscripten::function("batchBenchHeatMap", &batchBenchHeatMap);
}
