// Model loss surfaces: gradients against finite differences, the minimum
// (closed form, Newton, none), and full-batch training as plain descent.
#include <catch2/catch.hpp>

#include <cmath>
#include <memory>

#include "common/error.h"
#include "models/model.h"
#include "models/training.h"
#include "optim/registry.h"
#include "session/session.h"

using namespace descent;
using namespace descent::models;

namespace {

std::shared_ptr<const Dataset> data(const char* spec) {
  return std::make_shared<Dataset>(generate_dataset(spec));
}

}  // namespace

TEST_CASE("model gradients match central finite differences", "[models][model]") {
  struct Case {
    const char* data;
    Model model;
    double l2;
  };
  const Case cases[] = {{"line", Model::linear, 0},           {"outliers", Model::linear, 0.3},
                        {"overlap", Model::logistic, 0},      {"separable", Model::logistic, 0.1},
                        {"overlap:center=3", Model::logistic, 0}};
  const surfaces::Point points[] = {{0, 0}, {1.5, -2}, {-3, 0.7}, {8, 4}};
  for (const auto& c : cases)
    for (Precision p : {Precision::f64, Precision::f32}) {
      const ModelSurface s(data(c.data), {c.model, p, c.l2});
      // float32 rounds w and b to float, so its steps must be large (1e-2)
      // and the agreement is looser.
      const double h = p == Precision::f64 ? 1e-6 : 1e-2;
      const double tolerance = p == Precision::f64 ? 1e-6 : 2e-3;
      for (const auto& q : points) {
        CAPTURE(c.data, precision_name(p), q.x, q.y);
        const auto e = s.evaluate(q.x, q.y);
        const double dx = (s.value(q.x + h, q.y) - s.value(q.x - h, q.y)) / (2 * h);
        const double dy = (s.value(q.x, q.y + h) - s.value(q.x, q.y - h)) / (2 * h);
        const double scale = 1 + std::abs(e.dfdx) + std::abs(e.dfdy);
        CHECK(e.dfdx == Approx(dx).margin(tolerance * scale));
        CHECK(e.dfdy == Approx(dy).margin(tolerance * scale));
      }
    }
}

TEST_CASE("the linear minimum is the closed-form least-squares solution", "[models][model]") {
  for (const char* spec : {"line", "outliers:n=5000,xmin=10,xmax=12", "line:n=10,noise=3"}) {
    CAPTURE(spec);
    const auto d = data(spec);
    // Normal equations [sum x^2, sum x; sum x, n] [w; b] = [sum xy; sum y], in long double.
    long double sxx = 0, sx = 0, sxy = 0, sy = 0;
    for (std::size_t i = 0; i < d->size(); ++i) {
      sxx += static_cast<long double>(d->xs[i]) * d->xs[i];
      sx += d->xs[i];
      sxy += static_cast<long double>(d->xs[i]) * d->ys[i];
      sy += d->ys[i];
    }
    const long double n = d->size(), det = sxx * n - sx * sx;
    const double w = static_cast<double>((sxy * n - sx * sy) / det);
    const double b = static_cast<double>((sxx * sy - sx * sxy) / det);
    const ModelSurface s(d, {Model::linear, Precision::f64, 0});
    REQUIRE(s.minima().size() == 1);
    CHECK(s.minima()[0].at.x == Approx(w).epsilon(1e-9));
    CHECK(s.minima()[0].at.y == Approx(b).epsilon(1e-9).margin(1e-9));
    const auto e = s.evaluate(w, b);
    CHECK(s.minima()[0].f == Approx(e.f).epsilon(1e-12));
    CHECK(std::abs(e.dfdx) < 1e-9);
    CHECK(std::abs(e.dfdy) < 1e-9);
  }
  SECTION("with l2 the gradient (including 2 l2 w) vanishes at the minimum") {
    const ModelSurface s(data("line"), {Model::linear, Precision::f64, 0.5});
    REQUIRE(s.minima().size() == 1);
    const auto m = s.minima()[0].at;
    CHECK(std::abs(s.evaluate(m.x, m.y).dfdx) < 1e-12);
    CHECK(std::abs(s.evaluate(m.x, m.y).dfdy) < 1e-12);
    CHECK(m.x < ModelSurface(data("line"), {Model::linear, Precision::f64, 0}).minima()[0].at.x);
  }
  SECTION("all x equal: no unique minimum") {
    const auto flat = std::make_shared<Dataset>(parse_csv("1,2\n1,3\n1,4\n"));
    CHECK(ModelSurface(flat, {Model::linear, Precision::f64, 0}).minima().empty());
    CHECK(ModelSurface(flat, {Model::linear, Precision::f64, 0.1}).minima().size() == 1);
  }
}

