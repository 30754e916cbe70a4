// Properties every registry entry must have: order, defaults, state layout,
// reset, set(), validation messages, maximize and weight decay, divergence,
// and a well-formed update rule for every combination of its switches.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <set>
#include <string>
#include <vector>

#include "common/error.h"
#include "optim/registry.h"
#include "quadratic.h"

using namespace descent::optim;
using namespace descent::optim::testing;

namespace {

const double kNan = std::numeric_limits<double>::quiet_NaN();
const double kInf = std::numeric_limits<double>::infinity();

// Entries whose weight decay scales p directly instead of adding to g.
bool decoupled(const std::string& id) { return id == "adamw" || id == "lion"; }

bool has_param(const OptimizerInfo& info, const std::string& key) {
  for (const auto& p : info.params)
    if (p.key == key) return true;
  return false;
}

bool all_finite(const Point& p) { return std::isfinite(p[0]) && std::isfinite(p[1]); }

bool balanced_braces(const std::string& s) {
  int depth = 0;
  for (char c : s) {
    depth += c == '{' ? 1 : c == '}' ? -1 : 0;
    if (depth < 0) return false;
  }
  return depth == 0;
}

// Every id, for GENERATE.
std::vector<std::string> all_ids() {
  std::vector<std::string> ids;
  for (const auto& info : registry()) ids.push_back(info.id);
  return ids;
}

}  // namespace

TEST_CASE("the registry lists the optimizers in the page's order", "[optim][registry]") {
  const std::vector<std::string> expected = {
      "sgd",     "momentum",       "momentum_ema", "adagrad",   "adagrad_notes",
      "rmsprop", "rmsprop_hinton", "adam",         "adam_nobc", "adamw",
      "nadam",   "radam",          "adamax",       "adadelta",  "lion",
      "rprop",   "asgd"};
  CHECK(all_ids() == expected);
}

TEST_CASE("every entry with defaults lowers the quadratic's loss in 50 steps",
          "[optim][registry]") {
  for (const auto& info : registry()) {
    CAPTURE(info.id);
    auto opt = make_optimizer(info.id, {}, 2);
    const auto p = run_on_quadratic(*opt, 50);
    CHECK(all_finite(p));
    CHECK(quadratic_loss(p) < quadratic_loss(kStart));
    CHECK(opt->steps_taken() == 50);
    REQUIRE(opt->state_count() == info.state.size());
    for (std::size_t i = 0; i < opt->state_count(); ++i) CHECK(opt->state(i).size() == 2);
  }
}

TEST_CASE("every entry's settings hold each parameter's default and nothing else",
          "[optim][registry]") {
  for (const auto& info : registry()) {
    CAPTURE(info.id);
    auto opt = make_optimizer(info.id, {}, 2);
    Settings defaults;
    for (const auto& p : info.params) defaults[p.key] = p.default_value;
    CHECK(opt->settings() == defaults);
    CHECK(opt->id() == info.id);
    CHECK(opt->update_latex() == info.latex(defaults));
    std::set<std::string> names(info.state.begin(), info.state.end());
    CHECK(names.size() == info.state.size());
    for (const auto& p : info.params) {
      CAPTURE(p.key);
      if (p.scale == Scale::Log) CHECK(p.ui_min > 0.0);
      CHECK(p.ui_min < p.ui_max);
    }
  }
}

TEST_CASE("state starts at zero, and reset() zeroes it and replays the same run",
          "[optim][registry][state]") {
  for (const auto& info : registry()) {
    CAPTURE(info.id);
    auto opt = make_optimizer(info.id, {}, 2);
    auto all_zero = [&] {
      for (std::size_t i = 0; i < opt->state_count(); ++i)
        for (double x : opt->state(i))
          if (x != 0.0) return false;
      return true;
    };
    CHECK(all_zero());
    const auto first = trajectory(*opt, 10);
    opt->reset();
    CHECK(opt->steps_taken() == 0);
    CHECK(all_zero());
    CHECK(trajectory(*opt, 10) == first);
  }
}

