#include "optim/schedule.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <numbers>

#include "common/error.h"
#include "common/spec_text.h"
#include "common/json.h"

namespace descent::optim {

namespace {

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr double kPi = std::numbers::pi;

ScheduleParam real(std::string key, std::string meaning, double def, double min, double max,
                   bool min_open, bool max_open, Scale scale, double ui_min, double ui_max) {
  return {std::move(key), std::move(meaning), ScheduleKind::Real, def, "", min, max, min_open,
          max_open, {}, scale, ui_min, ui_max};
}
ScheduleParam integer(std::string key, std::string meaning, double def, double min, double ui_max) {
  return {std::move(key), std::move(meaning), ScheduleKind::Integer, def, "", min, kInfinity, false,
          false, {}, Scale::Linear, min, ui_max};
}
ScheduleParam boolean(std::string key, std::string meaning, bool def) {
  return {std::move(key), std::move(meaning), ScheduleKind::Bool, def ? 1.0 : 0.0, "", 0, 1, false,
          false, {}, Scale::Bool, 0, 1};
}
ScheduleParam choice(std::string key, std::string meaning, std::vector<std::string> choices) {
  const double hi = static_cast<double>(choices.size() - 1);
  return {std::move(key), std::move(meaning), ScheduleKind::Choice, 0.0, "", 0, hi, false, false,
          std::move(choices), Scale::Linear, 0, hi};
}
ScheduleParam rate(std::string key, std::string meaning, double def) {
  return real(std::move(key), std::move(meaning), def, 0, kInfinity, true, false, Scale::Log, 1e-5,
              10);
}
ScheduleParam eta_min() {
  return real("eta_min", "the lowest rate the cosine reaches", 0.0, 0, kInfinity, false, false,
              Scale::Linear, 0, 0.01);
}
ScheduleParam gamma(double def, std::string meaning) {
  return real("gamma", std::move(meaning), def, 0, kInfinity, true, false, Scale::Linear, 0.01, 1);
}
ScheduleParam momentum_value(std::string key, std::string meaning, double def) {
  return real(std::move(key), std::move(meaning), def, 0, 1, false, true, Scale::Linear, 0, 0.999);
}

std::vector<ScheduleInfo> build_schedules() {
  std::vector<ScheduleInfo> list;
  list.push_back({"step", "StepLR", "multiply the rate by gamma every step_size steps",
                  {integer("step_size", "steps between two decays", kNone, 1, 500),
                   gamma(0.1, "factor applied at each decay")},
                  false, false, true,
                  "\\eta_t = \\eta_0\\,\\gamma^{\\lfloor e/\\mathrm{step\\_size}\\rfloor}"});
  list.push_back({"multistep", "MultiStepLR", "multiply the rate by gamma at each milestone",
                  {{"milestones", "steps at which the rate decays, increasing (A/B/C)",
                    ScheduleKind::List, kNone, "", 1, kInfinity, false, false, {}, Scale::Linear, 1,
                    1000},
                   gamma(0.1, "factor applied at each milestone")},
                  false, false, true,
                  "\\eta_t = \\eta_0\\,\\gamma^{\\#\\{m \\le e\\}}"});
  list.push_back({"exponential", "ExponentialLR", "multiply the rate by gamma every step",
                  {gamma(kNone, "factor applied every step")},
                  false, false, true, "\\eta_t = \\eta_0\\,\\gamma^{e}"});
  list.push_back({"cosine", "CosineAnnealingLR", "half a cosine from the rate down to eta_min over T_max steps",
                  {integer("T_max", "steps from the rate down to eta_min", kNone, 1, 1000), eta_min()},
                  false, false, true,
                  "\\eta_t = \\eta_{min} + \\tfrac12(\\eta_0 - \\eta_{min})(1 + \\cos\\tfrac{\\pi e}{T_{max}})"});
  list.push_back({"cosine_restarts", "CosineAnnealingWarmRestarts",
                  "cosine annealing restarted every T_i steps, T_i growing by T_mult (SGDR, Loshchilov & Hutter 2017)",
                  {integer("T_0", "steps to the first restart", kNone, 1, 500),
                   integer("T_mult", "factor by which each period grows", 1, 1, 4), eta_min()},
                  false, false, true,
                  "\\eta_t = \\eta_{min} + \\tfrac12(\\eta_0 - \\eta_{min})(1 + \\cos\\tfrac{\\pi T_{cur}}{T_i})"});
  list.push_back({"linear", "LinearLR", "scale the rate linearly from start_factor to end_factor over total_iters steps (warmup)",
                  {real("start_factor", "factor at the first step", 1.0 / 3.0, 0, 1, true, false,
                        Scale::Linear, 0.01, 1),
                   real("end_factor", "factor from step total_iters on", 1.0, 0, 1, false, false,
                        Scale::Linear, 0, 1),
                   integer("total_iters", "steps the ramp takes", 5, 1, 500)},
                  false, true, true,
                  "\\eta_t = \\eta_0\\,(f_s + (f_e - f_s)\\min(e, T)/T)"});
  list.push_back({"constant", "ConstantLR", "scale the rate by factor for the first total_iters steps",
                  {real("factor", "factor until step total_iters", 1.0 / 3.0, 0, 1, true, false,
                        Scale::Linear, 0.01, 1),
                   integer("total_iters", "steps the factor applies", 5, 0, 500)},
                  false, true, true,
                  "\\eta_t = \\eta_0 \\cdot (\\mathrm{factor} \\text{ if } e < T \\text{ else } 1)"});
  list.push_back({"polynomial", "PolynomialLR", "decay the rate to 0 over total_iters steps as a power",
                  {integer("total_iters", "steps to reach 0", 5, 1, 1000),
                   real("power", "power of the decay", 1.0, 0, kInfinity, false, false,
                        Scale::Linear, 0, 4)},
                  false, true, true,
                  "\\eta_t = \\eta_0\\,(1 - \\min(e, T)/T)^{p}"});
  list.push_back({"onecycle", "OneCycleLR",
                  "up from max_lr/div_factor to max_lr, then down to far below (Smith & Topin 2018); sets the rate itself",
                  {rate("max_lr", "the peak rate", kNone),
                   integer("total_steps", "steps of the whole cycle (the run may not take more)", kNone, 1, 2000),
                   real("pct_start", "fraction of the cycle spent rising", 0.3, 0, 1, false, false,
                        Scale::Linear, 0, 1),
                   choice("anneal_strategy", "shape of each phase", {"cos", "linear"}),
                   real("div_factor", "initial rate = max_lr / div_factor", 25.0, 0, kInfinity, true,
                        false, Scale::Log, 1, 1000),
                   real("final_div_factor", "final rate = initial rate / final_div_factor", 1e4, 0,
                        kInfinity, true, false, Scale::Log, 1, 1e6),
                   boolean("three_phase", "fall back to the initial rate, then annihilate", false),
                   boolean("cycle_momentum", "cycle momentum (or beta1) inversely to the rate", true),
                   momentum_value("base_momentum", "momentum at the peak rate", 0.85),
                   momentum_value("max_momentum", "momentum at the lowest rates", 0.95)},
                  true, false, false,
                  "\\eta_t = \\text{anneal}(\\eta_{start}, \\eta_{end}, \\text{pct of the phase})"});
  list.push_back({"cyclic", "CyclicLR",
                  "triangular cycles between base_lr and max_lr (Smith 2017); sets the rate itself",
                  {rate("base_lr", "the lower rate of the cycle", kNone),
                   rate("max_lr", "the upper rate of the cycle", kNone),
                   real("step_size_up", "steps rising", 2000, 0, kInfinity, true, false,
                        Scale::Linear, 1, 1000),
                   {"step_size_down", "steps falling", ScheduleKind::Real, kNone, "step_size_up", 0,
                    kInfinity, true, false, {}, Scale::Linear, 1, 1000},
                   choice("mode", "amplitude per cycle: constant, halving, or gamma^step",
                          {"triangular", "triangular2", "exp_range"}),
                   real("gamma", "exp_range's factor per step", 1.0, 0, 1, true, false,
                        Scale::Linear, 0.9, 1),
                   boolean("cycle_momentum", "cycle momentum (or beta1) inversely to the rate", true),
                   momentum_value("base_momentum", "momentum at the upper rate", 0.8),
                   momentum_value("max_momentum", "momentum at the lower rate", 0.9)},
                  true, false, false,
                  "\\eta_t = \\eta_{base} + (\\eta_{max} - \\eta_{base})\\max(0, 1 - |x|)\\,s"});
  list.push_back({"plateau", "ReduceLROnPlateau",
                  "multiply the rate by factor when the loss stops improving for patience steps",
                  {choice("mode", "min: the loss should fall; max: rise", {"min", "max"}),
                   real("factor", "factor applied at each reduction", 0.1, 0, 1, true, true,
                        Scale::Linear, 0.01, 0.99),
                   integer("patience", "steps without improvement tolerated", 10, 0, 100),
                   real("threshold", "how much better counts as better", 1e-4, 0, kInfinity, false,
                        false, Scale::Log, 1e-8, 1),
                   choice("threshold_mode", "rel: best * (1 - threshold); abs: best - threshold",
                          {"rel", "abs"}),
                   integer("cooldown", "steps after a reduction before counting again", 0, 0, 100),
                   real("min_lr", "the rate never falls below this", 0.0, 0, kInfinity, false, false,
                        Scale::Linear, 0, 0.01),
                   real("eps", "reductions smaller than this are skipped", 1e-8, 0, kInfinity, false,
                        false, Scale::Log, 1e-12, 1e-2)},
                  false, false, false,
                  "\\eta_t = \\max(\\eta_{t-1}\\,\\mathrm{factor}, \\eta_{min}) \\text{ after patience bad steps}"});
  return list;
}

std::string range_text(const ScheduleParam& p) {
  if (p.kind == ScheduleKind::Bool) return "must be true or false (1 or 0)";
  if (p.kind == ScheduleKind::Integer)
    return "must be a whole number >= " + format_number(p.min);
  if (p.max == kInfinity)
    return std::string("must be ") + (p.min_open ? "> " : ">= ") + format_number(p.min);
  return std::string("must be in ") + (p.min_open ? "(" : "[") + format_number(p.min) + ", " +
         format_number(p.max) + (p.max_open ? ")" : "]");
}

bool in_range(const ScheduleParam& p, double v) {
  if (!std::isfinite(v)) return false;
  if (p.kind == ScheduleKind::Integer && v != std::floor(v)) return false;
  const bool above = p.min_open ? v > p.min : v >= p.min;
  const bool below = p.max_open ? v < p.max : v <= p.max;
  return above && below;
}

double number_in(const std::string& where, const std::string& text) {
  const auto v = parse_number(text);
  if (!v) throw Error(where + " expects a number, got '" + text + "'");
  return *v;
}

const ScheduleParam& find_key(const ScheduleInfo& info, const std::string& key) {
  return find_by(info.params, &ScheduleParam::key, key, "schedule key", info.id + ": ");
}

double parse_value(const ScheduleInfo& info, const ScheduleParam& p, const std::string& text,
                   ScheduleStage& stage) {
  const std::string where = info.id + ": " + p.key;
  switch (p.kind) {
    case ScheduleKind::Bool:
      if (text == "true" || text == "1") return 1.0;
      if (text == "false" || text == "0") return 0.0;
      throw Error(where + " expects true or false, got '" + text + "'");
    case ScheduleKind::Choice: {
      for (std::size_t i = 0; i < p.choices.size(); ++i)
        if (p.choices[i] == text) return static_cast<double>(i);
      std::string known;
      for (const auto& c : p.choices) known += (known.empty() ? "" : "|") + c;
      throw Error(where + " must be one of " + known + ", got '" + text + "'");
    }
    case ScheduleKind::List: {
      std::string rest = text;
      while (true) {
        const auto slash = rest.find('/');
        const double v = number_in(where, rest.substr(0, slash));
        if (!std::isfinite(v) || v != std::floor(v) || v < p.min)
          throw Error(where + " must be whole numbers >= 1 separated by /, got '" + text + "'");
        if (!stage.milestones.empty() && v <= stage.milestones.back())
          throw Error(where + " must be increasing, got '" + text + "'");
        stage.milestones.push_back(v);
        if (slash == std::string::npos) break;
        rest = rest.substr(slash + 1);
      }
      return static_cast<double>(stage.milestones.size());
    }
    default: {
      const double v = number_in(where, text);
      if (!in_range(p, v)) throw Error(where + " " + range_text(p) + ", got " + format_number(v));
      return v;
    }
  }
}

bool has_key(const OptimizerInfo& info, const std::string& key) {
  return std::any_of(info.params.begin(), info.params.end(),
                     [&](const ParamInfo& p) { return p.key == key; });
}

// Torch's checks across keys, and against the optimizer the stage drives.
void check_stage(const ScheduleStage& s, const OptimizerInfo& optimizer, std::string& momentum_key) {
  const std::string& id = s.info->id;
  if (s.values.count("cycle_momentum") && s["cycle_momentum"] != 0.0) {
    if (has_key(optimizer, "momentum")) momentum_key = "momentum";
    else if (has_key(optimizer, "beta1")) momentum_key = "beta1";
    else
      throw Error(id + ": cycle_momentum needs an optimizer with momentum or beta1, and " +
                  optimizer.id + " has neither (torch: 'optimizer must support momentum or beta1 "
                  "with `cycle_momentum` option enabled'); give cycle_momentum=false");
    if (s["base_momentum"] > s["max_momentum"])
      throw Error(id + ": base_momentum must be <= max_momentum, got " +
                  format_number(s["base_momentum"]) + " > " + format_number(s["max_momentum"]));
  }
  if (id == "cyclic" && s["max_lr"] < s["base_lr"])
    throw Error("cyclic: max_lr must be >= base_lr, got " + format_number(s["max_lr"]) + " < " +
                format_number(s["base_lr"]));
  if (id == "onecycle" && s["pct_start"] * s["total_steps"] == 1.0)
    throw Error("onecycle: pct_start * total_steps must not be 1 (the first phase would have no "
                "length; torch divides by zero)");
}

}  // namespace

const std::vector<ScheduleInfo>& schedules() {
  static const std::vector<ScheduleInfo> list = build_schedules();
  return list;
}

const ScheduleInfo& find_schedule(std::string_view id) {
  return find_by(schedules(), &ScheduleInfo::id, id, "schedule");
}

bool ScheduleSpec::uses_metric() const {
  return std::any_of(stages.begin(), stages.end(),
                     [](const ScheduleStage& s) { return s.info->id == "plateau"; });
}

long ScheduleSpec::max_steps() const {
  // Step t runs with the values of last_epoch t - 1, and torch's OneCycleLR
  // computes them up to last_epoch total_steps.
  for (const auto& s : stages)
    if (s.info->id == "onecycle") return static_cast<long>(s["total_steps"]) + 1;
  return -1;
}

ScheduleSpec parse_schedule(std::string_view text, const OptimizerInfo& optimizer) {
  ScheduleSpec spec;
  spec.text = std::string(text);
  if (text.empty()) throw Error("empty schedule after '@' (known: see descent list)");
  std::string_view rest = text;
  while (true) {
    // A '+' before a letter starts the next stage ("1e+5" stays a number).
    std::size_t plus = rest.find('+');
    while (plus != std::string_view::npos &&
           !(plus + 1 < rest.size() && std::isalpha(static_cast<unsigned char>(rest[plus + 1]))))
      plus = rest.find('+', plus + 1);
    const std::string_view part = rest.substr(0, plus);
    const auto colon = part.find(':');
    ScheduleStage stage;
    stage.info = &find_schedule(part.substr(0, colon));
    const ScheduleInfo& info = *stage.info;
    if (colon != std::string_view::npos)
      for_each_setting(part.substr(colon + 1), info.id,
                       [&](std::string_view key, std::string_view value) {
                         const ScheduleParam& p = find_key(info, std::string(key));
                         stage.values[p.key] = parse_value(info, p, std::string(value), stage);
                       });
    for (const auto& p : info.params) {
      if (stage.values.count(p.key)) continue;
      if (p.required()) throw Error(info.id + ": " + p.key + " is required (no default in torch)");
      if (p.kind != ScheduleKind::List)
        stage.values[p.key] = std::isnan(p.default_value) ? kNone : p.default_value;
    }
    if (info.id == "cyclic" && std::isnan(stage["step_size_down"]))
      stage.values["step_size_down"] = stage["step_size_up"];
    check_stage(stage, optimizer, spec.momentum_key);
    spec.stages.push_back(std::move(stage));
    if (plus == std::string_view::npos) break;
    rest = rest.substr(plus + 1);
  }
  if (spec.stages.size() > 1)
    for (std::size_t i = 0; i < spec.stages.size(); ++i) {
      const ScheduleInfo& info = *spec.stages[i].info;
      const bool last = i + 1 == spec.stages.size();
      if (!last && !info.leads)
        throw Error(info.id + ": only a schedule with total_iters (linear, constant, polynomial) "
                    "can come before '+'");
      if (!last && info.leads && spec.stages[i]["total_iters"] < 1)
        throw Error(info.id + ": total_iters must be >= 1 before '+'");
      if (!info.follows)
        throw Error(info.id + ": cannot be chained with '+' (torch's SequentialLR takes no " +
                    info.torch + ")");
    }
  return spec;
}

// ---------------------------------------------------------------------------
// The running schedules: torch's get_lr(), step by step.

struct Scheduler::Group {
  double lr;
  double initial_lr;
  double momentum = kNone;
};

class Scheduler::Stage {
 public:
  explicit Stage(const ScheduleStage& s) : s_(s) {}
  virtual ~Stage() = default;
  // Construction with its initial step (last_epoch 0).
  virtual void start(Group& g) {
    e_ = 0;
    g.lr = initial(g);
  }
  // scheduler.step(): last_epoch + 1, the group's new values.
  virtual void step(Group& g, double metric) = 0;
  // SequentialLR's scheduler.step(0) at a milestone: the closed form at 0.
  virtual void restart(Group& g) {
    e_ = 0;
    g.lr = closed(g.initial_lr, 0);
  }

