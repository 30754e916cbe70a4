#include "cli/sweep.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>

#include "cli/args.h"
#include "common/error.h"
#include "common/json.h"
#include "optim/method_optimizer.h"  // check_param
#include "optim/registry.h"
#include "session/session.h"
#include "surfaces/surface.h"

namespace descent::cli {
namespace {

struct Axis {
  std::string key;
  double lo, hi;
  long n;
  bool log;
  double at(long i) const {
    if (n == 1 || i == 0) return lo;
    if (i == n - 1) return hi;  // the ends exactly as written
    const double u = static_cast<double>(i) / static_cast<double>(n - 1);
    return log ? lo * std::pow(hi / lo, u) : lo + (hi - lo) * u;
  }
};

long parse_count(const std::string& where, const std::string& text) {
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || end != text.c_str() + text.size() || v < 1 || v > kMaxSweepAxis)
    throw Error(where + ": N must be a whole number from 1 to " + std::to_string(kMaxSweepAxis) +
                ", got '" + text + "'");
  return v;
}

Axis parse_axis(const std::string& text, const optim::OptimizerInfo& info) {
  const std::string where = "--vary " + text;
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    throw Error(where + ": expected KEY=LO:HI:N[:log]");
  Axis a;
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
  a.lo = parse_double(where + ": LO", parts[0]);
  a.hi = parse_double(where + ": HI", parts[1]);
  a.n = parse_count(where, parts[2]);
  a.log = parts.size() == 4;
  if (a.lo >= a.hi) throw Error(where + ": LO must be < HI");
  if (a.log && a.lo <= 0) throw Error(where + ": a log axis needs LO > 0");
  for (long i = 0; i < a.n; ++i) optim::check_param(info, a.key, a.at(i));  // names the key and value
  return a;
}

struct Metric {
  enum Kind { Final, Best, Steps } kind = Final;
  double tol = 0;
};

Metric parse_metric(const std::string& text) {
  if (text == "final") return {Metric::Final, 0};
  if (text == "best") return {Metric::Best, 0};
  if (text.rfind("steps:", 0) == 0) {
    const double tol = parse_double("--metric steps:TOL", text.substr(6));
    if (tol < 0) throw Error("--metric steps:TOL needs TOL >= 0, got " + format_number(tol));
    return {Metric::Steps, tol};
  }
  throw Error("--metric expects final, best or steps:TOL, got '" + text + "'");
}

// `ID:...` with `key` set to `value` (%.17g, so the cell reads back exactly).
std::string with_value(const optim::OptimizerSpec& base, const std::vector<std::pair<std::string, double>>& values) {
  optim::Settings settings = base.settings;
  for (const auto& [k, v] : values) settings[k] = v;
  std::string text = base.id;
  char sep = ':';
  for (const auto& [k, v] : settings) {
    text += sep + k + "=" + number17(v);
    sep = ',';
  }
  const auto at = base.label.find('@');
  if (at != std::string::npos) text += base.label.substr(at);
  return text;
}

struct Cell {
  std::vector<double> values;
  std::vector<double> f;  // per step 0..K
  long diverged_at;
};

}  // namespace

