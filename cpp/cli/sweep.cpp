#include "cli/sweep.h"

#include <cmath>
#include <cstdlib>

#include "cli/args.h"
#include "common/error.h"
#include "common/json.h"
#include "session/sweep.h"
#include "surfaces/surface.h"

namespace descent::cli {

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

  const long steps = parse_steps(steps_text);
  const auto surface_probe = surfaces::make_surface(surface_spec);
  const surfaces::Point start = start_text.empty() ? surface_probe->start() : parse_point(start_text);
  const session::SweepPlan plan =
      session::make_sweep_plan(surface_spec, start, optimizer_text, vary, steps, metric_text);
  const auto& axes = plan.axes;

  // Every cell's spec validated before any run, then the runs (twice when
  // steps:TOL needs f* from the cells: the first pass finds it).
  const long count = plan.cells();
  for (long c = 0; c < count; ++c) plan.cell_spec(c);
  std::vector<session::SweepCell> cells;
  cells.reserve(static_cast<std::size_t>(count));
  double f_star = plan.known_f_star;
  if (plan.needs_f_star_pass()) {
    for (long c = 0; c < count; ++c) cells.push_back(session::run_sweep_cell(plan, c, NAN));
    f_star = session::sweep_f_star(cells);
    cells.clear();
  }
  for (long c = 0; c < count; ++c) cells.push_back(session::run_sweep_cell(plan, c, f_star));
  const auto value_of = [&](const session::SweepCell& c) { return session::sweep_value(plan, c); };

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
      for (double v : plan.values(static_cast<long>(c))) out += number17(v) + ",";
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
    const session::SweepCell& cell = cells[shown[s]];
    const auto values = plan.values(static_cast<long>(shown[s]));
    out += s ? ",{" : "{";
    for (std::size_t a = 0; a < axes.size(); ++a)
      out += json_string(axes[a].key) + ":" + json_number(values[a]) + ",";
    out += "\"value\":" + json_number(value_of(cell)) + ",\"diverged_at\":" +
           (cell.diverged_at < 0 ? std::string("null") : std::to_string(cell.diverged_at)) + "}";
  }
  return out + "]}\n";
}

}  // namespace descent::cli
