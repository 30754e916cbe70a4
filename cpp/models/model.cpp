#include "models/model.h"

#include <algorithm>
#include <cmath>
#include <span>
#include <utility>

#include "common/error.h"
#include "lanes/lane_math.h"
#include "lanes/lane_scalar.h"

namespace descent::models {
namespace {

// The samples as the chosen precision stores them, in double.
struct Columns {
  std::vector<double> own_x, own_y;
  std::span<const double> x, y;

  Columns(const Dataset& data, Precision precision) {
    if (precision == Precision::f64) {
      x = data.xs;
      y = data.ys;
    } else {
      own_x.assign(data.xs32.begin(), data.xs32.end());
      own_y.assign(data.ys32.begin(), data.ys32.end());
      x = own_x;
      y = own_y;
    }
  }
  std::size_t size() const { return x.size(); }
};

double mean(std::span<const double> v) {
  double sum = 0.0;
  for (double a : v) sum += a;
  return sum / static_cast<double>(v.size());
}

// Mean of (a - mean a)(b - mean b): two passes, no cancellation of large means.
double covariance(std::span<const double> a, std::span<const double> b) {
  const double ma = mean(a), mb = mean(b);
  double sum = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += (a[i] - ma) * (b[i] - mb);
  return sum / static_cast<double>(a.size());
}

std::optional<surfaces::Point> least_squares(const Columns& c, double l2) {
  const double var = covariance(c.x, c.x) + l2;
  if (!(var > 0)) return std::nullopt;
  const double w = covariance(c.x, c.y) / var;
  return surfaces::Point{w, mean(c.y) - w * mean(c.x)};
}

// The x range of each label (lo > hi for an absent label).
struct ClassRanges {
  double lo[2] = {INFINITY, INFINITY}, hi[2] = {-INFINITY, -INFINITY};