TEST_CASE("a new hyperparameter applies from the next step and keeps the state",
          "[optim][registry][set]") {
  // Given the same state and gradient, every update here is linear in lr, so
  // halving lr before step 4 halves step 4's move. Not so for two, as in torch:
  // Rprop's lr is only its initial step size, and ASGD's rate for step t + 1 is
  // computed after step t, so a new lr moves nothing at step 4 and changes step 5.
  const std::set<std::string> lr_reaches_later = {"rprop", "asgd"};
  for (const auto& info : registry()) {
    CAPTURE(info.id);
    const Settings no_decay = decoupled(info.id) ? Settings{{"weight_decay", 0.0}} : Settings{};
    auto changed = make_optimizer(info.id, no_decay, 2);
    auto kept = make_optimizer(info.id, no_decay, 2);
    const auto a = trajectory(*changed, 3);
    const auto b = trajectory(*kept, 3);
    REQUIRE(a == b);
    const double lr = changed->settings().at("lr");
    changed->set("lr", lr / 2);
    CHECK(changed->settings().at("lr") == lr / 2);
    CHECK(changed->steps_taken() == 3);
    const auto a4 = run_on_quadratic(*changed, 1, a.back());
    const auto b4 = run_on_quadratic(*kept, 1, b.back());
    if (lr_reaches_later.count(info.id)) {
      CHECK(a4 == b4);
      const auto a5 = run_on_quadratic(*changed, 1, a4), b5 = run_on_quadratic(*kept, 1, b4);
      CHECK((a5 != b5) == (info.id == "asgd"));
      continue;
    }
    for (int i = 0; i < 2; ++i) {
      CAPTURE(i);
      CHECK(a4[i] - a.back()[i] ==
            Approx(0.5 * (b4[i] - b.back()[i])).epsilon(1e-12).margin(1e-14));
    }
  }
}

TEST_CASE("a rejected set() leaves settings, state and the next step unchanged",
          "[optim][registry][set]") {
  struct BadSet {
    std::string id, key;
    double value;
    std::string message;
  };
  const auto bad = GENERATE(values<BadSet>({
      {"adam", "beta2", 1.5, "adam: beta2 must be in [0, 1), got 1.5"},
      {"adam", "amsgrad", 0.5, "adam: amsgrad must be true or false (1 or 0), got 0.5"},
      {"rmsprop", "lr", kNan, "rmsprop: lr must be > 0, got nan"},
      {"adamw", "lr", 200.0,
       "adamw: lr * weight_decay must be <= 1 (it scales p by 1 - lr * weight_decay), got 2"},
      {"sgd", "nesterov", 1.0, "sgd: nesterov requires momentum > 0 and dampening = 0"},
      {"lion", "maximize", 1.0,
       "lion: unknown hyperparameter 'maximize' (known: lr, beta1, beta2, weight_decay)"},
  }));
  CAPTURE(bad.id, bad.key, bad.value);
  auto opt = make_optimizer(bad.id, {}, 2);
  auto twin = make_optimizer(bad.id, {}, 2);
  const auto p = trajectory(*opt, 3).back();
  trajectory(*twin, 3);
  const Settings before = opt->settings();
  CHECK_THROWS_WITH(opt->set(bad.key, bad.value), bad.message);
  CHECK(opt->settings() == before);
  CHECK(opt->steps_taken() == 3);
  for (std::size_t i = 0; i < opt->state_count(); ++i) CHECK(buffer(*opt, i) == buffer(*twin, i));
  CHECK(run_on_quadratic(*opt, 1, p) == run_on_quadratic(*twin, 1, p));
}

