// The embind surface of the WASM module: a Session and the registry/catalogue
// descriptions. Bulk data (trajectories, state, heat-map grids) crosses as
// typed-array views over WASM memory: JavaScript must copy or use a view before
// the next call that can grow memory (web/engine.js does this).
//
// Every core error (descent::Error) is rethrown as a JavaScript Error with the
// same message the CLI prints.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cstdint>
#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "bindings/guarded.h"
#include "bindings/js_values.h"
#include "common/error.h"
#include "common/json.h"
#include "optim/registry.h"
#include "optim/schedule.h"
#include "session/describe.h"
#include "session/session.h"
#include "session/sweep.h"
#include "surfaces/surface.h"

using emscripten::val;
using namespace descent;

namespace {

using bindings::guarded;

class WasmSession {
 public:
  WasmSession(const std::string& surface, double x, double y)
      : session_(guarded([&] { return surfaces::make_surface(surface); }), {x, y}) {}

  void setSurface(const std::string& spec) {
    guarded([&] { session_.set_surface(surfaces::make_surface(spec)); });
  }
  void setStart(double x, double y) { session_.set_start({x, y}); }
  int add(const std::string& spec) {
    return guarded([&] { return static_cast<int>(session_.add(optim::parse_spec(spec))); });
  }
  void remove(int index) { guarded([&] { session_.remove(checked(index)); }); }
  void setParam(int index, const std::string& key, double value) {
    guarded([&] { session_.set_param(checked(index), key, value); });
  }
  void step(int count) { guarded([&] { session_.step(count); }); }
  void reset() { session_.reset(); }
  // Seed as a double from JavaScript: a whole number in [0, 2^53].
  void setNoise(double scale, double seed) {
    guarded([&] { session_.set_noise({scale, bindings::seed_of(seed, "noise seed")}); });
  }

  int size() const { return static_cast<int>(session_.size()); }
  int steps() const { return static_cast<int>(session_.steps()); }
  std::string label(int i) const { return guarded([&] { return run(i).label; }); }
  std::string optimizerId(int i) const { return guarded([&] { return run(i).optimizer->id(); }); }
  int divergedAt(int i) const { return guarded([&] { return static_cast<int>(run(i).diverged_at); }); }
  std::string settingsJson(int i) const {
    return guarded([&] { return session::settings_json(run(i).optimizer->settings()); });
  }
  std::string updateLatex(int i) const {
    return guarded([&] { return run(i).optimizer->update_latex(); });
  }
  std::string surfaceJson() const { return session::surface_json(session_.surface()); }

  // x, y, f per step (3 * (steps + 1) doubles).
  val trajectory(int i) const {
    return guarded([&] { return view(run(i).trajectory); });
  }
  // dfdx, dfdy at each step's point (2 * (steps + 1) doubles).
  val gradients(int i) const {
    return guarded([&] { return view(run(i).gradients); });
  }
  int stateCount(int i) const {
    return guarded([&] { return static_cast<int>(run(i).optimizer->state_count()); });
  }
  // The j-th state buffer of instance i (one double per coordinate).
  val state(int i, int j) const {
    return guarded([&] {
      const auto& opt = *run(i).optimizer;
      if (j < 0 || static_cast<std::size_t>(j) >= opt.state_count())
        throw Error("no state buffer " + std::to_string(j));
      const auto s = opt.state(static_cast<std::size_t>(j));
      return val(emscripten::typed_memory_view(s.size(), s.data()));
    });
  }
  // Every state buffer after each step k = 0..steps: stateCount(i) * 2
  // doubles per step, buffer j's x and y at k * stateCount * 2 + 2 * j.
  val stateHistory(int i) const {
    return guarded([&] { return view(run(i).state_history); });
  }
  // rates[t - 1]: the learning rate step t ran with (its schedule's, or the
  // lr setting), one double per step taken.
  val rates(int i) const {
    return guarded([&] { return view(run(i).rates); });
  }
  int stepsTaken(int i) const {
    return guarded([&] { return static_cast<int>(run(i).optimizer->steps_taken()); });
  }