 protected:
  virtual double initial(const Group& g) { return g.lr; }
  virtual double closed(double base, long e) = 0;
  double v(const char* key) const { return s_[key]; }
  const ScheduleStage& s_;
  long e_ = 0;
};

namespace {

using Group = Scheduler::Group;
using Stage = Scheduler::Stage;

class StepStage final : public Stage {
 public:
  using Stage::Stage;
  void step(Group& g, double) override {
    ++e_;
    const long size = static_cast<long>(v("step_size"));
    if (e_ % size == 0) g.lr = g.lr * v("gamma");
  }
  double closed(double base, long e) override {
    return base * std::pow(v("gamma"), static_cast<double>(e / static_cast<long>(v("step_size"))));
  }
};

class MultiStepStage final : public Stage {
 public:
  using Stage::Stage;
  void step(Group& g, double) override {
    ++e_;
    if (std::find(s_.milestones.begin(), s_.milestones.end(), static_cast<double>(e_)) !=
        s_.milestones.end())
      g.lr = g.lr * v("gamma");  // gamma ** count, count 1: milestones are increasing
  }
  double closed(double base, long e) override {
    const auto passed = std::upper_bound(s_.milestones.begin(), s_.milestones.end(),
                                         static_cast<double>(e)) - s_.milestones.begin();
    return base * std::pow(v("gamma"), static_cast<double>(passed));
  }
};

class ExponentialStage final : public Stage {
 public:
  using Stage::Stage;
  void step(Group& g, double) override {
    ++e_;
    g.lr = g.lr * v("gamma");
  }
  double closed(double base, long e) override {
    return base * std::pow(v("gamma"), static_cast<double>(e));
  }
};

class CosineStage final : public Stage {
 public:
  using Stage::Stage;
  // torch's recursive form (CosineAnnealingLR.get_lr), including its branch
  // one step past each trough.
  void step(Group& g, double) override {
    ++e_;
    const double t_max = v("T_max"), eta_min = v("eta_min");
    const long period = 2 * static_cast<long>(t_max);
    if ((e_ - 1 - static_cast<long>(t_max)) % period == 0) {
      g.lr = g.lr + (g.initial_lr - eta_min) * (1 - std::cos(kPi / t_max)) / 2;
    } else {
      const double ed = static_cast<double>(e_);
      g.lr = (1 + std::cos(kPi * ed / t_max)) / (1 + std::cos(kPi * (ed - 1) / t_max)) *
                 (g.lr - eta_min) +
             eta_min;
    }
  }
  double closed(double base, long e) override {
    const double eta_min = v("eta_min");
    return eta_min +
           (base - eta_min) * (1 + std::cos(kPi * static_cast<double>(e) / v("T_max"))) / 2;
  }
};

class RestartsStage final : public Stage {
 public:
  using Stage::Stage;
  void start(Group& g) override { restart(g); }
  void restart(Group& g) override {
    e_ = 0;
    t_i_ = v("T_0");
    t_cur_ = 0;
    g.lr = value(g.initial_lr);
  }
  void step(Group& g, double) override {
    ++e_;
    t_cur_ = t_cur_ + 1;
    if (t_cur_ >= t_i_) {
      t_cur_ = t_cur_ - t_i_;
      t_i_ = t_i_ * v("T_mult");
    }
    g.lr = value(g.initial_lr);
  }
  double closed(double base, long) override { return value(base); }