TEST_CASE("logistic minimum: Newton's where it exists, none for separable data", "[models][model]") {
  for (Precision p : {Precision::f64, Precision::f32})
    for (const char* spec : {"overlap", "overlap:n=100000,separation=1,center=5"}) {
      CAPTURE(spec, precision_name(p));
      const ModelSurface s(data(spec), {Model::logistic, p, 0});
      REQUIRE(s.minima().size() == 1);
      const auto m = s.minima()[0].at;
      const auto e = s.evaluate(m.x, m.y);
      const double tolerance = p == Precision::f64 ? 1e-12 : 1e-5;
      CHECK(std::abs(e.dfdx) < tolerance);
      CHECK(std::abs(e.dfdy) < tolerance);
      CHECK(m.x > 0);  // label 1 to the right
    }
  CHECK(ModelSurface(data("separable"), {Model::logistic, Precision::f64, 0}).minima().empty());
  const ModelSurface penalised(data("separable"), {Model::logistic, Precision::f64, 0.01});
  REQUIRE(penalised.minima().size() == 1);
  const auto m = penalised.minima()[0].at;
  CHECK(std::abs(penalised.evaluate(m.x, m.y).dfdx) < 1e-12);
  const auto one_class = std::make_shared<Dataset>(parse_csv("1,1\n2,1\n3,1\n"));
  CHECK(ModelSurface(one_class, {Model::logistic, Precision::f64, 0.1}).minima().empty());
}

TEST_CASE("the view box holds the start and the minimum; the strings describe the model",
          "[models][model]") {
  for (const char* spec : {"line", "outliers", "overlap", "separable", "line:w=0,b=0"}) {
    CAPTURE(spec);
    const auto d = data(spec);
    const ModelSurface s(d, {d->classes ? Model::logistic : Model::linear, Precision::f32, 0});
    const auto v = s.view();
    const auto inside = [&](surfaces::Point p) {
      return p.x > v.x_min && p.x < v.x_max && p.y > v.y_min && p.y < v.y_max;
    };
    CHECK(inside(s.start()));
    for (const auto& m : s.minima()) {
      CHECK(inside(m.at));
      CHECK((m.at.x != s.start().x || m.at.y != s.start().y));
    }
    CHECK_FALSE(s.note().empty());
  }
  const ModelSurface s(data("line"), {Model::linear, Precision::f32, 0.25});
  CHECK(s.id() == "model:linear");
  CHECK(s.name() == "Linear regression on line (200 samples)");
  CHECK(s.formula() == "mean((w*x + b - y)^2) + 0.25*w^2");
}

TEST_CASE("full-batch SGD is plain gradient descent on the same surface, bit for bit",
          "[models][model][identity]") {
  for (const char* spec : {"line", "overlap"}) {
    for (Precision p : {Precision::f32, Precision::f64}) {
      CAPTURE(spec, precision_name(p));
      const auto d = data(spec);
      const ModelConfig config{d->classes ? Model::logistic : Model::linear, p, 0.01};
      Training full(d, config, {d->size(), false, 99});  // batch = the whole set
      session::Session plain(std::make_unique<ModelSurface>(d, config), full.surface().start());
      for (const char* opt : {"sgd:lr=0.02", "momentum:lr=0.02"}) {
        full.session().add(optim::parse_spec(opt));
        plain.add(optim::parse_spec(opt));
      }
      full.session().step(150);
      plain.step(150);
      for (std::size_t i = 0; i < 2; ++i) {
        CHECK(full.session().run(i).trajectory == plain.run(i).trajectory);
        CHECK(full.session().run(i).gradients == plain.run(i).gradients);
      }
    }
  }
}

TEST_CASE("full-batch gradient descent converges to the least-squares minimum", "[models][model]") {
  Training t(data("line"), {Model::linear, Precision::f64, 0}, {1000000, false, 1});
  t.session().add(optim::parse_spec("momentum:lr=0.02"));
  t.session().step(3000);
  const auto& m = t.surface().minima().at(0).at;
  const auto& path = t.session().run(0).trajectory;
  CHECK(path[path.size() - 3] == Approx(m.x).epsilon(1e-9));
  CHECK(path[path.size() - 2] == Approx(m.y).epsilon(1e-9));
}