  // f on a width x height grid over [x0, x1] x [y0, y1], row by row from y1
  // (top) to y0, cell centres. Overwritten by the next call.
  val evaluateGrid(double x0, double x1, double y0, double y1, int width, int height) {
    return guarded([&] {
      if (width <= 0 || height <= 0 || width > 4096 || height > 4096)
        throw Error("grid size must be 1..4096 by 1..4096");
      grid_.resize(static_cast<std::size_t>(width) * static_cast<std::size_t>(height));
      const auto& s = session_.surface();
      for (int r = 0; r < height; ++r) {
        const double y = y1 - (r + 0.5) * (y1 - y0) / height;
        for (int c = 0; c < width; ++c) {
          const double x = x0 + (c + 0.5) * (x1 - x0) / width;
          grid_[static_cast<std::size_t>(r) * width + c] = s.value(x, y);
        }
      }
      return view(grid_);
    });
  }

 private:
  std::size_t checked(int index) const {
    if (index < 0) throw Error("no optimizer instance " + std::to_string(index));
    return static_cast<std::size_t>(index);
  }
  const session::Run& run(int index) const { return session_.run(checked(index)); }
  static val view(const std::vector<double>& v) {
    return val(emscripten::typed_memory_view(v.size(), v.data()));
  }

  session::Session session_;
  std::vector<double> grid_;
};

// A hyperparameter sweep (session/sweep.h): the explore page's map, computed
// by the cells `descent sweep` computes, a band of cells per worker. The plan
// is checked at construction (the CLI's messages; the axis values one by one,
// each cell's whole spec when it runs); cells run in double precision.
class WasmSweep {
 public:
  // vary2: the second axis text, or '' for a one-axis sweep.
  WasmSweep(const std::string& surface, double x, double y, const std::string& optimizer, const std::string& vary1,
            const std::string& vary2, int steps, const std::string& metric)
      : plan_(guarded([&] {
          if (steps < 0) throw Error("steps must be >= 0, got " + std::to_string(steps));
          std::vector<std::string> vary = {vary1};
          if (!vary2.empty()) vary.push_back(vary2);
          return session::make_sweep_plan(surface, {x, y}, optimizer, vary, steps, metric);
        })) {}

  // { rows, cols, steps, metric, keys, axes: [{ key, lo, hi, n, log, values }],
  //   known_f_star (null: none), needs_f_star_pass }
  std::string planJson() const {
    std::string out = "{\"rows\":" + std::to_string(plan_.rows()) + ",\"cols\":" + std::to_string(plan_.cols()) +
                      ",\"steps\":" + std::to_string(plan_.steps) + ",\"metric\":" + json_string(plan_.metric_text) +
                      ",\"keys\":[";
    for (std::size_t a = 0; a < plan_.axes.size(); ++a) out += (a ? "," : "") + json_string(plan_.axes[a].key);
    out += "],\"axes\":[";
    for (std::size_t a = 0; a < plan_.axes.size(); ++a) {
      const auto& axis = plan_.axes[a];
      out += std::string(a ? "," : "") + "{\"key\":" + json_string(axis.key) + ",\"lo\":" + json_number(axis.lo) +
             ",\"hi\":" + json_number(axis.hi) + ",\"n\":" + std::to_string(axis.n) +
             ",\"log\":" + (axis.log ? "true" : "false") + ",\"values\":[";
      for (long i = 0; i < axis.n; ++i) out += (i ? "," : "") + json_number(axis.at(i));
      out += "]}";
    }
    return out + "],\"known_f_star\":" + json_number(plan_.known_f_star) +
           ",\"needs_f_star_pass\":" + (plan_.needs_f_star_pass() ? "true" : "false") + "}";
  }
  std::string cellSpec(int cell) const {
    return guarded([&] { return plan_.cell_text(checked(cell)); });
  }
  // Cells first .. first + count - 1: per cell value, diverged_at (-1: none),
  // final f, best f (4 doubles), with f* = fStar for steps:TOL (NaN: not
  // computed, the first pass). A view valid until the next call.
  val run(int first, int count, double fStar) {
    return guarded([&] {
      if (count < 0 || checked(first) + count > plan_.cells()) throw Error("sweep cells out of range");
      out_.resize(4 * static_cast<std::size_t>(count));
      for (int c = 0; c < count; ++c) {
        const session::SweepCell cell = session::run_sweep_cell(plan_, first + c, fStar);
        double* o = &out_[4 * static_cast<std::size_t>(c)];
        o[0] = session::sweep_value(plan_, cell);
        o[1] = static_cast<double>(cell.diverged_at);
        o[2] = cell.final_f;
        o[3] = cell.best_f;
      }
      return val(emscripten::typed_memory_view(out_.size(), out_.data()));
    });
  }