 private:
  double value(double base) const {
    const double eta_min = v("eta_min");
    return eta_min + (base - eta_min) * (1 + std::cos(kPi * t_cur_ / t_i_)) / 2;
  }
  double t_i_ = 0, t_cur_ = 0;
};

class LinearStage final : public Stage {
 public:
  using Stage::Stage;
  double initial(const Group& g) override { return g.lr * v("start_factor"); }
  void step(Group& g, double) override {
    ++e_;
    const double total = v("total_iters"), fs = v("start_factor"), fe = v("end_factor");
    if (static_cast<double>(e_) > total) return;
    g.lr = g.lr * (1.0 + (fe - fs) / (total * fs + (static_cast<double>(e_) - 1) * (fe - fs)));
  }
  double closed(double base, long e) override {
    const double total = v("total_iters"), fs = v("start_factor"), fe = v("end_factor");
    return base * (fs + (fe - fs) * std::min(total, static_cast<double>(e)) / total);
  }
};

class ConstantStage final : public Stage {
 public:
  using Stage::Stage;
  double initial(const Group& g) override { return g.lr * v("factor"); }
  void step(Group& g, double) override {
    ++e_;
    if (static_cast<double>(e_) != v("total_iters")) return;
    g.lr = g.lr * (1.0 / v("factor"));
  }
  double closed(double base, long e) override {
    const double f = v("factor");
    return base * (f + (static_cast<double>(e) >= v("total_iters") ? 1.0 : 0.0) * (1 - f));
  }
};

class PolynomialStage final : public Stage {
 public:
  using Stage::Stage;
  void step(Group& g, double) override {
    ++e_;
    const double total = v("total_iters"), ed = static_cast<double>(e_);
    if (ed > total) return;
    const double decay = std::pow((1.0 - ed / total) / (1.0 - (ed - 1) / total), v("power"));
    g.lr = g.lr * decay;
  }
  double closed(double base, long e) override {
    const double total = v("total_iters");
    return base * std::pow(1.0 - std::min(total, static_cast<double>(e)) / total, v("power"));
  }
};

class OneCycleStage final : public Stage {
 public:
  explicit OneCycleStage(const ScheduleStage& s) : Stage(s) {
    const double total = v("total_steps"), pct = v("pct_start");
    max_lr_ = v("max_lr");
    initial_lr_ = max_lr_ / v("div_factor");
    min_lr_ = initial_lr_ / v("final_div_factor");
    const double lo_m = v("base_momentum"), hi_m = v("max_momentum");
    if (v("three_phase") != 0.0) {
      phases_ = {{pct * total - 1, initial_lr_, max_lr_, hi_m, lo_m},
                 {2 * pct * total - 2, max_lr_, initial_lr_, lo_m, hi_m},
                 {total - 1, initial_lr_, min_lr_, hi_m, hi_m}};
    } else {
      phases_ = {{pct * total - 1, initial_lr_, max_lr_, hi_m, lo_m},
                 {total - 1, max_lr_, min_lr_, lo_m, hi_m}};
    }
  }
  void start(Group& g) override {
    g.initial_lr = initial_lr_;
    e_ = 0;
    set(g);
  }
  void step(Group& g, double) override {
    ++e_;
    if (static_cast<double>(e_) > v("total_steps"))
      throw Error("onecycle: total_steps is " + format_number(v("total_steps")) +
                  ", so a run takes at most total_steps + 1 steps (torch raises 'Tried to step " +
                  std::to_string(e_) + " times')");
    set(g);
  }
  double closed(double, long) override { return kNone; }  // never chained