  explicit ClassRanges(const Columns& c) {
    for (std::size_t i = 0; i < c.size(); ++i) {
      const int k = c.y[i] != 0;
      lo[k] = std::min(lo[k], c.x[i]);
      hi[k] = std::max(hi[k], c.x[i]);
    }
  }
  bool single_class() const { return lo[0] > hi[0] || lo[1] > hi[1]; }
  // Whether some threshold on x puts every label-1 sample on one side and every
  // label-0 sample on the other (ties included): then no finite w, b minimise
  // the unpenalised cross-entropy.
  bool separable() const { return hi[0] <= lo[1] || hi[1] <= lo[0]; }
};

// Full-data logistic loss, gradient and Hessian at (w, b), in double with the
// lane math (lane_math.h) so that every build finds the same minimum.
struct Quadratic {
  double loss, g[2], h[3];  // h: d2/dw2, d2/dwdb, d2/db2
};

Quadratic logistic_quadratic(const Columns& c, double l2, double w, double b) {
  using One = lanes::Lanes<double, 1>;
  Quadratic q{0, {0, 0}, {0, 0, 0}};
  for (std::size_t i = 0; i < c.size(); ++i) {
    const double x = c.x[i], y = c.y[i];
    const auto l = lanes::logistic(One::splat(w * x + b), One::splat(y));
    const double p = l.p.lane(0), d = p - y, s = p * (1 - p);
    q.loss += l.loss.lane(0);
    q.g[0] += d * x;
    q.g[1] += d;
    q.h[0] += s * x * x;
    q.h[1] += s * x;
    q.h[2] += s;
  }
  const double n = static_cast<double>(c.size());
  q.loss = q.loss / n + l2 * w * w;
  q.g[0] = q.g[0] / n + 2 * l2 * w;
  q.g[1] /= n;
  q.h[0] = q.h[0] / n + 2 * l2;
  q.h[1] /= n;
  q.h[2] /= n;
  return q;
}

// Newton's method with step halving (the loss is convex). A step is taken
// when the loss does not rise beyond its own rounding (near the minimum the
// decrease is too small to see); done when a full step is tiny (the next would
// be its square) or no step lowers the loss any more.
std::optional<surfaces::Point> logistic_minimum(const Columns& c, double l2) {
  double w = 0, b = 0;
  for (int iteration = 0; iteration < 100; ++iteration) {
    const Quadratic q = logistic_quadratic(c, l2, w, b);
    const double det = q.h[0] * q.h[2] - q.h[1] * q.h[1];
    if (!(det > 0) || !std::isfinite(det)) return std::nullopt;
    const double dw = (q.h[2] * q.g[0] - q.h[1] * q.g[1]) / det;
    const double db = (q.h[0] * q.g[1] - q.h[1] * q.g[0]) / det;
    const double ceiling = q.loss + 1e-14 * std::abs(q.loss);
    double t = 1;
    while (!(logistic_quadratic(c, l2, w - t * dw, b - t * db).loss <= ceiling))
      if ((t /= 2) < 1e-12) return surfaces::Point{w, b};
    w -= t * dw;
    b -= t * db;
    if (t == 1 && std::abs(dw) <= 1e-10 * (1 + std::abs(w)) && std::abs(db) <= 1e-10 * (1 + std::abs(b)))
      return surfaces::Point{w, b};
  }
  return std::nullopt;
}

std::string data_note(const ModelConfig& config, const Dataset& data, bool has_minimum) {
  if (config.model == Model::linear)
    return "Squared error is quadratic in w and b: a bowl, stretched along a diagonal when the "
           "x values are far from 0. Each mini-batch has its own bowl; the steps follow them.";
  if (!has_minimum && data.classes)
    return "The classes are separable: the loss keeps falling as w grows, so there is no "
           "minimum to reach. An L2 term (l2 > 0) puts one back.";
  return "Cross-entropy is convex but not quadratic: steep far from the minimum, flat along "
         "the direction where the classes overlap least.";
}

// `config` once check_model has passed it.
const ModelConfig& checked(const ModelConfig& config, const Dataset& data) {
  check_model(config, data);
  return config;
}

}  // namespace

ModelLoss::ModelLoss(const ModelConfig& config, Twin twin)
    : config_(config), kernel_(&find_kernel(config.model, config.precision, twin)) {}

surfaces::Evaluation ModelLoss::evaluate(const Samples& samples, double w, double b) const {
  const auto sums = sum_terms(*kernel_, samples, w, b);
  const double n = static_cast<double>(samples.size());
  const double scale = config_.model == Model::linear ? 2.0 : 1.0;  // d/dr of r^2
  return {sums[0] / n + config_.l2 * w * w, scale * sums[1] / n + 2.0 * config_.l2 * w,
          scale * sums[2] / n};
}

void loss_grid(const ModelLoss& loss, const Samples& samples, const surfaces::ViewBox& view,
               int width, int height, std::vector<double>& out) {
  if (width <= 0 || height <= 0 || width > 4096 || height > 4096)
    throw Error("grid size must be 1..4096 by 1..4096");
  out.resize(static_cast<std::size_t>(width) * static_cast<std::size_t>(height));
  for (int r = 0; r < height; ++r) {
    const double b = view.y_max - (r + 0.5) * (view.y_max - view.y_min) / height;
    for (int c = 0; c < width; ++c) {
      const double w = view.x_min + (c + 0.5) * (view.x_max - view.x_min) / width;
      out[static_cast<std::size_t>(r) * width + c] = loss.evaluate(samples, w, b).f;
    }
  }
}

Samples all_samples(const Dataset& data) { return {data.xs32, data.ys32, data.xs, data.ys}; }

void check_model(const ModelConfig& config, const Dataset& data) {
  if (!std::isfinite(config.l2) || config.l2 < 0)
    throw Error("l2 must be >= 0, got " + format_number(config.l2));
  if (config.model != Model::logistic || data.classes) return;
  if (data.lines.empty())
    throw Error("logistic regression needs labels 0 or 1; '" + data.source +
                "' has real-valued y (use overlap or separable data)");
  for (std::size_t i = 0; i < data.size(); ++i)
    if (data.ys[i] != 0 && data.ys[i] != 1)
      throw Error(data.where(i) + ": label must be 0 or 1, got " + format_number(data.ys[i]));
}

std::optional<surfaces::Point> loss_minimum(const ModelConfig& config, const Dataset& data) {
  const Columns c(data, config.precision);
  if (config.model == Model::linear) return least_squares(c, config.l2);
  const ClassRanges classes(c);
  if (classes.single_class() || (config.l2 == 0 && classes.separable())) return std::nullopt;
  return logistic_minimum(c, config.l2);
}

ModelSurface::ModelSurface(std::shared_ptr<const Dataset> data, const ModelConfig& config)
    : data_(std::move(data)), loss_(checked(config, *data_)) {
  const bool linear = config.model == Model::linear;
  id_ = "model:" + model_name(config.model);
  name_ = (linear ? "Linear regression on " : "Logistic regression on ") + data_->name;
  const std::string penalty = config.l2 > 0 ? " + " + format_number(config.l2) + "*w^2" : "";
  formula_ = linear ? "mean((w*x + b - y)^2)" + penalty
                    : "mean(log(1 + exp(w*x + b)) - y*(w*x + b))" + penalty;
  const std::optional<surfaces::Point> minimum = loss_minimum(config, *data_);
  note_ = data_note(config, *data_, minimum.has_value());

  // Scales of w and b from the data: a change of one scale moves the fit visibly.
  const Columns c(*data_, config.precision);
  const double sx = std::sqrt(covariance(c.x, c.x)), sy = std::sqrt(covariance(c.y, c.y));
  const double sw = linear ? (sy > 0 ? sy : 1) / (sx > 0 ? sx : 1) : 2 / (sx > 0 ? sx : 1);
  const double sb = (linear ? (sy > 0 ? sy : 1) : 2) + std::abs(mean(c.x)) * sw;

  // Where the view is centred: the minimum, or far down the falling direction.
  surfaces::Point target{0, 0};
  if (minimum) {
    target = *minimum;
    minima_.push_back({*minimum, evaluate(minimum->x, minimum->y).f});
  } else if (!linear) {
    const ClassRanges r(c);
    if (r.single_class()) {  // b runs off towards the one label
      target = {0, r.lo[1] <= r.hi[1] ? 4 * sb : -4 * sb};
    } else {  // separable: w runs off, the sigmoid's step stays in the gap
      const double side = r.hi[0] <= r.lo[1] ? 1 : -1;  // label 1 to the right of label 0?
      const double threshold = side > 0 ? 0.5 * (r.hi[0] + r.lo[1]) : 0.5 * (r.hi[1] + r.lo[0]);
      target = {4 * side * sw, -4 * side * sw * threshold};
    }
  }
  // Training starts from (0, 0) as usual, unless that is (nearly) the minimum.
  start_ = {0, 0};
  if (std::abs(target.x) < 0.25 * sw && std::abs(target.y) < 0.25 * sb)
    start_ = {target.x - 2 * sw, target.y + 2 * sb};
  const auto span = [](double a, double b, double scale) {
    const double pad = std::max(0.5 * std::abs(b - a), scale);
    return std::pair{std::min(a, b) - pad, std::max(a, b) + pad};
  };
  const auto [x_min, x_max] = span(start_.x, target.x, sw);
  const auto [y_min, y_max] = span(start_.y, target.y, sb);
  view_ = {x_min, x_max, y_min, y_max};
}

surfaces::Evaluation ModelSurface::evaluate(double x, double y) const {
  return loss_.evaluate(all_samples(*data_), x, y);
}

}  // namespace descent::models
