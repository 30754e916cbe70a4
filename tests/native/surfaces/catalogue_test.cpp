// Built-in surfaces: analytic gradients against central differences, every
// listed minimum checked (value, zero gradient, strictly lowest nearby, global
// over the view), the formula strings against the analytic code (in double
// and on float lanes), and specs.
#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "common/error.h"
#include "lanes/lane_functions.h"
#include "surfaces/builtin.h"
#include "surfaces/builtin_functions.h"
#include "surfaces/formula/compile.h"
#include "surfaces/formula/execute.h"
#include "surfaces/surface.h"

using namespace descent::surfaces;
using descent::surfaces::builtin::AllBuiltins;

template <class...>
struct TypeList {};

namespace {

// Every catalogue entry, plus the parametrised ones away from their defaults.
std::vector<std::string> all_specs() {
  std::vector<std::string> specs;
  for (const auto& info : catalogue()) specs.push_back(info.id);
  specs.push_back("quadratic:kappa=1000");
  specs.push_back("rotated_quadratic:kappa=2.5");
  return specs;
}

// Seeded random points inside a surface's view box.
std::vector<Point> points_in_view(const Surface& s, int count, unsigned seed) {
  std::mt19937_64 rng(seed);
  const ViewBox v = s.view();
  std::uniform_real_distribution<double> ux(v.x_min, v.x_max), uy(v.y_min, v.y_max);
  std::vector<Point> out;
  for (int i = 0; i < count; ++i) out.push_back({ux(rng), uy(rng)});
  return out;
}

// Every minimum a surface lists, global and local.
std::vector<Minimum> listed_minima(const Surface& s) {
  std::vector<Minimum> all = s.minima();
  all.insert(all.end(), s.local_minima().begin(), s.local_minima().end());
  return all;
}

}  // namespace

TEST_CASE("every built-in gradient matches central differences", "[surfaces]") {
  for (const auto& spec : all_specs()) {
    CAPTURE(spec);
    auto s = make_surface(spec);
    for (const Point p : points_in_view(*s, 200, 42)) {
      const double h = 1e-6;
      CAPTURE(p.x, p.y);
      const Evaluation e = s->evaluate(p.x, p.y);
      const double fx = (s->value(p.x + h, p.y) - s->value(p.x - h, p.y)) / (2 * h);
      const double fy = (s->value(p.x, p.y + h) - s->value(p.x, p.y - h)) / (2 * h);
      // Rounding in f(x +- h) is about |f| * 1e-16 / h; allow 50 times that.
      const double margin = 1e-8 * (1 + std::abs(e.f));
      CHECK(e.dfdx == Approx(fx).epsilon(1e-6).margin(margin));
      CHECK(e.dfdy == Approx(fy).epsilon(1e-6).margin(margin));
    }
  }
}

TEST_CASE("every listed minimum has its value, a zero gradient and nothing lower nearby",
          "[surfaces]") {
  for (const auto& spec : all_specs()) {
    CAPTURE(spec);
    auto s = make_surface(spec);
    for (const auto& m : listed_minima(*s)) {
      CAPTURE(m.at.x, m.at.y);
      const Evaluation e = s->evaluate(m.at.x, m.at.y);
      // The stored digits are the minimum rounded to double: the value is off
      // by the evaluation's rounding only, the gradient by that plus the
      // curvature times half an ulp of the position.
      CHECK(e.f == Approx(m.f).epsilon(1e-14).margin(1e-14));
      CHECK(std::abs(e.dfdx) < 1e-10);
      CHECK(std::abs(e.dfdy) < 1e-10);
      // A strict local minimum: higher all around, near and a little further.
      for (const double r : {1e-3, 1e-2}) {
        for (int k = 0; k < 16; ++k) {
          const double t = 2 * std::numbers::pi * k / 16;
          CAPTURE(r, t);
          CHECK(s->value(m.at.x + r * std::cos(t), m.at.y + r * std::sin(t)) > m.f);
        }
      }
    }
  }
}

TEST_CASE("global minima are the lowest points in the view, local minima lie above them",
          "[surfaces]") {
  for (const auto& spec : all_specs()) {
    CAPTURE(spec);
    auto s = make_surface(spec);
    if (s->minima().empty()) continue;
    const double lowest = s->minima().front().f;
    for (const auto& m : s->minima()) CHECK(m.f == Approx(lowest).margin(1e-12));
    for (const auto& m : s->local_minima()) CHECK(m.f > lowest + 1e-3);
    const ViewBox v = s->view();
    const int n = 400;
    for (int i = 0; i <= n; ++i) {
      for (int j = 0; j <= n; ++j) {
        const double x = v.x_min + (v.x_max - v.x_min) * i / n;
        const double y = v.y_min + (v.y_max - v.y_min) * j / n;
        if (s->value(x, y) < lowest - 1e-12) FAIL_CHECK("lower point at " << x << ", " << y);
      }
    }
  }
}