 private:
  struct Phase {
    double end_step, start_lr, end_lr, start_momentum, end_momentum;
  };
  double anneal(double start, double end, double pct) const {
    if (v("anneal_strategy") == 0.0) {
      const double cos_out = std::cos(kPi * pct) + 1;
      return end + (start - end) / 2.0 * cos_out;
    }
    return (end - start) * pct + start;
  }
  void set(Group& g) const {
    const double step_num = static_cast<double>(e_);
    double start_step = 0.0;
    for (std::size_t i = 0; i < phases_.size(); ++i) {
      const Phase& p = phases_[i];
      if (step_num <= p.end_step || i + 1 == phases_.size()) {
        const double pct = (step_num - start_step) / (p.end_step - start_step);
        g.lr = anneal(p.start_lr, p.end_lr, pct);
        if (v("cycle_momentum") != 0.0) g.momentum = anneal(p.start_momentum, p.end_momentum, pct);
        return;
      }
      start_step = p.end_step;
    }
  }
  double max_lr_, initial_lr_, min_lr_;
  std::vector<Phase> phases_;
};

class CyclicStage final : public Stage {
 public:
  using Stage::Stage;
  void start(Group& g) override {
    g.lr = v("base_lr");
    g.initial_lr = v("base_lr");
    e_ = 0;
    set(g);
  }
  void step(Group& g, double) override {
    ++e_;
    set(g);
  }
  double closed(double, long) override { return kNone; }  // never chained