TEST_CASE("invalid hyperparameters are rejected with a message naming optimizer and field",
          "[optim][registry][validation]") {
  struct Invalid {
    std::string id, key;
    double value;
    std::string message;
  };
  const auto row = GENERATE(values<Invalid>({
      {"sgd", "lr", 0.0, "sgd: lr must be > 0, got 0"},
      {"momentum", "momentum", 1.0, "momentum: momentum must be in [0, 1), got 1"},
      {"momentum_ema", "dampening", 2.0, "momentum_ema: dampening must be in [0, 1], got 2"},
      {"adagrad", "lr", -1.0, "adagrad: lr must be > 0, got -1"},
      {"adagrad", "lr_decay", -0.1, "adagrad: lr_decay must be >= 0, got -0.1"},
      {"adagrad", "initial_accumulator_value", -1.0,
       "adagrad: initial_accumulator_value must be >= 0, got -1"},
      {"adagrad", "eps", kInf, "adagrad: eps must be >= 0, got inf"},
      {"adagrad", "eps_inside_root", 3.0,
       "adagrad: eps_inside_root must be true or false (1 or 0), got 3"},
      {"adagrad_notes", "eps", -1e-5, "adagrad_notes: eps must be >= 0, got -1e-05"},
      {"rmsprop", "alpha", 1.5, "rmsprop: alpha must be in [0, 1], got 1.5"},
      {"rmsprop", "momentum", -0.5, "rmsprop: momentum must be in [0, 1), got -0.5"},
      {"rmsprop", "centered", -1.0, "rmsprop: centered must be true or false (1 or 0), got -1"},
      {"rmsprop_hinton", "alpha", kNan, "rmsprop_hinton: alpha must be in [0, 1], got nan"},
      {"adam", "beta2", 1.5, "adam: beta2 must be in [0, 1), got 1.5"},
      {"adam", "beta1", 1.0, "adam: beta1 must be in [0, 1), got 1"},
      {"adam", "eps", -1e-8, "adam: eps must be >= 0, got -1e-08"},
      {"adam", "lr", kNan, "adam: lr must be > 0, got nan"},
      {"adam", "weight_decay", -0.1, "adam: weight_decay must be >= 0, got -0.1"},
      {"adam", "bias_correction", 0.5,
       "adam: bias_correction must be true or false (1 or 0), got 0.5"},
      {"adam", "amsgrad", kNan, "adam: amsgrad must be true or false (1 or 0), got nan"},
      {"adam_nobc", "beta2", -0.5, "adam_nobc: beta2 must be in [0, 1), got -0.5"},
      {"adamw", "weight_decay", -1.0, "adamw: weight_decay must be >= 0, got -1"},
      {"adamw", "lr", 1000.0,
       "adamw: lr * weight_decay must be <= 1 (it scales p by 1 - lr * weight_decay), got 10"},
      {"nadam", "momentum_decay", -1.0, "nadam: momentum_decay must be >= 0, got -1"},
      {"nadam", "beta1", 1.0, "nadam: beta1 must be in [0, 1), got 1"},
      {"radam", "weight_decay", kNan, "radam: weight_decay must be >= 0, got nan"},
      {"radam", "beta2", 1.0, "radam: beta2 must be in [0, 1), got 1"},
      {"adamax", "eps", -kInf, "adamax: eps must be >= 0, got -inf"},
      {"adamax", "beta1", -0.1, "adamax: beta1 must be in [0, 1), got -0.1"},
      {"adadelta", "rho", 1.1, "adadelta: rho must be in [0, 1], got 1.1"},
      {"adadelta", "lr", 0.0, "adadelta: lr must be > 0, got 0"},
      {"adadelta", "maximize", 2.0, "adadelta: maximize must be true or false (1 or 0), got 2"},
      {"lion", "beta1", 1.5, "lion: beta1 must be in [0, 1], got 1.5"},
      {"lion", "beta2", -0.1, "lion: beta2 must be in [0, 1], got -0.1"},
      {"lion", "lr", -kInf, "lion: lr must be > 0, got -inf"},
      {"lion", "weight_decay", 1e5,
       "lion: lr * weight_decay must be <= 1 (it scales p by 1 - lr * weight_decay), got 10"},
  }));
  CAPTURE(row.id, row.key, row.value);
  CHECK_THROWS_AS(make_optimizer(row.id, {{row.key, row.value}}, 2), descent::Error);
  CHECK_THROWS_WITH(make_optimizer(row.id, {{row.key, row.value}}, 2), row.message);
  auto opt = make_optimizer(row.id, {}, 2);
  CHECK_THROWS_WITH(opt->set(row.key, row.value), row.message);
}

TEST_CASE("the edges of each valid range are accepted", "[optim][registry][validation]") {
  const Settings edges = {{"beta1", 0.0}, {"beta2", 0.0}, {"eps", 0.0}};
  for (const char* id : {"adam", "adamw", "nadam", "radam", "adamax"}) {
    CAPTURE(id);
    CHECK_NOTHROW(make_optimizer(id, edges, 2));
  }
  CHECK_NOTHROW(make_optimizer("rmsprop", {{"alpha", 1.0}, {"momentum", 0.0}}, 2));
  CHECK_NOTHROW(make_optimizer("rmsprop", {{"alpha", 0.0}}, 2));
  CHECK_NOTHROW(make_optimizer("adadelta", {{"rho", 0.0}}, 2));
  CHECK_NOTHROW(make_optimizer("lion", {{"beta1", 1.0}, {"beta2", 1.0}}, 2));
  CHECK_NOTHROW(make_optimizer("adamw", {{"lr", 100.0}}, 2));  // lr * weight_decay = 1
}