std::string sweep_command(const std::vector<std::string>& args) {
  std::string surface_spec, start_text, optimizer_text, steps_text, metric_text = "final",
                                                                    format = "csv";
  std::vector<std::string> vary;
  bool best_only = false;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag == "--best") {
      best_only = true;
      continue;
    }
    if (flag != "--surface" && flag != "--start" && flag != "--optimizer" && flag != "--steps" &&
        flag != "--format" && flag != "--vary" && flag != "--metric")
      throw Error("unknown option '" + flag + "' for sweep (see descent --help)");
    if (i + 1 >= args.size()) throw Error(flag + " needs a value");
    const std::string& value = args[++i];
    if (flag == "--surface") surface_spec = value;
    if (flag == "--start") start_text = value;
    if (flag == "--optimizer") {
      if (!optimizer_text.empty()) throw Error("sweep takes one --optimizer");
      optimizer_text = value;
    }
    if (flag == "--steps") steps_text = value;
    if (flag == "--format") format = value;
    if (flag == "--vary") vary.push_back(value);
    if (flag == "--metric") metric_text = value;
  }
  if (surface_spec.empty()) throw Error("sweep needs --surface NAME (see descent list)");
  if (optimizer_text.empty()) throw Error("sweep needs --optimizer ID[:key=value,...]");
  if (vary.empty() || vary.size() > 2) throw Error("sweep needs one or two --vary KEY=LO:HI:N[:log]");
  if (steps_text.empty()) throw Error("sweep needs --steps N");
  if (format != "csv" && format != "json")
    throw Error("--format expects csv or json, got '" + format + "'");

  const optim::OptimizerSpec base = optim::parse_spec(optimizer_text);
  const optim::OptimizerInfo& info = optim::find_optimizer(base.id);
  std::vector<Axis> axes;
  for (const auto& v : vary) axes.push_back(parse_axis(v, info));
  if (axes.size() == 2 && axes[0].key == axes[1].key)
    throw Error("--vary " + axes[0].key + " is given twice");
  const Metric metric = parse_metric(metric_text);
  const long steps = parse_steps(steps_text);
  const auto surface_probe = surfaces::make_surface(surface_spec);
  const surfaces::Point start = start_text.empty() ? surface_probe->start() : parse_point(start_text);

  // Every cell first (each spec validated before any output), then the runs.
  const long n0 = axes[0].n, n1 = axes.size() > 1 ? axes[1].n : 1;
  std::vector<Cell> cells;
  cells.reserve(static_cast<std::size_t>(n0 * n1));
  for (long i = 0; i < n0; ++i)
    for (long j = 0; j < n1; ++j) {
      std::vector<std::pair<std::string, double>> values = {{axes[0].key, axes[0].at(i)}};
      if (axes.size() > 1) values.push_back({axes[1].key, axes[1].at(j)});
      const optim::OptimizerSpec spec = optim::parse_spec(with_value(base, values));
      session::Session session(surfaces::make_surface(surface_spec), start);
      session.add(spec);
      session.step(steps);
      const auto& run = session.run(0);
      Cell cell{{}, {}, run.diverged_at};
      for (const auto& [k, v] : values) cell.values.push_back(v);
      for (long k = 0; k <= steps; ++k) cell.f.push_back(run.trajectory[3 * static_cast<std::size_t>(k) + 2]);
      cells.push_back(std::move(cell));
    }

  // f*: the surface's known minimum, else the lowest f any cell reached.
  double f_star = std::numeric_limits<double>::infinity();
  for (const auto& m : surface_probe->minima()) f_star = std::min(f_star, m.f);
  if (surface_probe->minima().empty())
    for (const auto& c : cells)
      for (double f : c.f)
        if (std::isfinite(f)) f_star = std::min(f_star, f);

  const auto value_of = [&](const Cell& c) {
    switch (metric.kind) {
      case Metric::Final: return c.f.back();
      case Metric::Best: {
        double best = NAN;
        for (double f : c.f)
          if (std::isfinite(f) && !(f >= best)) best = f;
        return best;
      }
      case Metric::Steps:
        for (std::size_t k = 0; k < c.f.size(); ++k)
          if (c.f[k] - f_star <= metric.tol) return static_cast<double>(k);
        return static_cast<double>(NAN);
    }
    return static_cast<double>(NAN);
  };

  std::vector<std::size_t> shown;
  if (best_only) {
    std::size_t best = cells.size();
    double best_value = NAN;
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const double v = value_of(cells[c]);
      if (std::isfinite(v) && !(v >= best_value)) {
        best_value = v;
        best = c;
      }
    }
    if (best == cells.size()) throw Error("sweep: no cell has a finite value of the metric");
    shown.push_back(best);
  } else {
    for (std::size_t c = 0; c < cells.size(); ++c) shown.push_back(c);
  }

  std::string out;
  if (format == "csv") {
    for (const auto& a : axes) out += csv_field(a.key) + ",";
    out += "value,diverged_at\n";
    for (std::size_t c : shown) {
      for (double v : cells[c].values) out += number17(v) + ",";
      out += number17(value_of(cells[c])) + "," +
             (cells[c].diverged_at < 0 ? "" : std::to_string(cells[c].diverged_at)) + "\n";
    }
    return out;
  }
  out = "{\"surface\":" + json_string(surface_probe->id()) + ",\"start\":[" + json_number(start.x) +
        "," + json_number(start.y) + "],\"optimizer\":" + json_string(optimizer_text) +
        ",\"steps\":" + std::to_string(steps) + ",\"metric\":" + json_string(metric_text) +
        ",\"keys\":[";
  for (std::size_t a = 0; a < axes.size(); ++a) out += (a ? "," : "") + json_string(axes[a].key);
  out += "],\"cells\":[";
  for (std::size_t s = 0; s < shown.size(); ++s) {
    const Cell& cell = cells[shown[s]];
    out += s ? ",{" : "{";
    for (std::size_t a = 0; a < axes.size(); ++a)
      out += json_string(axes[a].key) + ":" + json_number(cell.values[a]) + ",";
    out += "\"value\":" + json_number(value_of(cell)) + ",\"diverged_at\":" +
           (cell.diverged_at < 0 ? std::string("null") : std::to_string(cell.diverged_at)) + "}";
  }
  return out + "]}\n";
}

}  // namespace descent::cli