 private:
  long checked(int cell) const {
    if (cell < 0 || cell >= plan_.cells()) throw Error("no sweep cell " + std::to_string(cell));
    return cell;
  }
  session::SweepPlan plan_;
  std::vector<double> out_;
};

std::string registryJson() { return session::registry_json(); }
std::string catalogueJson() { return session::catalogue_json(); }
std::string schedulesJson() { return optim::schedules_json(); }
// The rates of steps 1..steps of a spec's schedule on its own (optim::schedule_rates),
// as a view valid until the next call.
val scheduleRates(const std::string& spec, int steps) {
  static std::vector<double> rates;
  return guarded([&] {
    rates = optim::schedule_rates(optim::parse_spec(spec), steps);
    return val(emscripten::typed_memory_view(rates.size(), rates.data()));
  });
}
// Parses and validates a spec without adding it: the page checks fields with it.
std::string validateSpec(const std::string& spec) {
  return guarded([&] {
    const auto parsed = optim::parse_spec(spec);
    return session::settings_json(
        optim::complete_settings(optim::find_optimizer(parsed.id), parsed.settings));
  });
}
std::string surfaceInfo(const std::string& spec) {
  return guarded([&] { return session::surface_json(*surfaces::make_surface(spec)); });
}

}  // namespace

EMSCRIPTEN_BINDINGS(descent) {
  emscripten::class_<WasmSession>("Session")
      .constructor<const std::string&, double, double>()
      .function("setSurface", &WasmSession::setSurface)
      .function("setStart", &WasmSession::setStart)
      .function("add", &WasmSession::add)
      .function("remove", &WasmSession::remove)
      .function("setParam", &WasmSession::setParam)
      .function("step", &WasmSession::step)
      .function("reset", &WasmSession::reset)
      .function("setNoise", &WasmSession::setNoise)
      .function("size", &WasmSession::size)
      .function("steps", &WasmSession::steps)
      .function("label", &WasmSession::label)
      .function("optimizerId", &WasmSession::optimizerId)
      .function("divergedAt", &WasmSession::divergedAt)
      .function("settingsJson", &WasmSession::settingsJson)
      .function("updateLatex", &WasmSession::updateLatex)
      .function("surfaceJson", &WasmSession::surfaceJson)
      .function("trajectory", &WasmSession::trajectory)
      .function("gradients", &WasmSession::gradients)
      .function("stateCount", &WasmSession::stateCount)
      .function("state", &WasmSession::state)
      .function("stateHistory", &WasmSession::stateHistory)
      .function("rates", &WasmSession::rates)
      .function("stepsTaken", &WasmSession::stepsTaken)
      .function("evaluateGrid", &WasmSession::evaluateGrid);
  emscripten::class_<WasmSweep>("Sweep")
      .constructor<const std::string&, double, double, const std::string&, const std::string&, const std::string&,
                   int, const std::string&>()
      .function("planJson", &WasmSweep::planJson)
      .function("cellSpec", &WasmSweep::cellSpec)
      .function("run", &WasmSweep::run);
  emscripten::function("registryJson", &registryJson);
  emscripten::function("catalogueJson", &catalogueJson);
  emscripten::function("schedulesJson", &schedulesJson);
  emscripten::function("scheduleRates", &scheduleRates);
  emscripten::function("validateSpec", &validateSpec);
  emscripten::function("surfaceInfo", &surfaceInfo);
}
