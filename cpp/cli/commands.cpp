#include "cli/commands.h"

#include <cmath>
#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "cli/args.h"
#include "cli/sweep.h"
#include "cli/train.h"
#include "common/error.h"
#include "common/json.h"
#include "session/describe.h"
#include "optim/registry.h"
#include "optim/schedule.h"
#include "session/session.h"
#include "surfaces/surface.h"

namespace descent::cli {
namespace {

std::string range_of(const optim::ParamInfo& p) {
  if (p.scale == optim::Scale::Bool) return "true|false";
  std::string lo = (p.min_open ? "(" : "[") + format_number(p.min);
  std::string hi = p.max == INFINITY ? "inf)" : format_number(p.max) + (p.max_open ? ")" : "]");
  return lo + ", " + hi;
}

std::string list_command() {
  std::string out = "Optimizers (use as --optimizer ID[:key=value,...]):\n";
  for (const auto& info : optim::registry()) {
    out += "\n  " + info.id + "  " + info.name + ": " + info.summary + "\n";
    for (const auto& p : info.params) {
      const std::string def = p.scale == optim::Scale::Bool ? (p.default_value != 0 ? "true" : "false")
                                                            : format_number(p.default_value);
      char line[256];
      std::snprintf(line, sizeof line, "      %-26s %-10s %-14s ", p.key.c_str(), def.c_str(),
                    range_of(p).c_str());
      out += line + p.meaning + "\n";
    }
  }
  out += "\nSurfaces (use as --surface ID, or --surface \"expr:FORMULA\"):\n\n";
  for (const auto& s : surfaces::catalogue()) {
    char line[256];
    std::snprintf(line, sizeof line, "  %-20s %-28s ", s.id.c_str(), s.name.c_str());
    out += line + s.formula + "\n";
  }
  out += "\nSchedules (torch.optim.lr_scheduler; use as --optimizer ID[:...]@SCHEDULE[:key=value,...],\n"
         "chain a warmup as @linear:...+cosine:...; a key without a default is required):\n";
  for (const auto& info : optim::schedules()) {
    out += "\n  " + info.id + "  " + info.torch + ": " + info.summary + "\n";
    for (const auto& p : info.params) {
      std::string def = p.required() ? "required" : p.default_text;
      if (def.empty()) {
        if (p.kind == optim::ScheduleKind::Bool) def = p.default_value != 0 ? "true" : "false";
        else if (p.kind == optim::ScheduleKind::Choice)
          def = p.choices[static_cast<std::size_t>(p.default_value)];
        else def = format_number(p.default_value);
      }
      std::string range;
      if (p.kind == optim::ScheduleKind::Choice)
        for (const auto& c : p.choices) range += (range.empty() ? "" : "|") + c;
      else if (p.kind == optim::ScheduleKind::Bool) range = "true|false";
      else if (p.kind == optim::ScheduleKind::List) range = "A/B/C";
      else if (p.kind == optim::ScheduleKind::Integer) range = "whole >= " + format_number(p.min);
      else
        range = (p.min_open ? "(" : "[") + format_number(p.min) + ", " +
                (p.max == INFINITY ? std::string("inf)") : format_number(p.max) + (p.max_open ? ")" : "]"));
      char line[256];
      std::snprintf(line, sizeof line, "      %-26s %-12s %-14s ", p.key.c_str(), def.c_str(),
                    range.c_str());
      out += line + p.meaning + "\n";
    }
  }
  return out;
}

std::string json_output(const session::Session& session) {
  std::string out = "{\"surface\":" + json_string(session.surface().id()) +
                    ",\"start\":[" + json_number(session.start().x) + "," +
                    json_number(session.start().y) + "],\"steps\":" +
                    std::to_string(session.steps()) + ",\"runs\":[";
  for (std::size_t i = 0; i < session.size(); ++i) {
    const auto& run = session.run(i);
    out += i ? "," : "";
    out += "{\"optimizer\":" + json_string(run.label) + ",\"id\":" +
           json_string(run.optimizer->id()) + ",\"settings\":" +
           session::settings_json(run.optimizer->settings());
    out += ",\"diverged_at\":" +
           (run.diverged_at < 0 ? std::string("null") : std::to_string(run.diverged_at));
    // lr[t - 1]: the learning rate step t ran with (the schedule's, or the setting).
    out += ",\"lr\":[";
    for (std::size_t t = 0; t < run.rates.size(); ++t)
      out += (t ? "," : "") + json_number(run.rates[t]);
    out += "]";
    const char* names[] = {"x", "y", "f"};
    for (int c = 0; c < 3; ++c) {
      out += ",\"" + std::string(names[c]) + "\":[";
      for (long k = 0; k <= session.steps(); ++k)
        out += (k ? "," : "") + json_number(run.trajectory[3 * static_cast<std::size_t>(k) + c]);
      out += "]";
    }
    out += "}";
  }
  return out + "]}\n";
}

std::string run_subcommand(const std::vector<std::string>& args) {
  std::string surface_spec, start_text, steps_text, noise_text, seed_text, format = "csv";
  std::vector<std::string> optimizer_specs;
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& flag = args[i];
    if (flag != "--surface" && flag != "--start" && flag != "--optimizer" && flag != "--steps" &&
        flag != "--format" && flag != "--noise" && flag != "--seed")
      throw Error("unknown option '" + flag + "' for run (see descent --help)");
    if (i + 1 >= args.size()) throw Error(flag + " needs a value");
    const std::string& value = args[++i];
    if (flag == "--surface") surface_spec = value;
    if (flag == "--start") start_text = value;
    if (flag == "--optimizer") optimizer_specs.push_back(value);
    if (flag == "--steps") steps_text = value;
    if (flag == "--format") format = value;
    if (flag == "--noise") noise_text = value;
    if (flag == "--seed") seed_text = value;
  }
  if (surface_spec.empty()) throw Error("run needs --surface NAME (see descent list)");
  if (optimizer_specs.empty()) throw Error("run needs at least one --optimizer ID[:key=value,...]");
  if (steps_text.empty()) throw Error("run needs --steps N");
  if (format != "csv" && format != "json")
    throw Error("--format expects csv or json, got '" + format + "'");

