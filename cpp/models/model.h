// Models with exactly two parameters (w, b), so their loss over a data set is
// a surface the page can draw and the optimizers can descend:
//
//   linear    y ~ w*x + b, mean squared error
//             L(w, b) = mean_i (w*x_i + b - y_i)^2 + l2 * w^2
//   logistic  p = sigmoid(w*x + b), labels y in {0, 1}, cross-entropy
//             L(w, b) = mean_i [log(1 + e^z_i) - y_i z_i] + l2 * w^2,  z_i = w*x_i + b
//
// The L2 term penalises the slope only (the bias is left free, as usual); its
// gradient is 2 l2 w. Means and gradients come from the batch kernels
// (batch_kernels.h) in float32 (the default) or float64: in float32 the data,
// w and b are rounded to float and the sums kept in float; the result is
// widened to double and divided by n in double.
//
// ModelSurface is a surfaces::Surface over (x, y) = (w, b) whose value is the
// full-data loss, so a Session trains the model as it descends any surface;
// a mini-batch gradient comes from a MiniBatchSource (minibatch.h).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "models/batch_kernels.h"
#include "models/dataset.h"
#include "surfaces/surface.h"

namespace descent::models {

struct ModelConfig {
  Model model = Model::linear;
  Precision precision = Precision::f32;
  double l2 = 0.0;  // >= 0
};

// The loss of a model over any samples (a batch or the whole set), through
// one kernel twin.
class ModelLoss {
 public:
  explicit ModelLoss(const ModelConfig& config, Twin twin = default_twin());
  const ModelConfig& config() const { return config_; }
  // Mean loss and its gradient over `samples` (which must be non-empty).
  surfaces::Evaluation evaluate(const Samples& samples, double w, double b) const;

 private:
  ModelConfig config_;
  const BatchKernel* kernel_;
};

// The whole data set as kernel input (both precisions).
Samples all_samples(const Dataset& data);

// The loss over `samples` on a width x height grid of cell centres over
// `view`, row by row from the top (y_max) down, as the Session binding's
// evaluateGrid lays out a surface (the page paints both the same way). Sizes
// 1 .. 4096, else descent::Error.
void loss_grid(const ModelLoss& loss, const Samples& samples, const surfaces::ViewBox& view,
               int width, int height, std::vector<double>& out);

// Throws descent::Error unless the model can be fitted to the data: l2 must be
// finite and >= 0; logistic regression needs every y to be 0 or 1
// (`line 4: label must be 0 or 1, got 2` for CSV data).
void check_model(const ModelConfig& config, const Dataset& data);

// The minimum of the full-data loss, computed in double on the samples as
// the chosen precision stores them: linear in closed form (least squares,
// w = cov(x, y) / (var(x) + l2), b = mean(y) - w mean(x)); logistic by damped
// Newton from (0, 0). None when there is no unique finite minimum: linear with
// all x equal and l2 = 0; logistic with a single class, or with separable
// classes and l2 = 0 (the loss keeps falling as |w| grows).
std::optional<surfaces::Point> loss_minimum(const ModelConfig& config, const Dataset& data);

class ModelSurface : public surfaces::Surface {
 public:
  // Checks the pair (check_model) and computes the minimum, view and start.
  ModelSurface(std::shared_ptr<const Dataset> data, const ModelConfig& config);

  const std::string& id() const override { return id_; }
  const std::string& name() const override { return name_; }
  const std::string& formula() const override { return formula_; }
  const std::string& note() const override { return note_; }
  surfaces::ViewBox view() const override { return view_; }
  surfaces::Point start() const override { return start_; }
  const std::vector<surfaces::Minimum>& minima() const override { return minima_; }
  // The full-data loss and its gradient at (w, b) = (x, y).
  surfaces::Evaluation evaluate(double x, double y) const override;

  const Dataset& data() const { return *data_; }
  std::shared_ptr<const Dataset> shared_data() const { return data_; }
  const ModelLoss& loss() const { return loss_; }

 private:
  std::shared_ptr<const Dataset> data_;
  ModelLoss loss_;
  std::string id_, name_, formula_, note_;
  surfaces::ViewBox view_;
  surfaces::Point start_;
  std::vector<surfaces::Minimum> minima_;
};

}  // namespace descent::models