TEST_CASE("every built-in's start and minima lie inside its view", "[surfaces]") {
  for (const auto& info : catalogue()) {
    CAPTURE(info.id);
    auto s = make_surface(info.id);
    const ViewBox v = s->view();
    REQUIRE(v.x_min < v.x_max);
    REQUIRE(v.y_min < v.y_max);
    auto inside = [&](Point p) {
      return p.x > v.x_min && p.x < v.x_max && p.y > v.y_min && p.y < v.y_max;
    };
    CHECK(inside(s->start()));
    for (const auto& m : listed_minima(*s)) CHECK(inside(m.at));
    CHECK_FALSE(info.note.empty());
    CHECK(std::isfinite(s->value(s->start().x, s->start().y)));
  }
}

TEST_CASE("the saddles list no minimum and have a zero gradient at the origin", "[surfaces]") {
  for (const std::string id : {"saddle", "monkey_saddle"}) {
    CAPTURE(id);
    auto s = make_surface(id);
    CHECK(s->minima().empty());
    const Evaluation e = s->evaluate(0, 0);
    CHECK(e.f == 0);
    CHECK(e.dfdx == 0);
    CHECK(e.dfdy == 0);
    // Downhill and uphill both start at the origin: not a minimum.
    const bool both_signs =
        s->value(0.01, 0) * s->value(-0.01, 0) < 0 || s->value(0.01, 0) * s->value(0, 0.01) < 0;
    CHECK(both_signs);
  }
}

TEST_CASE("every built-in's formula is the same function as its analytic code", "[surfaces]") {
  for (const auto& spec : all_specs()) {
    CAPTURE(spec);
    auto s = make_surface(spec);
    CAPTURE(s->formula());
    const auto program = formula::compile_formula(s->formula());
    std::vector<Point> points = points_in_view(*s, 200, 7);
    for (const auto& m : listed_minima(*s)) points.push_back(m.at);
    for (const Point p : points) {
      CAPTURE(p.x, p.y);
      const Evaluation a = s->evaluate(p.x, p.y);
      const Evaluation f = formula::evaluate(program, p.x, p.y);
      // Only the order of roundings differs.
      const double margin = 1e-12 * (1 + std::abs(a.f));
      CHECK(f.f == Approx(a.f).epsilon(1e-12).margin(margin));
      CHECK(f.dfdx == Approx(a.dfdx).epsilon(1e-10).margin(margin));
      CHECK(f.dfdy == Approx(a.dfdy).epsilon(1e-10).margin(margin));
    }
  }
}

// Built-in `id`'s template (builtin_functions.h) on the scalar twin's float
// lanes, as the batch engine instantiates it; false when no struct has the id.
using FloatLanes = descent::lanes::Lanes<float, 4>;
template <class... S>
struct LaneEvaluation {
  static bool at(const std::string& id, FloatLanes x, FloatLanes y, const float* params,
                 ValueAndGradient<FloatLanes>& out) {
    return ((id == S::id && (out = S::at(x, y, params), true)) || ...);
  }
};

TEST_CASE("every built-in's formula is the same function as its template on float lanes",
          "[surfaces]") {
  for (const BuiltinDefinition& d : builtin_definitions()) {
    std::vector<std::vector<double>> value_sets = {{}};
    for (const auto& p : d.params) value_sets[0].push_back(p.default_value);
    if (!d.params.empty()) value_sets.push_back(std::vector<double>(d.params.size(), 1000.0));
    for (const auto& values : value_sets) {
      const BuiltinSurface surface(d, values);
      CAPTURE(surface.id(), surface.formula());
      const auto program = formula::compile_formula(surface.formula());
      const std::vector<float> params(values.begin(), values.end());
      std::vector<Point> points = points_in_view(surface, 200, 11);
      for (const auto& m : listed_minima(surface)) points.push_back(m.at);
      while (points.size() % 4 != 0) points.push_back(surface.start());
      // The shown formula in double at the float points, and the lanes.
      std::vector<Evaluation> want, got;
      for (std::size_t i = 0; i < points.size(); i += 4) {
        FloatLanes x, y;
        for (int j = 0; j < 4; ++j) {
          x.v[j] = static_cast<float>(points[i + j].x);
          y.v[j] = static_cast<float>(points[i + j].y);
          want.push_back(formula::evaluate(program, x.v[j], y.v[j]));
        }
        ValueAndGradient<FloatLanes> e;
        REQUIRE(AllBuiltins<LaneEvaluation>::at(d.id, x, y, params.data(), e));
        for (int j = 0; j < 4; ++j) got.push_back({e.f.v[j], e.dfdx.v[j], e.dfdy.v[j]});
      }
      // Float rounding: relative to each value, or to the largest value seen
      // where terms cancel (as tests/native/batch/kernels_test.cpp allows).
      double scale = 1;
      for (const auto& w : want)
        scale = std::max({scale, std::abs(w.f), std::abs(w.dfdx), std::abs(w.dfdy)});
      for (std::size_t i = 0; i < want.size(); ++i) {
        CAPTURE(i, points[i].x, points[i].y);
        CHECK(got[i].f == Approx(want[i].f).epsilon(1e-4).margin(1e-5 * scale));
        CHECK(got[i].dfdx == Approx(want[i].dfdx).epsilon(1e-4).margin(1e-5 * scale));
        CHECK(got[i].dfdy == Approx(want[i].dfdy).epsilon(1e-4).margin(1e-5 * scale));
      }
    }
  }
}