TEST_CASE("maximize on f is minimizing with the negated gradient", "[optim][registry][maximize]") {
  for (const auto& info : registry()) {
    if (!has_param(info, "maximize")) continue;
    CAPTURE(info.id);
    Settings common;  // decay still acts on p, not -p
    if (has_param(info, "weight_decay")) common["weight_decay"] = 0.05;
    Settings up = common;
    up["maximize"] = 1;
    auto ascending = make_optimizer(info.id, up, 2);
    auto descending = make_optimizer(info.id, common, 2);
    Point p = kStart, q = kStart;
    for (int t = 0; t < 20; ++t) {
      const Point g = quadratic_grad(p);
      const Point neg = {-quadratic_grad(q)[0], -quadratic_grad(q)[1]};
      ascending->step(p, g);
      descending->step(q, neg);
    }
    CHECK(p == q);
    CHECK(quadratic_loss(p) > quadratic_loss(kStart));
  }
}

TEST_CASE("L2 weight_decay adds weight_decay * p to the gradient", "[optim][registry][decay]") {
  const double wd = 0.3;
  for (const auto& info : registry()) {
    if (decoupled(info.id) || !has_param(info, "weight_decay")) continue;  // Rprop has none
    CAPTURE(info.id);
    auto decayed = make_optimizer(info.id, {{"weight_decay", wd}}, 2);
    auto plain = make_optimizer(info.id, {{"weight_decay", 0.0}}, 2);
    Point p = kStart, q = kStart;
    for (int t = 0; t < 20; ++t) {
      const Point g = quadratic_grad(p);
      const Point g_l2 = {quadratic_grad(q)[0] + wd * q[0], quadratic_grad(q)[1] + wd * q[1]};
      decayed->step(p, g);
      plain->step(q, g_l2);
    }
    CHECK(p == q);
  }
}

TEST_CASE("decoupled weight_decay scales the pre-step p by 1 - lr * weight_decay",
          "[optim][registry][decay]") {
  const double wd = 0.3;
  for (const char* id : {"adamw", "lion"}) {
    CAPTURE(id);
    auto decayed = make_optimizer(id, {{"weight_decay", wd}}, 2);
    auto plain = make_optimizer(id, {{"weight_decay", 0.0}}, 2);
    const double keep = 1.0 - decayed->settings().at("lr") * wd;
    Point p = kStart, q = kStart;
    for (int t = 0; t < 20; ++t) {
      const Point g = quadratic_grad(p), h = quadratic_grad(q);  // at the pre-step point
      decayed->step(p, g);
      q = {q[0] * keep, q[1] * keep};
      plain->step(q, h);
    }
    CHECK(p == q);
  }
}

TEST_CASE("a huge lr diverges to inf or nan without a crash", "[optim][registry][divergence]") {
  // Plain and momentum SGD, and RAdam's un-adapted first steps, overshoot
  // geometrically; the adaptive methods' steps are bounded by about lr, so they
  // only jump far (an inf gradient then stops them: g / sqrt(inf) = 0).
  const std::set<std::string> overflowing = {"sgd", "momentum", "momentum_ema", "radam"};
  for (const auto& info : registry()) {
    CAPTURE(info.id);
    Settings huge = {{"lr", 1e200}};
    if (decoupled(info.id)) huge["weight_decay"] = 0.0;
    auto opt = make_optimizer(info.id, huge, 2);
    std::vector<Point> points;
    CHECK_NOTHROW(points = trajectory(*opt, 300));
    REQUIRE(points.size() == 300);
    if (overflowing.count(info.id)) CHECK_FALSE(all_finite(points.back()));
  }
  auto sgd = make_optimizer("sgd", {{"lr", 5.0}}, 2);  // |1 - 10 * 5| = 49 > 1 on y
  CHECK_FALSE(all_finite(run_on_quadratic(*sgd, 400)));
}

