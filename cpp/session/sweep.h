// A hyperparameter sweep: one optimizer over a grid of values of one or two of
// its keys, one double-precision session run per cell (each cell is exactly
// `descent run` of that cell's spec), summarised by a metric. `descent sweep`
// (cli/sweep.cpp) and the explore page's hyperparameter map (the WASM binding
// Sweep in bindings/bindings.cpp, run by web/explore/worker.js) both compute
// their cells here, so the page's cells equal the CLI's.
//
// Axis text KEY=LO:HI:N[:log]: a cell's value of KEY is LO + (HI - LO) i / (N - 1)
// (i = 0..N-1; LO when N = 1; HI itself at i = N - 1), or on a log axis
// LO (HI / LO)^(i / (N - 1)); it replaces KEY in the base spec.
// Metrics: final, f after K steps; best, the lowest finite f seen; steps:TOL,
// the first step with f - f* <= TOL (f* the surface's known minimum, else the
// lowest f any cell reached: then every cell runs twice, once to find f*), or
// nan when never. diverged_at is the run's first non-finite step, or -1.
// Cells are numbered row-major: cell = i * cols + j, i along the first axis.
#pragma once

#include <string>
#include <vector>

#include "optim/registry.h"
#include "surfaces/surface.h"

namespace descent::session {

inline constexpr long kMaxSweepAxis = 512;

struct SweepAxis {
  std::string key;
  double lo = 0, hi = 0;
  long n = 1;
  bool log = false;
  double at(long i) const;
};

struct SweepMetric {
  enum Kind { Final, Best, Steps } kind = Final;
  double tol = 0;
};

// Each throws descent::Error with the one line `descent sweep` prints; an
// axis error starts with "--vary TEXT: ", a metric error with "--metric".
SweepAxis parse_sweep_axis(const std::string& text, const optim::OptimizerInfo& info);
SweepMetric parse_sweep_metric(const std::string& text);

struct SweepPlan {
  std::string surface;    // the surface spec
  surfaces::Point start;
  std::string optimizer;  // the base spec as given (schedule included)
  optim::OptimizerSpec base;
  std::vector<SweepAxis> axes;  // one or two
  long steps = 0;
  std::string metric_text;
  SweepMetric metric;
  // f* for steps:TOL when the surface knows its minimum; NaN otherwise (then
  // sweep_f_star over every cell's best gives it).
  double known_f_star = 0;

  long rows() const { return axes[0].n; }
  long cols() const { return axes.size() > 1 ? axes[1].n : 1; }
  long cells() const { return rows() * cols(); }
  // The axis values of a cell, one per axis.
  std::vector<double> values(long cell) const;
  // The cell's spec text (`ID:key=value,...` with %.17g values, the schedule
  // kept) and its parse, which throws if the cell's settings are invalid.
  std::string cell_text(long cell) const;
  optim::OptimizerSpec cell_spec(long cell) const;
  // Whether steps:TOL needs f* from the cells (a first pass over all of them).
  bool needs_f_star_pass() const { return metric.kind == SweepMetric::Steps && known_f_star != known_f_star; }
};

// Parses and checks everything but the cells' own specs (see cell_spec);
// `vary` holds one or two axis texts, `steps` is already a whole number.
SweepPlan make_sweep_plan(const std::string& surface, const surfaces::Point& start, const std::string& optimizer,
                          const std::vector<std::string>& vary, long steps, const std::string& metric);

struct SweepCell {
  double final_f = 0;     // f after the last step, as recorded (non-finite once diverged)
  double best_f = 0;      // the lowest finite f, NaN when none
  long diverged_at = -1;  // the first non-finite step, or -1
  double reached = 0;     // the first step with f - f_star <= tol, NaN never (or f_star not given)
};

// Runs one cell; `f_star` is used for `reached` (NaN: not computed).
SweepCell run_sweep_cell(const SweepPlan& plan, long cell, double f_star);
// f* from first-pass cells' best_f: the lowest finite one (inf when none).
double sweep_f_star(const std::vector<SweepCell>& cells);
// The metric's value for a cell.
double sweep_value(const SweepPlan& plan, const SweepCell& cell);

}  // namespace descent::session
