#include "models/training.h"

#include <utility>

namespace descent::models {
namespace {

std::unique_ptr<ModelSurface> make_model_surface(std::shared_ptr<const Dataset> data,
                                                 const ModelConfig& model,
                                                 const ModelSurface*& keep) {
  auto surface = std::make_unique<ModelSurface>(std::move(data), model);
  keep = surface.get();
  return surface;
}

}  // namespace

Training::Training(std::shared_ptr<const Dataset> data, const ModelConfig& model,
                   const Sampling& sampling)
    : surface_(nullptr),
      session_(make_model_surface(std::move(data), model, surface_), {0, 0}) {
  session_.set_start(surface_->start());
  set_sampling(sampling);
}

void Training::set_sampling(const Sampling& sampling) {
  source_ = std::make_shared<MiniBatchSource>(surface_->shared_data(), surface_->loss(), sampling);
  session_.set_gradient_source(source_);
}

std::vector<double> Training::epoch_losses(std::size_t run) const {
  const auto& losses = session_.run(run).estimated_loss;
  const long per_epoch = source_->steps_per_epoch();
  const long epochs = session_.steps() / per_epoch;
  const std::size_t n = data().size(), b = source_->batch_size();
  std::vector<double> out;
  for (long e = 0; e < epochs; ++e) {
    double sum = 0, weight = 0;
    for (long j = 0; j < per_epoch; ++j) {
      // Without replacement the epoch's last batch may be short (minibatch.h).
      const double size = static_cast<double>(
          source_->sampling().replacement ? b : std::min(b, n - static_cast<std::size_t>(j) * b));
      sum += losses[static_cast<std::size_t>(e * per_epoch + j)] * size;
      weight += size;
    }
    out.push_back(sum / weight);
  }
  return out;
}

}  // namespace descent::models
