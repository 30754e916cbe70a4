#include "session/sweep.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "common/error.h"
#include "common/json.h"
#include "optim/method_optimizer.h"  // check_param
#include "session/session.h"

namespace descent::session {

double SweepAxis::at(long i) const {
  if (n == 1 || i == 0) return lo;
  if (i == n - 1) return hi;  // the ends exactly as written
  const double u = static_cast<double>(i) / static_cast<double>(n - 1);
  return log ? lo * std::pow(hi / lo, u) : lo + (hi - lo) * u;
}

namespace {

long parse_count(const std::string& where, const std::string& text) {
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || end != text.c_str() + text.size() || v < 1 || v > kMaxSweepAxis)
    throw Error(where + ": N must be a whole number from 1 to " + std::to_string(kMaxSweepAxis) +
                ", got '" + text + "'");
  return v;
}

}  // namespace

SweepAxis parse_sweep_axis(const std::string& text, const optim::OptimizerInfo& info) {
  const std::string where = "--vary " + text;
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) throw Error(where + ": expected KEY=LO:HI:N[:log]");
  SweepAxis a;
  a.key = text.substr(0, eq);
  const auto known = std::find_if(info.params.begin(), info.params.end(),
                                  [&](const optim::ParamInfo& p) { return p.key == a.key; });
  if (known == info.params.end())
    throw Error(where + ": " + info.id + " has no hyperparameter '" + a.key + "'");
  if (known->scale == optim::Scale::Bool)
    throw Error(where + ": " + a.key + " is a switch, not a value to sweep");
  std::vector<std::string> parts;
  std::string rest = text.substr(eq + 1);
  for (std::size_t c; (c = rest.find(':')) != std::string::npos; rest = rest.substr(c + 1))
    parts.push_back(rest.substr(0, c));
  parts.push_back(rest);
  if (parts.size() < 3 || parts.size() > 4 || (parts.size() == 4 && parts[3] != "log"))
    throw Error(where + ": expected KEY=LO:HI:N[:log]");
  a.lo = parse_finite(where + ": LO", parts[0]);
  a.hi = parse_finite(where + ": HI", parts[1]);
  a.n = parse_count(where, parts[2]);
  a.log = parts.size() == 4;
  if (a.lo >= a.hi) throw Error(where + ": LO must be < HI");
  if (a.log && a.lo <= 0) throw Error(where + ": a log axis needs LO > 0");
  for (long i = 0; i < a.n; ++i) optim::check_param(info, a.key, a.at(i));  // names the key and value
  return a;
}

SweepMetric parse_sweep_metric(const std::string& text) {
  if (text == "final") return {SweepMetric::Final, 0};
  if (text == "best") return {SweepMetric::Best, 0};
  if (text.rfind("steps:", 0) == 0) {
    const double tol = parse_finite("--metric steps:TOL", text.substr(6));
    if (tol < 0) throw Error("--metric steps:TOL needs TOL >= 0, got " + format_number(tol));
    return {SweepMetric::Steps, tol};
  }
  throw Error("--metric expects final, best or steps:TOL, got '" + text + "'");
}

SweepPlan make_sweep_plan(const std::string& surface, const surfaces::Point& start, const std::string& optimizer,
                          const std::vector<std::string>& vary, long steps, const std::string& metric) {
  if (vary.empty() || vary.size() > 2) throw Error("sweep needs one or two --vary KEY=LO:HI:N[:log]");
  SweepPlan plan;
  plan.surface = surface;
  plan.start = start;
  plan.optimizer = optimizer;
  plan.base = optim::parse_spec(optimizer);
  const optim::OptimizerInfo& info = optim::find_optimizer(plan.base.id);
  for (const auto& v : vary) plan.axes.push_back(parse_sweep_axis(v, info));
  if (plan.axes.size() == 2 && plan.axes[0].key == plan.axes[1].key)
    throw Error("--vary " + plan.axes[0].key + " is given twice");
  plan.metric_text = metric;
  plan.metric = parse_sweep_metric(metric);
  plan.steps = steps;
  const auto probe = surfaces::make_surface(surface);  // throws on a bad surface
  const auto minima = probe->minima();
  plan.known_f_star = std::numeric_limits<double>::quiet_NaN();
  for (const auto& m : minima)
    if (!(plan.known_f_star <= m.f)) plan.known_f_star = m.f;
  return plan;
}

std::vector<double> SweepPlan::values(long cell) const {
  std::vector<double> out = {axes[0].at(cell / cols())};
  if (axes.size() > 1) out.push_back(axes[1].at(cell % cols()));
  return out;
}

std::string SweepPlan::cell_text(long cell) const {
  optim::Settings settings = base.settings;
  const auto v = values(cell);
  for (std::size_t a = 0; a < axes.size(); ++a) settings[axes[a].key] = v[a];
  std::string text = base.id;
  char sep = ':';
  for (const auto& [k, value] : settings) {
    text += sep + k + "=" + number17(value);  // %.17g: the cell reads back exactly
    sep = ',';
  }
  const auto at = base.label.find('@');
  if (at != std::string::npos) text += base.label.substr(at);
  return text;
}

// What optim::parse_spec(cell_text(cell)) gives, without reading the numbers
// back (%.17g round-trips them; musl's strtod was most of a WASM cell's cost
// at K = 1): the base's settings and schedule (which depends on the text after
// '@' alone), the cell's values, checked by the same complete_settings.
optim::OptimizerSpec SweepPlan::cell_spec(long cell) const {
  optim::OptimizerSpec spec = base;
  const auto v = values(cell);
  for (std::size_t a = 0; a < axes.size(); ++a) spec.settings[axes[a].key] = v[a];
  optim::complete_settings(optim::find_optimizer(base.id), spec.settings);  // validates ranges and cross-field rules
  spec.label = cell_text(cell);
  return spec;
}

SweepCell run_sweep_cell(const SweepPlan& plan, long cell, double f_star) {
  Session session(surfaces::make_surface(plan.surface), plan.start);
  session.add(plan.cell_spec(cell));
  session.record_only_trajectory(plan.steps);
  session.step(plan.steps);
  const auto& run = session.run(0);
  SweepCell out;
  out.diverged_at = run.diverged_at;
  out.best_f = std::numeric_limits<double>::quiet_NaN();
  out.reached = std::numeric_limits<double>::quiet_NaN();
  const bool want_reached = !std::isnan(f_star);
  for (long k = 0; k <= plan.steps; ++k) {
    const double f = run.trajectory[3 * static_cast<std::size_t>(k) + 2];
    if (std::isfinite(f) && !(f >= out.best_f)) out.best_f = f;
    if (want_reached && std::isnan(out.reached) && f - f_star <= plan.metric.tol)
      out.reached = static_cast<double>(k);
  }
  out.final_f = run.trajectory[3 * static_cast<std::size_t>(plan.steps) + 2];
  return out;
}

double sweep_f_star(const std::vector<SweepCell>& cells) {
  double f_star = std::numeric_limits<double>::infinity();
  for (const auto& c : cells)
    if (std::isfinite(c.best_f)) f_star = std::min(f_star, c.best_f);
  return f_star;
}

double sweep_value(const SweepPlan& plan, const SweepCell& cell) {
  switch (plan.metric.kind) {
    case SweepMetric::Final: return cell.final_f;
    case SweepMetric::Best: return cell.best_f;
    case SweepMetric::Steps: return cell.reached;
  }
  return std::numeric_limits<double>::quiet_NaN();
}

}  // namespace descent::session
