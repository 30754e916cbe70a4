// Learning-rate schedules against torch's documented closed forms.
//
// optim/schedule.cpp follows torch's own get_lr() code (the chainable,
// recursive forms); the reference values here come from the formulas in
// torch.optim.lr_scheduler's documentation and the papers (the closed forms,
// Smith's triangular form for CyclicLR, the SGDR restart rule), written out
// independently in this file. Cross-checked by hand once against
// torch.optim.lr_scheduler (see the commit); the suite does not need torch.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <numbers>
#include <string>
#include <vector>

#include "common/error.h"
#include "optim/registry.h"
#include "optim/schedule.h"
#include "session/session.h"
#include "surfaces/surface.h"

using namespace descent;
using namespace descent::optim;

namespace {

constexpr double kPi = std::numbers::pi;
constexpr int kSteps = 300;

std::vector<ScheduledValues> run_schedule(const std::string& optimizer, const std::string& text,
                                          int steps = kSteps) {
  const OptimizerSpec spec = parse_spec(optimizer + "@" + text);
  const double lr = complete_settings(find_optimizer(spec.id), spec.settings).at("lr");
  Scheduler scheduler(*spec.schedule, lr);
  std::vector<ScheduledValues> out;
  for (int t = 1; t <= steps; ++t) out.push_back(scheduler.next());
  return out;
}

// 1e-9 relative, or 1e-12 of the scale where the reference is (near) zero.
void check_close(double got, double want, double scale) {
  CHECK(std::abs(got - want) <= std::max(1e-9 * std::abs(want), 1e-12 * scale));
}

// Every step t = 1..steps: rate(t) against reference(e) with e = t - 1.
void check_rates(const std::string& optimizer, const std::string& text,
                 const std::function<double(long e)>& reference, double scale,
                 int steps = kSteps) {
  const auto got = run_schedule(optimizer, text, steps);
  for (long e = 0; e < steps; ++e) {
    CAPTURE(text, e);
    check_close(got[static_cast<std::size_t>(e)].lr, reference(e), scale);
  }
}

}  // namespace

TEST_CASE("StepLR, MultiStepLR and ExponentialLR follow eta_0 gamma^k", "[schedule]") {
  check_rates("sgd:lr=0.1", "step:step_size=30",
              [](long e) { return 0.1 * std::pow(0.1, static_cast<double>(e / 30)); }, 0.1);
  check_rates("sgd:lr=0.1", "step:step_size=7,gamma=0.9",
              [](long e) { return 0.1 * std::pow(0.9, static_cast<double>(e / 7)); }, 0.1);
  check_rates("sgd:lr=0.5", "multistep:milestones=30/80/200,gamma=0.5",
              [](long e) { return 0.5 * std::pow(0.5, (e >= 30) + (e >= 80) + (e >= 200)); }, 0.5);
  check_rates("adam:lr=0.01", "exponential:gamma=0.99",
              [](long e) { return 0.01 * std::pow(0.99, static_cast<double>(e)); }, 0.01);
}

TEST_CASE("CosineAnnealingLR's recursive form equals the closed form, past T_max too", "[schedule]") {
  // torch documents the recursion and says it equals the closed form (which
  // keeps following the cosine beyond T_max, back up to eta_0 at 2 T_max).
  for (const auto& [t_max, eta_min] : std::vector<std::pair<int, double>>{{100, 1e-4}, {37, 0.0}, {1, 1e-3}}) {
    const std::string text = "cosine:T_max=" + std::to_string(t_max) + ",eta_min=" + std::to_string(eta_min);
    check_rates("adam:lr=0.1", text,
                [&](long e) {
                  return eta_min + (0.1 - eta_min) * (1 + std::cos(kPi * static_cast<double>(e) / t_max)) / 2;
                },
                0.1);
  }
  // Hand values: half-way down and at the trough.
  const auto v = run_schedule("sgd:lr=1", "cosine:T_max=10");
  CHECK(v[0].lr == 1.0);
  CHECK(v[5].lr == Approx(0.5).epsilon(1e-12));
  CHECK(std::abs(v[10].lr) < 1e-15);
}