TEST_CASE("a nan gradient makes every method's parameters nan", "[optim][registry][divergence]") {
  for (const auto& info : registry()) {
    CAPTURE(info.id);
    auto opt = make_optimizer(info.id, {}, 2);
    Point p = kStart;
    CHECK_NOTHROW(opt->step(p, std::vector<double>{kNan, kNan}));
    if (info.id == "rprop") {
      // Rprop moves by sign(g) * step and torch's sign(NaN) is 0: p stays put
      // (and the NaN waits in `prev`).
      CHECK(p == kStart);
      CHECK(std::isnan(opt->state(0)[0]));
      continue;
    }
    CHECK(std::isnan(p[0]));
    CHECK(std::isnan(p[1]));
  }
}

TEST_CASE("a step with the wrong number of values is refused", "[optim][registry]") {
  auto opt = make_optimizer("adam", {}, 2);
  Point p = {1.0, 2.0, 3.0};
  CHECK_THROWS_WITH(opt->step(p, std::vector<double>{1.0, 1.0, 1.0}),
                    "adam: expected 2 parameters and gradients");
}

TEST_CASE("every combination of switches gives a well-formed update rule that differs",
          "[optim][registry][latex]") {
  const std::string id = GENERATE(from_range(all_ids()));
  CAPTURE(id);
  const OptimizerInfo& info = find_optimizer(id);
  std::vector<std::string> switches;
  for (const auto& p : info.params)
    if (p.scale == Scale::Bool) switches.push_back(p.key);
  const Settings defaults = complete_settings(info, {});
  std::set<std::string> rules;
  int accepted = 0;
  for (unsigned mask = 0; mask < (1u << switches.size()); ++mask) {
    Settings overrides;
    if (has_param(info, "weight_decay")) overrides["weight_decay"] = mask & 1u ? 0.1 : 0.0;
    for (std::size_t k = 0; k < switches.size(); ++k) overrides[switches[k]] = (mask >> k) & 1u;
    Settings settings;
    try {
      settings = complete_settings(info, overrides);
    } catch (const descent::Error&) {
      continue;  // a combination the method rejects (e.g. nesterov without momentum)
    }
    ++accepted;
    const std::string rule = info.latex(settings);
    CAPTURE(rule);
    CHECK(balanced_braces(rule));
    CHECK_THAT(rule, Catch::StartsWith("g_t = "));
    CHECK_THAT(rule, Catch::Contains("\\theta_t = "));
    CHECK(make_optimizer(id, overrides, 2)->update_latex() == rule);
    rules.insert(rule);
  }
  CHECK(accepted > 0);
  // Each switch that can be toggled alone from the defaults changes the rule.
  for (const auto& key : switches) {
    Settings toggled = defaults;
    toggled[key] = 1.0 - toggled[key];
    try {
      toggled = complete_settings(info, toggled);
    } catch (const descent::Error&) {
      continue;
    }
    CAPTURE(key);
    CHECK(info.latex(toggled) != info.latex(defaults));
  }
}

TEST_CASE("first_moment names the buffer that follows the gradient's sign, or none", "[optim][registry]") {
  // Stepped on a fixed gradient, a momentum / first-moment buffer points the
  // gradient's way (or is still zero, as RMSProp's without momentum); every
  // other buffer (sums and averages of squares) stays >= 0, so no other one
  // could be drawn as the momentum arrow. Rprop's `prev` is the last gradient
  // itself, signed but no momentum (it does not move p), so it is left out.
  const double g[2] = {0.3, -0.7};
  for (const auto& info : registry()) {
    CAPTURE(info.id, info.first_moment);
    REQUIRE(info.first_moment >= -1);
    REQUIRE(info.first_moment < static_cast<int>(info.state.size()));
    auto opt = make_optimizer(info.id, {}, 2);
    double p[2] = {1.0, 1.0};
    for (int k = 0; k < 3; ++k) opt->step(p, g);
    bool moved = false;
    for (std::size_t j = 0; j < info.state.size(); ++j) {
      const auto b = opt->state(j);
      CAPTURE(info.state[j], b[0], b[1]);
      if (info.state[j] == "prev") continue;
      if (static_cast<int>(j) == info.first_moment) {
        CHECK(b[0] >= 0.0);
        CHECK(b[1] <= 0.0);
        moved = b[0] > 0.0 && b[1] < 0.0;
      } else {
        CHECK(b[0] >= 0.0);
        CHECK(b[1] >= 0.0);
      }
    }
    if (info.id != "sgd" && info.id != "rmsprop" && info.id != "rmsprop_hinton" && info.first_moment >= 0)
      CHECK(moved);  // plain SGD and momentum-free RMSProp keep theirs at zero
  }
}