  auto surface = surfaces::make_surface(surface_spec);
  const surfaces::Point start = start_text.empty() ? surface->start() : parse_point(start_text);
  const long steps = parse_steps(steps_text);
  session::Session session(std::move(surface), start);
  if (!noise_text.empty() || !seed_text.empty()) {
    session::GradientNoise noise;
    if (!noise_text.empty()) noise.scale = parse_double("--noise", noise_text);
    if (!seed_text.empty()) noise.seed = parse_seed(seed_text);
    session.set_noise(noise);
  }
  for (const auto& spec : optimizer_specs) session.add(optim::parse_spec(spec));
  session.step(steps);
  return format == "csv" ? trajectory_csv(session, false) : json_output(session);
}

}  // namespace

std::string usage() {
  return "usage:\n"
         "  descent list\n"
         "  descent run --surface NAME [--start X,Y] --optimizer ID[:key=value,...][@SCHEDULE]\n"
         "              [--optimizer ...] --steps N [--format csv|json]\n"
         "              [--noise SCALE] [--seed N]   Gaussian gradient noise, reproducible\n"
         "  descent sweep --surface NAME [--start X,Y] --optimizer SPEC --vary KEY=LO:HI:N[:log]\n"
         "              [--vary KEY2=...] --steps K [--metric final|best|steps:TOL]\n"
         "              [--format csv|json] [--best]   one run per grid cell, one row per cell\n"
         "  descent train --model linear|logistic --data SPEC|FILE.csv --optimizer ID[:...]\n"
         "              [--batch N|full] [--sampling shuffle|replacement] [--seed S]\n"
         "              [--epochs E | --steps N] [--l2 L] [--precision f32|f64] [--start W,B]\n";
}

std::string run_command(const std::vector<std::string>& args) {
  if (args.empty()) throw Error("missing command\n" + usage());
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") return usage();
  if (args[0] == "list") {
    if (args.size() > 1) throw Error("list takes no arguments");
    return list_command();
  }
  if (args[0] == "run") return run_subcommand(args);
  if (args[0] == "train") return train_command(args);
  if (args[0] == "sweep") return sweep_command(args);
  throw Error("unknown command '" + args[0] + "' (expected list, run, sweep or train)");
}

}  // namespace descent::cli