TEST_CASE("CosineAnnealingWarmRestarts restarts every T_i, T_i growing by T_mult", "[schedule]") {
  const double eta0 = 0.05, eta_min = 1e-3;
  for (int t_mult : {1, 2, 3}) {
    const int t0 = 10;
    check_rates("sgd:lr=0.05",
                "cosine_restarts:T_0=10,T_mult=" + std::to_string(t_mult) + ",eta_min=0.001",
                [&](long e) {
                  // SGDR: the period holding e, and e's position in it.
                  long start = 0, period = t0;
                  while (e >= start + period) {
                    start += period;
                    period *= t_mult;
                  }
                  const double t_cur = static_cast<double>(e - start);
                  return eta_min + (eta0 - eta_min) * (1 + std::cos(kPi * t_cur / period)) / 2;
                },
                eta0);
  }
  // A restart is back at eta_0: T_mult 2 restarts at 10, 30, 70, 150.
  const auto v = run_schedule("sgd:lr=0.05", "cosine_restarts:T_0=10,T_mult=2");
  for (int e : {0, 10, 30, 70, 150}) CHECK(v[e].lr == Approx(0.05).epsilon(1e-12));
}

TEST_CASE("LinearLR, ConstantLR and PolynomialLR with torch's defaults", "[schedule]") {
  // Defaults: start_factor 1/3, end_factor 1, total_iters 5.
  check_rates("sgd:lr=0.3", "linear",
              [](long e) { return 0.3 * (1.0 / 3 + (1 - 1.0 / 3) * std::min(e, 5L) / 5.0); }, 0.3);
  check_rates("sgd:lr=0.3", "linear:start_factor=1,end_factor=0.01,total_iters=120",
              [](long e) { return 0.3 * (1 + (0.01 - 1) * std::min(e, 120L) / 120.0); }, 0.3);
  // Defaults: factor 1/3, total_iters 5.
  check_rates("sgd:lr=0.3", "constant", [](long e) { return e < 5 ? 0.1 : 0.3; }, 0.3);
  check_rates("sgd:lr=0.3", "constant:factor=0.5,total_iters=40",
              [](long e) { return e < 40 ? 0.15 : 0.3; }, 0.3);
  // Defaults: total_iters 5, power 1.
  check_rates("sgd:lr=0.3", "polynomial", [](long e) { return 0.3 * (1 - std::min(e, 5L) / 5.0); }, 0.3);
  check_rates("sgd:lr=0.3", "polynomial:total_iters=200,power=2",
              [](long e) { return 0.3 * std::pow(1 - std::min(e, 200L) / 200.0, 2.0); }, 0.3);
}

TEST_CASE("warmup then cosine: the second schedule counts from the first's total_iters", "[schedule]") {
  // torch's SequentialLR(milestones=[total_iters]): at the milestone the
  // cosine starts again at eta_0.
  check_rates("adam:lr=0.1", "linear:start_factor=0.1,total_iters=20+cosine:T_max=280,eta_min=0.0001",
              [](long e) {
                if (e < 20) return 0.1 * (0.1 + 0.9 * e / 20.0);
                const double k = static_cast<double>(e - 20);
                return 1e-4 + (0.1 - 1e-4) * (1 + std::cos(kPi * k / 280)) / 2;
              },
              0.1);
  check_rates("sgd:lr=0.2", "constant:factor=0.5,total_iters=10+step:step_size=50,gamma=0.5",
              [](long e) { return e < 10 ? 0.1 : 0.2 * std::pow(0.5, static_cast<double>((e - 10) / 50)); },
              0.2);
}

namespace {
// OneCycleLR as its documentation and Smith & Topin describe it, phase by phase.
struct OneCycleRef {
  double max_lr, total, pct, div, final_div, base_m, max_m;
  bool cos, three;
  double anneal(double a, double b, double x) const {
    return cos ? b + (a - b) * (1 + std::cos(kPi * x)) / 2 : a + (b - a) * x;
  }
  std::pair<double, double> at(long e) const {
    const double initial = max_lr / div, min_lr = initial / final_div, s = static_cast<double>(e);
    const double up_end = pct * total - 1;
    if (s <= up_end) return {anneal(initial, max_lr, s / up_end), anneal(max_m, base_m, s / up_end)};
    if (!three) {
      const double x = (s - up_end) / (total - 1 - up_end);
      return {anneal(max_lr, min_lr, x), anneal(base_m, max_m, x)};
    }
    const double down_end = 2 * pct * total - 2;
    if (s <= down_end) {
      const double x = (s - up_end) / (down_end - up_end);
      return {anneal(max_lr, initial, x), anneal(base_m, max_m, x)};
    }
    return {anneal(initial, min_lr, (s - down_end) / (total - 1 - down_end)), max_m};
  }
};
}  // namespace

