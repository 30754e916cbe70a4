// Learning-rate schedules, PyTorch's `torch.optim.lr_scheduler` (2.x), written once.
//
// A schedule is one more stage after the optimizer's own: before step t it sets
// the rate (and, for the cyclic ones, momentum or beta1) the optimizer runs
// with, exactly what torch's optimizer holds when its t-th `step()` runs with
// the scheduler stepped after each `optimizer.step()`. The values are computed
// here, once, in double: the session hands them to its optimizers, the batch
// engine rounds them into its per-step scalars.
//
// Each schedule follows torch's own `get_lr()` (the chainable, recursive forms:
// StepLR multiplies the group's current rate by gamma, CosineAnnealingLR uses
// its ratio of cosines), not the closed forms; the tests check the results
// against the closed forms (tests/native/optim/schedule_test.cpp).
//
//   step:step_size,gamma=0.1                eta_t = eta_0 gamma^floor(e / step_size)
//   multistep:milestones=A/B/C,gamma=0.1    eta_0 gamma^(milestones <= e)
//   exponential:gamma                       eta_0 gamma^e
//   cosine:T_max,eta_min=0                  eta_min + (eta_0 - eta_min)(1 + cos(pi e / T_max)) / 2
//   cosine_restarts:T_0,T_mult=1,eta_min=0  the same over T_cur / T_i, restarting (SGDR)
//   linear:start_factor=1/3,end_factor=1,total_iters=5
//   constant:factor=1/3,total_iters=5
//   polynomial:total_iters=5,power=1
//   onecycle:max_lr,total_steps,...         Smith & Topin 2018; sets the rate itself
//   cyclic:base_lr,max_lr,...               Smith 2017; sets the rate itself
//   plateau:mode=min,factor=0.1,patience=10,...  metric: the loss at the point the
//                                           step starts from
// where e = t - 1 is the scheduler's last_epoch when step t runs and eta_0 the
// optimizer's lr. `A+B` chains stages as torch's SequentialLR does: B starts
// counting (from eta_0) at A's total_iters. Keys without a default are
// required; torch's refusals are refusals here, with a message naming the key.
#pragma once

#include <cmath>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "optim/registry.h"

namespace descent::optim {

enum class ScheduleKind { Real, Integer, Bool, Choice, List };

struct ScheduleParam {
  std::string key;      // torch's name
  std::string meaning;  // one line
  ScheduleKind kind;
  // torch's default; NaN: required, unless `default_text` names what it
  // follows (cyclic's step_size_down: step_size_up).
  double default_value;
  std::string default_text;
  double min, max;  // valid range (Real, Integer; List: each entry)
  bool min_open, max_open;
  std::vector<std::string> choices;  // Choice: the value is the index
  Scale scale;                       // how a control spans it
  double ui_min, ui_max;
  bool required() const { return std::isnan(default_value) && default_text.empty(); }
};

struct ScheduleInfo {
  std::string id;       // `cosine`
  std::string torch;    // `CosineAnnealingLR`
  std::string summary;  // one line
  std::vector<ScheduleParam> params;
  // The rate comes from the schedule's keys alone (onecycle, cyclic): the
  // optimizer's lr is overwritten, as torch does.
  bool sets_rate = false;
  // May stand before `+` (it has total_iters) or after it.
  bool leads = false;
  bool follows = false;
  std::string latex;  // eta_t as LaTeX (the closed form)
};

// The one list: the CLI's `descent list`, the page's schedule controls, the tests.
const std::vector<ScheduleInfo>& schedules();
const ScheduleInfo& find_schedule(std::string_view id);

struct ScheduleStage {
  const ScheduleInfo* info = nullptr;
  std::map<std::string, double> values;  // every key but a List, defaults filled in
  std::vector<double> milestones;        // multistep's list
  double operator[](const std::string& key) const { return values.at(key); }
};

struct ScheduleSpec {
  std::string text;                  // as given
  std::vector<ScheduleStage> stages;  // empty: no schedule (the constant rate)
  // `momentum` or `beta1`: the optimizer key a cycling schedule drives; empty if none.
  std::string momentum_key;
  bool empty() const { return stages.empty(); }
  bool uses_metric() const;  // plateau: needs the loss
  // The most steps the schedule allows (onecycle: total_steps + 1; else -1, no limit).
  long max_steps() const;
};

// `ID[:key=value,...][+ID[:...]...]` for an instance of `optimizer`; throws
// descent::Error naming the schedule and the key on any mistake.
ScheduleSpec parse_schedule(std::string_view text, const OptimizerInfo& optimizer);

// What step t runs with. `momentum` is NaN unless the schedule cycles it.
struct ScheduledValues {
  double lr;
  double momentum;
};

// A schedule running: torch's scheduler attached to one optimizer's group.
class Scheduler {
 public:
  // `base_lr` is the optimizer's lr (torch's initial_lr), `base_momentum` its
  // momentum or beta1 (kept unless the schedule cycles it).
  Scheduler(ScheduleSpec spec, double base_lr);
  ~Scheduler();
  Scheduler(const Scheduler&) = delete;
  Scheduler& operator=(const Scheduler&) = delete;

  // The values for step t = steps() + 1 (call once per step, in order).
  // `previous_loss` is the loss at the point step t - 1 started from
  // (plateau's metric, what `scheduler.step(loss)` gets after step t - 1);
  // ignored for the first step and by the others. Throws descent::Error past
  // onecycle's total_steps, as torch does.
  ScheduledValues next(double previous_loss = NAN);
  long steps() const { return t_; }
  void reset();
  const ScheduleSpec& spec() const { return spec_; }

  struct Group;
  class Stage;

 private:
  ScheduleSpec spec_;
  double base_lr_;
  long t_ = 0;
  std::vector<std::unique_ptr<Stage>> stages_;
  std::vector<long> milestones_;  // SequentialLR's: cumulative total_iters
  std::unique_ptr<Group> group_;
  long last_epoch_ = 0;
};

// The rate of steps 1..steps for `spec` (SPEC[@SCHEDULE]): its schedule run
// on its own (the lr setting on every step without one), for the page's
// per-instance curve. Throws descent::Error for a bad spec, and for plateau,
// whose rates depend on the losses of a run.
std::vector<double> schedule_rates(const OptimizerSpec& spec, long steps);

// The whole list as JSON for the page (ids, torch names, keys with kinds,
// defaults, ranges, choices).
std::string schedules_json();

}  // namespace descent::optim