 private:
  void set(Group& g) const {
    const double up = v("step_size_up"), down = v("step_size_down");
    const double total_size = up + down, step_ratio = up / total_size;
    const double e = static_cast<double>(e_);
    const double cycle = std::floor(1 + e / total_size);
    const double x = 1.0 + e / total_size - cycle;
    const double scale_factor = x <= step_ratio ? x / step_ratio : (x - 1) / (step_ratio - 1);
    const int mode = static_cast<int>(v("mode"));
    // triangular: 1; triangular2: 1 / 2^(cycle - 1); exp_range: gamma^e (scale_mode iterations)
    const double scale = mode == 0   ? 1.0
                         : mode == 1 ? 1 / std::pow(2.0, cycle - 1)
                                     : std::pow(v("gamma"), e);
    const double base_lr = v("base_lr"), max_lr = v("max_lr");
    const double base_height = (max_lr - base_lr) * scale_factor;
    g.lr = base_lr + base_height * scale;
    if (v("cycle_momentum") != 0.0) {
      const double lo = v("base_momentum"), hi = v("max_momentum");
      g.momentum = hi - (hi - lo) * scale_factor * scale;
    }
  }
};

class PlateauStage final : public Stage {
 public:
  using Stage::Stage;
  void start(Group&) override {
    e_ = 0;
    best_ = minimizing() ? kInfinity : -kInfinity;
    bad_ = 0;
    cooldown_counter_ = 0;
  }
  void step(Group& g, double current) override {
    ++e_;
    if (better(current, best_)) {
      best_ = current;
      bad_ = 0;
    } else {
      ++bad_;
    }
    if (cooldown_counter_ > 0) {
      --cooldown_counter_;
      bad_ = 0;
    }
    if (bad_ > static_cast<long>(v("patience"))) {
      const double old_lr = g.lr;
      const double new_lr = std::max(old_lr * v("factor"), v("min_lr"));
      if (old_lr - new_lr > v("eps")) g.lr = new_lr;
      cooldown_counter_ = static_cast<long>(v("cooldown"));
      bad_ = 0;
    }
  }
  double closed(double, long) override { return kNone; }  // never chained