TEST_CASE("OneCycleLR: two and three phases, cos and linear, momentum cycled", "[schedule]") {
  const std::vector<std::pair<std::string, OneCycleRef>> cases = {
      {"onecycle:max_lr=0.5,total_steps=300", {0.5, 300, 0.3, 25, 1e4, 0.85, 0.95, true, false}},
      {"onecycle:max_lr=0.5,total_steps=300,three_phase=true",
       {0.5, 300, 0.3, 25, 1e4, 0.85, 0.95, true, true}},
      {"onecycle:max_lr=0.2,total_steps=300,pct_start=0.25,anneal_strategy=linear,div_factor=10,"
       "final_div_factor=100,base_momentum=0.8,max_momentum=0.9",
       {0.2, 300, 0.25, 10, 100, 0.8, 0.9, false, false}},
      {"onecycle:max_lr=0.2,total_steps=300,anneal_strategy=linear,three_phase=true",
       {0.2, 300, 0.3, 25, 1e4, 0.85, 0.95, false, true}},
  };
  for (const auto& [text, ref] : cases) {
    const auto got = run_schedule("momentum:lr=0.01", text);
    for (long e = 0; e < kSteps; ++e) {
      CAPTURE(text, e);
      const auto [lr, momentum] = ref.at(e);
      check_close(got[static_cast<std::size_t>(e)].lr, lr, ref.max_lr);
      check_close(got[static_cast<std::size_t>(e)].momentum, momentum, 1.0);
    }
  }
  // Hand values: it starts at max_lr / 25, peaks at max_lr, ends at max_lr / 25 / 1e4.
  const auto v = run_schedule("adam", "onecycle:max_lr=1,total_steps=100", 101);
  CHECK(v[0].lr == Approx(0.04).epsilon(1e-12));
  CHECK(v[0].momentum == Approx(0.95).epsilon(1e-12));
  CHECK(v[29].lr == Approx(1.0).epsilon(1e-12));
  CHECK(v[29].momentum == Approx(0.85).epsilon(1e-12));
  CHECK(v[99].lr == Approx(4e-6).epsilon(1e-9));
  // Without cycle_momentum, momentum is left alone.
  CHECK(std::isnan(run_schedule("adam", "onecycle:max_lr=1,total_steps=10,cycle_momentum=false", 5)[2].momentum));
}

TEST_CASE("CyclicLR: triangular, triangular2 and exp_range against Smith's form", "[schedule]") {
  // Smith 2017: cycle = floor(1 + e / (2 s)), x = |e / s - 2 cycle + 1|,
  // lr = base + (max - base) max(0, 1 - x) scale; momentum the other way.
  const double base = 0.001, top = 0.1, s = 20;
  const auto smith = [&](long e, double scale_of_cycle_or_e, bool momentum) {
    const double cycle = std::floor(1 + e / (2 * s));
    const double x = std::abs(e / s - 2 * cycle + 1);
    const double h = std::max(0.0, 1 - x) * scale_of_cycle_or_e;
    return momentum ? 0.9 - (0.9 - 0.8) * h : base + (top - base) * h;
  };
  const std::string common = "cyclic:base_lr=0.001,max_lr=0.1,step_size_up=20";
  struct Mode {
    std::string name;
    std::function<double(long)> scale;
  };
  const std::vector<Mode> modes = {
      {"triangular", [](long) { return 1.0; }},
      {"triangular2", [&](long e) { return 1 / std::pow(2.0, std::floor(1 + e / (2 * s)) - 1); }},
      {"exp_range,gamma=0.995", [](long e) { return std::pow(0.995, static_cast<double>(e)); }},
  };
  for (const auto& mode : modes) {
    const auto got = run_schedule("sgd:lr=0.01,momentum=0.5", common + ",mode=" + mode.name);
    for (long e = 0; e < kSteps; ++e) {
      CAPTURE(mode.name, e);
      check_close(got[static_cast<std::size_t>(e)].lr, smith(e, mode.scale(e), false), top);
      check_close(got[static_cast<std::size_t>(e)].momentum, smith(e, mode.scale(e), true), 1.0);
    }
  }
  // Asymmetric: up in 10 steps, down in 30.
  const auto v = run_schedule("adam", "cyclic:base_lr=0.01,max_lr=0.05,step_size_up=10,step_size_down=30");
  CHECK(v[0].lr == Approx(0.01).epsilon(1e-12));
  CHECK(v[5].lr == Approx(0.03).epsilon(1e-12));
  CHECK(v[10].lr == Approx(0.05).epsilon(1e-12));
  CHECK(v[25].lr == Approx(0.03).epsilon(1e-12));
  CHECK(v[40].lr == Approx(0.01).epsilon(1e-12));
  CHECK(v[10].momentum == Approx(0.8).epsilon(1e-12));
}