TEST_CASE("the catalogue lists the built-ins' templates, each once, in their order",
          "[surfaces]") {
  std::vector<std::string> templates, listed;
  [&]<class... S>(TypeList<S...>*) { (templates.push_back(S::id), ...); }(
      static_cast<AllBuiltins<TypeList>*>(nullptr));
  for (const auto& d : builtin_definitions()) listed.push_back(d.id);
  CHECK(listed == templates);
  for (const auto& d : builtin_definitions()) CHECK(d.evaluate != nullptr);
}

TEST_CASE("the minima with a closed form have the closed-form digits", "[surfaces]") {
  // McCormick: x + y = -2 pi/3, x - y = 1, f = -sqrt(3)/2 - pi/3.
  const auto& m = make_surface("mccormick")->minima().at(0);
  // (Within an ulp or two: the right-hand sides round twice.)
  CHECK(m.at.x == Approx(0.5 - std::numbers::pi / 3).epsilon(5e-16));
  CHECK(m.at.y == Approx(-0.5 - std::numbers::pi / 3).epsilon(5e-16));
  CHECK(m.f == Approx(-std::sqrt(3.0) / 2 - std::numbers::pi / 3).epsilon(5e-16));
  // Easom at (pi, pi).
  CHECK(make_surface("easom")->minima().at(0).at.x == std::numbers::pi);
}

TEST_CASE("a parametrised built-in takes key=value and names itself canonically", "[surfaces]") {
  auto q = make_surface("quadratic:kappa=100");
  CHECK(q->id() == "quadratic:kappa=100");
  CHECK(q->formula() == "0.5*(x^2 + 100*y^2)");
  CHECK(q->evaluate(1, 1).dfdy == 100);
  CHECK(make_surface(q->id())->formula() == q->formula());
  CHECK(make_surface("quadratic:kappa=10")->id() == "quadratic");  // the default
  CHECK(make_surface("quadratic")->formula() == "0.5*(x^2 + 10*y^2)");
  CHECK(make_surface("rotated_quadratic:kappa=0.25e3")->id() == "rotated_quadratic:kappa=250");
  CHECK(make_surface("quadratic:kappa=1.1")->formula() == "0.5*(x^2 + 1.1*y^2)");

  const auto info = catalogue();
  REQUIRE(info.front().id == "quadratic");
  REQUIRE(info.front().params.size() == 1);
  CHECK(info.front().params[0].key == "kappa");
  CHECK(info.front().formula == "0.5*(x^2 + 10*y^2)");
}

TEST_CASE("bad surface specs are refused with a message naming the fault", "[surfaces]") {
  CHECK_THROWS_WITH(make_surface("rosenbrok"), Catch::Contains("unknown surface 'rosenbrok'") &&
                                                   Catch::Contains("rosenbrock"));
  using Row = std::pair<const char*, const char*>;
  for (const auto& [spec, message] : {
           Row{"quadratic:kappa=0.5", "quadratic: kappa must be in [1, 1000000], got 0.5"},
           Row{"quadratic:kappa=abc", "quadratic: kappa expects a number, got 'abc'"},
           Row{"quadratic:kappa=", "quadratic: kappa expects a number, got ''"},
           Row{"quadratic:kappa=nan", "quadratic: kappa must be in [1, 1000000], got nan"},
           Row{"quadratic:kappa", "quadratic: expected key=value, got 'kappa'"},
           Row{"quadratic:kap=3", "quadratic: unknown parameter 'kap' (known: kappa)"},
           Row{"quadratic:kappa=2,kappa=3", "quadratic: kappa is given twice"},
           Row{"booth:k=1", "booth: takes no parameters, got 'k'"},
           Row{"expr:sin(x", "missing ')' for the '(' at column 4"},
           Row{"expr:", "empty formula"},
       }) {
    CAPTURE(spec);
    CHECK_THROWS_AS(make_surface(spec), descent::Error);
    CHECK_THROWS_WITH(make_surface(spec), message);
  }
}

TEST_CASE("an expr: spec makes a formula surface with default view and start", "[surfaces]") {
  auto s = make_surface("expr:x^2 + 3*y^2");
  CHECK(s->id() == "expr:x^2 + 3*y^2");
  CHECK(s->formula() == "x^2 + 3*y^2");
  CHECK(s->minima().empty());
  CHECK(s->local_minima().empty());
  CHECK(s->view().x_min == -3);
  CHECK(s->view().y_max == 3);
  CHECK(s->start().x == -2);
  CHECK(s->start().y == 2);
  const Evaluation e = s->evaluate(1, 2);
  CHECK(e.f == 13);
  CHECK(e.dfdx == 2);
  CHECK(e.dfdy == 12);
}