 private:
  bool minimizing() const { return v("mode") == 0.0; }
  bool better(double a, double best) const {
    const double th = v("threshold");
    const bool rel = v("threshold_mode") == 0.0;
    if (minimizing()) return rel ? a < best * (1.0 - th) : a < best - th;
    return rel ? a > best * (th + 1.0) : a > best + th;
  }
  double best_ = 0;
  long bad_ = 0, cooldown_counter_ = 0;
};

std::unique_ptr<Stage> make_stage(const ScheduleStage& s) {
  const std::string& id = s.info->id;
  if (id == "step") return std::make_unique<StepStage>(s);
  if (id == "multistep") return std::make_unique<MultiStepStage>(s);
  if (id == "exponential") return std::make_unique<ExponentialStage>(s);
  if (id == "cosine") return std::make_unique<CosineStage>(s);
  if (id == "cosine_restarts") return std::make_unique<RestartsStage>(s);
  if (id == "linear") return std::make_unique<LinearStage>(s);
  if (id == "constant") return std::make_unique<ConstantStage>(s);
  if (id == "polynomial") return std::make_unique<PolynomialStage>(s);
  if (id == "onecycle") return std::make_unique<OneCycleStage>(s);
  if (id == "cyclic") return std::make_unique<CyclicStage>(s);
  if (id == "plateau") return std::make_unique<PlateauStage>(s);
  throw Error("schedule '" + id + "' has no implementation");
}

}  // namespace

Scheduler::Scheduler(ScheduleSpec spec, double base_lr)
    : spec_(std::move(spec)), base_lr_(base_lr), group_(std::make_unique<Group>()) {
  long milestone = 0;
  for (std::size_t i = 0; i < spec_.stages.size(); ++i) {
    stages_.push_back(make_stage(spec_.stages[i]));
    if (i + 1 < spec_.stages.size()) {
      milestone += static_cast<long>(spec_.stages[i]["total_iters"]);
      milestones_.push_back(milestone);
    }
  }
  reset();
}

Scheduler::~Scheduler() = default;

void Scheduler::reset() {
  t_ = 0;
  last_epoch_ = 0;
  *group_ = Group{base_lr_, base_lr_, kNone};
  // SequentialLR: only the first stage takes its initial step.
  if (!stages_.empty()) stages_.front()->start(*group_);
}

ScheduledValues Scheduler::next(double previous_loss) {
  if (t_ > 0 && !stages_.empty()) {
    ++last_epoch_;
    // SequentialLR.step: the stage whose span holds last_epoch; at a
    // milestone, that stage's step(0).
    const std::size_t idx = static_cast<std::size_t>(
        std::upper_bound(milestones_.begin(), milestones_.end(), last_epoch_) - milestones_.begin());
    if (idx > 0 && milestones_[idx - 1] == last_epoch_) stages_[idx]->restart(*group_);
    else stages_[idx]->step(*group_, previous_loss);
  }
  ++t_;
  return {group_->lr, group_->momentum};
}

std::vector<double> schedule_rates(const OptimizerSpec& spec, long steps) {
  const double lr = complete_settings(find_optimizer(spec.id), spec.settings).at("lr");
  if (!spec.schedule) return std::vector<double>(static_cast<std::size_t>(std::max(0L, steps)), lr);
  if (spec.schedule->uses_metric())
    throw Error("plateau: its rates depend on the losses of a run, so there is no curve ahead of it");
  const long limit = spec.schedule->max_steps();
  Scheduler scheduler(*spec.schedule, lr);
  std::vector<double> out;
  for (long t = 1; t <= steps && (limit < 0 || t <= limit); ++t) out.push_back(scheduler.next().lr);
  return out;
}

std::string schedules_json() {
  const auto kind_name = [](ScheduleKind k) {
    switch (k) {
      case ScheduleKind::Real: return "real";
      case ScheduleKind::Integer: return "integer";
      case ScheduleKind::Bool: return "bool";
      case ScheduleKind::Choice: return "choice";
      case ScheduleKind::List: return "list";
    }
    return "real";
  };
  const auto scale_name = [](Scale s) {
    return s == Scale::Log ? "log" : s == Scale::Bool ? "bool" : "linear";
  };
  std::string out = "[";
  for (std::size_t i = 0; i < schedules().size(); ++i) {
    const ScheduleInfo& info = schedules()[i];
    out += (i ? "," : "") + std::string("{\"id\":") + json_string(info.id) +
           ",\"torch\":" + json_string(info.torch) + ",\"summary\":" + json_string(info.summary) +
           ",\"setsRate\":" + (info.sets_rate ? "true" : "false") +
           ",\"leads\":" + (info.leads ? "true" : "false") +
           ",\"follows\":" + (info.follows ? "true" : "false") +
           ",\"latex\":" + json_string(info.latex) + ",\"params\":[";
    for (std::size_t j = 0; j < info.params.size(); ++j) {
      const ScheduleParam& p = info.params[j];
      out += (j ? "," : "") + std::string("{\"key\":") + json_string(p.key) +
             ",\"meaning\":" + json_string(p.meaning) + ",\"kind\":" + json_string(kind_name(p.kind)) +
             ",\"default\":" + json_number(p.default_value) +
             ",\"defaultText\":" + json_string(p.default_text) +
             ",\"required\":" + (p.required() ? "true" : "false") +
             ",\"min\":" + json_number(p.min) + ",\"max\":" + json_number(p.max) +
             ",\"minOpen\":" + (p.min_open ? "true" : "false") +
             ",\"maxOpen\":" + (p.max_open ? "true" : "false") +
             ",\"scale\":" + json_string(scale_name(p.scale)) +
             ",\"uiMin\":" + json_number(p.ui_min) + ",\"uiMax\":" + json_number(p.ui_max) +
             ",\"choices\":[";
      for (std::size_t c = 0; c < p.choices.size(); ++c)
        out += (c ? "," : "") + json_string(p.choices[c]);
      out += "]}";
    }
    out += "]}";
  }
  return out + "]";
}

}  // namespace descent::optim