TEST_CASE("ReduceLROnPlateau: patience, cooldown, min_lr and eps", "[schedule]") {
  const auto rates = [](const std::string& text, const std::vector<double>& metrics) {
    const OptimizerSpec spec = parse_spec("sgd:lr=1@" + text);
    Scheduler scheduler(*spec.schedule, 1.0);
    std::vector<double> out;
    double previous = NAN;
    for (double m : metrics) {
      out.push_back(scheduler.next(previous).lr);
      previous = m;
    }
    return out;
  };
  // By hand: metrics 5, 4, then 4 for a while, then 3. patience 2: the third
  // bad step after the best reduces the rate; cooldown 1 swallows one step.
  std::vector<double> m = {5, 4, 4, 4, 4, 4, 4, 4, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3};
  // Step t runs with the rate after metrics 1..t-1.
  // After m5 (bad 3): 0.5; m6 cooldown; m7, m8 bad 1, 2; m9 better; m10..m12
  // bad 1..3: 0.25 after m12; m13 cooldown; m14..m16 bad 1..3: 0.125 after m16;
  // m17 cooldown; m18..m20: 0.0625 after m20.
  std::vector<double> want;
  for (int t = 1; t <= 22; ++t)
    want.push_back(t <= 5 ? 1 : t <= 12 ? 0.5 : t <= 16 ? 0.25 : t <= 20 ? 0.125 : 0.0625);
  CHECK(rates("plateau:factor=0.5,patience=2,cooldown=1,threshold=0", m) == want);
  // Default patience 10, no cooldown: a constant loss reduces every 11 steps.
  std::vector<double> flat(40, 1.0);
  const auto r = rates("plateau", flat);
  // m1 is the best; m2..m12 are bad 1..11: reduced after m12 (bad 11 > 10),
  // then again after m23 and m34.
  for (int t = 1; t <= 40; ++t) {
    CAPTURE(t);
    CHECK(r[t - 1] == Approx(std::pow(0.1, (t > 12) + (t > 23) + (t > 34))).epsilon(1e-12));
  }
  // min_lr floors it; a reduction smaller than eps is skipped.
  const auto floored = rates("plateau:patience=0,min_lr=0.05", std::vector<double>(8, 2.0));
  CHECK(floored.back() == 0.05);
  // 1 -> 0.1 is a change of 0.9 > eps; 0.1 -> 0.01 only 0.09, skipped.
  CHECK(rates("plateau:patience=0,eps=0.5", std::vector<double>(8, 2.0)).back() == 0.1);
  // threshold_mode rel: 4 is not better than 5 by 30%, 3 is.
  const auto rel = rates("plateau:patience=0,threshold=0.3", {5, 4, 3, 3});
  CHECK(rel == std::vector<double>{1, 1, 0.1, 0.1});
  // mode max: a rising metric is good.
  CHECK(rates("plateau:mode=max,patience=0", {1, 2, 3, 3}) == std::vector<double>{1, 1, 1, 1});
  const auto abs_max = rates("plateau:mode=max,patience=0,threshold_mode=abs,threshold=2", {1, 2, 3, 3});
  REQUIRE(abs_max.size() == 4);
  CHECK(abs_max[1] == 1);
  CHECK(abs_max[2] == Approx(0.1).epsilon(1e-12));
  CHECK(abs_max[3] == Approx(0.01).epsilon(1e-12));
}

