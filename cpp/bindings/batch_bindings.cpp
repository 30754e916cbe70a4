// The embind surface of the batched engine (cpp/batch/): a BatchRun of many
// starts, the heat map through the batch kernels, found minima and the kernel
// list (the hooks comparing the twins bit for bit and the benchmark workloads
// are in the Node tests' module: testing_bindings.cpp). Bulk data crosses as
// typed-array views over WASM memory, valid until the next call that can grow
// memory (copy or use them at once); heat maps come as copies.
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
//   M.batchKernels('default')             // [[name, key], ...] of the twin the module runs
//                                         // (the test module also takes 'scalar', 'wasm_simd128')
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
#include "batch/surface_batch.h"
#include "bindings/guarded.h"
#include "bindings/js_values.h"
#include "common/error.h"
#include "optim/registry.h"
#include "surfaces/surface.h"

using emscripten::val;
using namespace descent;
using namespace descent::bindings;

namespace {

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

val batchHeatMap(const std::string& spec, double x0, double x1, double y0, double y1, int nx,
                 int ny) {
  return guarded([&] {
    const auto s = surfaces::make_surface(spec);
    return copy_of(batch::heat_map(*s, {x0, x1, y0, y1}, count(nx, "width"), count(ny, "height"),
                                   batch::default_kernels()));
  });
}

// Every kernel name of a twin ('default': the one this module runs, the only
// one in the page's module), and the key it serves, as [[name, key], ...].
val batchKernels(const std::string& twin) {
  return guarded([&] {
    const auto& set = twin == "default" ? batch::default_kernels()
                                        : batch::kernel_set(batch::parse_twin(twin));
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
  emscripten::function("batchKernels", &batchKernels);
}