TEST_CASE("a schedule drives the session's trajectory as torch's loop would", "[schedule]") {
  // SGD with momentum under one-cycle on 0.5 (x^2 + 10 y^2): the reference loop
  // is torch's SGD with this step's lr and momentum (b = g first, then
  // b = momentum b + g; p -= lr b), rates from the reference above.
  const std::string text = "onecycle:max_lr=0.05,total_steps=300";
  const OneCycleRef ref{0.05, 300, 0.3, 25, 1e4, 0.85, 0.95, true, false};
  session::Session s(surfaces::make_surface("quadratic"), {-4, 1.5});
  s.add(parse_spec("momentum:lr=0.01@" + text));
  s.add(parse_spec("sgd:lr=0.01@step:step_size=50,gamma=0.5"));
  s.step(kSteps);
  double p[2] = {-4, 1.5}, b[2] = {0, 0}, q[2] = {-4, 1.5};
  for (long t = 1; t <= kSteps; ++t) {
    const auto [lr, mom] = ref.at(t - 1);
    const double g[2] = {p[0], 10 * p[1]};
    for (int i = 0; i < 2; ++i) {
      b[i] = t == 1 ? g[i] : mom * b[i] + g[i];
      p[i] -= lr * b[i];
    }
    const double lr2 = 0.01 * std::pow(0.5, static_cast<double>((t - 1) / 50));
    q[0] -= lr2 * q[0];
    q[1] -= lr2 * 10 * q[1];
    CAPTURE(t);
    const auto& a = s.run(0);
    check_close(a.trajectory[3 * t], p[0], 1e-6);
    check_close(a.trajectory[3 * t + 1], p[1], 1e-6);
    check_close(a.rates[t - 1], lr, 0.05);
    check_close(s.run(1).trajectory[3 * t], q[0], 1e-6);
    check_close(s.run(1).trajectory[3 * t + 1], q[1], 1e-6);
    CHECK(s.run(1).rates[t - 1] == Approx(lr2).epsilon(1e-12));
  }
  // Without a schedule the rate is the lr setting, every step.
  session::Session plain(surfaces::make_surface("quadratic"), {-4, 1.5});
  plain.add(parse_spec("adam:lr=0.1"));
  plain.step(3);
  CHECK(plain.run(0).rates == std::vector<double>{0.1, 0.1, 0.1});
}

TEST_CASE("plateau in a session reads the loss at the point each step starts from", "[schedule]") {
  // lr so large that SGD oscillates on f = 0.5 x^2 with constant |x|: the loss
  // never improves, so after patience + 1 bad steps the rate drops.
  session::Session s(surfaces::make_surface("expr:0.5*x^2"), {1, 0});
  s.add(parse_spec("sgd:lr=2@plateau:patience=2"));
  s.step(8);
  // metrics 0.5 each step: m1 best, m2..m4 bad 1..3 -> reduced after m4: step 5 on.
  CHECK(s.run(0).rates == std::vector<double>{2, 2, 2, 2, 0.2, 0.2, 0.2, 0.2});
}

TEST_CASE("bad schedules are refused with a message naming the key", "[schedule]") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"sgd@warmup", "unknown schedule 'warmup'"},
      {"sgd@cosine:T_max=10,eta=1", "cosine: unknown schedule key 'eta'"},
      {"sgd@cosine", "cosine: T_max is required"},
      {"sgd@cosine:T_max=0", "cosine: T_max must be a whole number >= 1, got 0"},
      {"sgd@cosine:T_max=2.5", "cosine: T_max must be a whole number >= 1, got 2.5"},
      {"sgd@step:step_size=10,gamma=-1", "step: gamma must be > 0, got -1"},
      {"sgd@step:step_size=10,step_size=3", "step: step_size is given twice"},
      {"sgd@multistep:milestones=30/20", "multistep: milestones must be increasing"},
      {"sgd@multistep:milestones=a/b", "multistep: milestones expects a number"},
      {"sgd@multistep", "multistep: milestones is required"},
      {"sgd@onecycle:max_lr=0.1", "onecycle: total_steps is required"},
      {"sgd@onecycle:total_steps=10", "onecycle: max_lr is required"},
      {"sgd@onecycle:max_lr=0.1,total_steps=10,pct_start=1.5", "onecycle: pct_start must be in [0, 1]"},
      {"sgd@onecycle:max_lr=0.1,total_steps=10,anneal_strategy=square",
       "onecycle: anneal_strategy must be one of cos|linear"},
      {"adagrad@onecycle:max_lr=0.1,total_steps=100", "onecycle: cycle_momentum needs an optimizer with momentum or beta1"},
      {"adadelta@cyclic:base_lr=0.1,max_lr=1", "cyclic: cycle_momentum needs"},
      {"sgd@cyclic:base_lr=0.1,max_lr=0.01", "cyclic: max_lr must be >= base_lr"},
      {"sgd@cyclic:base_lr=0.1", "cyclic: max_lr is required"},
      {"sgd@cyclic:base_lr=0.01,max_lr=0.1,mode=saw", "cyclic: mode must be one of triangular|triangular2|exp_range"},
      {"sgd@plateau:factor=1", "plateau: factor must be in (0, 1), got 1"},
      {"sgd@plateau:mode=up", "plateau: mode must be one of min|max"},
      {"sgd@linear:start_factor=0", "linear: start_factor must be in (0, 1], got 0"},
      {"sgd@cosine:T_max=10+linear", "cosine: only a schedule with total_iters"},
      {"sgd@linear+plateau", "plateau: cannot be chained"},
      {"sgd@linear+onecycle:max_lr=1,total_steps=10", "onecycle: cannot be chained"},
      {"sgd@", "empty schedule"},
      {"sgd@cosine:T_max", "cosine: expected key=value, got 'T_max'"},
  };
  for (const auto& [text, message] : cases) {
    CAPTURE(text);
    try {
      parse_spec(text);
      FAIL("accepted");
    } catch (const Error& e) {
      CHECK_THAT(e.what(), Catch::Matchers::StartsWith(message));
    }
  }
  // Adagrad takes one-cycle without momentum cycling; cyclic runs on Adam's beta1.
  CHECK_NOTHROW(parse_spec("adagrad@onecycle:max_lr=0.1,total_steps=100,cycle_momentum=false"));
  CHECK(parse_spec("adam@cyclic:base_lr=0.001,max_lr=0.01").schedule->momentum_key == "beta1");
  CHECK(parse_spec("rmsprop@cyclic:base_lr=0.001,max_lr=0.01").schedule->momentum_key == "momentum");
}

TEST_CASE("onecycle refuses steps past total_steps, as torch does", "[schedule]") {
  session::Session s(surfaces::make_surface("quadratic"), {-4, 1.5});
  s.add(parse_spec("adam@onecycle:max_lr=0.1,total_steps=10"));
  CHECK_NOTHROW(s.step(11));
  CHECK_THROWS_WITH(s.step(1), Catch::Matchers::Contains("at most 11 steps"));
  CHECK(s.steps() == 11);
}

TEST_CASE("the schedule list names torch's classes and gives every key a default or marks it required",
          "[schedule]") {
  for (const auto& info : schedules()) {
    CAPTURE(info.id);
    CHECK_FALSE(info.torch.empty());
    for (const auto& p : info.params)
      if (!p.required() && p.kind != ScheduleKind::List && std::isfinite(p.default_value))
        CHECK(p.default_value >= p.min);
  }
  CHECK(find_schedule("plateau").torch == "ReduceLROnPlateau");
  CHECK_THAT(schedules_json(), Catch::Matchers::Contains("\"id\":\"cosine_restarts\""));
}

TEST_CASE("schedule_rates previews a schedule on its own, as the session would run it", "[schedule]") {
  session::Session s(surfaces::make_surface("quadratic"), {-4, 1.5});
  s.add(parse_spec("adam:lr=0.1@cosine_restarts:T_0=7,T_mult=2"));
  s.step(40);
  CHECK(schedule_rates(parse_spec("adam:lr=0.1@cosine_restarts:T_0=7,T_mult=2"), 40) == s.run(0).rates);
  CHECK(schedule_rates(parse_spec("sgd:lr=0.02"), 3) == std::vector<double>{0.02, 0.02, 0.02});
  // onecycle stops where a run must stop: total_steps + 1 steps.
  CHECK(schedule_rates(parse_spec("adam@onecycle:max_lr=0.1,total_steps=10"), 50).size() == 11);
  CHECK_THROWS_WITH(schedule_rates(parse_spec("adam@plateau"), 5), Catch::Matchers::Contains("depend on the losses"));
}
