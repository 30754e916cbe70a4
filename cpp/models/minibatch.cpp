#include "models/minibatch.h"

#include <algorithm>
#include <numeric>
#include <utility>

#include "common/error.h"
#include "models/counter_random.h"

namespace descent::models {

MiniBatchSource::MiniBatchSource(std::shared_ptr<const Dataset> data, const ModelLoss& loss,
                                 Sampling sampling)
    : data_(std::move(data)), loss_(loss), sampling_(sampling) {
  if (sampling_.batch == 0) throw Error("batch size must be at least 1, got 0");
}

std::size_t MiniBatchSource::batch_size() const { return std::min(sampling_.batch, data_->size()); }

long MiniBatchSource::steps_per_epoch() const {
  const std::size_t b = batch_size();
  return static_cast<long>((data_->size() + b - 1) / b);
}

const std::vector<std::uint32_t>& MiniBatchSource::permutation(long epoch) const {
  if (epoch != cached_epoch_) {
    const std::size_t n = data_->size();
    cached_permutation_.resize(n);
    std::iota(cached_permutation_.begin(), cached_permutation_.end(), std::uint32_t{0});
    const CounterRandom random(sampling_.seed, epoch_stream(static_cast<std::uint64_t>(epoch)));
    for (std::size_t i = n; i-- > 1;)  // Fisher-Yates, from the end
      std::swap(cached_permutation_[i], cached_permutation_[random.below(i, i + 1)]);
    cached_epoch_ = epoch;
  }
  return cached_permutation_;
}

std::vector<std::uint32_t> MiniBatchSource::indices(long step) const {
  if (step < 0) throw Error("no batch for step " + std::to_string(step));
  const std::size_t n = data_->size(), size = batch_size();
  std::vector<std::uint32_t> out;
  if (sampling_.replacement) {
    const CounterRandom random(sampling_.seed, Stream::batch);
    const auto first = static_cast<std::uint64_t>(step) * size;
    for (std::size_t j = 0; j < size; ++j)
      out.push_back(static_cast<std::uint32_t>(random.below(first + j, n)));
  } else if (size == n) {
    out.resize(n);
    std::iota(out.begin(), out.end(), std::uint32_t{0});
  } else {
    const long epoch = step / steps_per_epoch();
    const std::size_t begin = static_cast<std::size_t>(step % steps_per_epoch()) * size;
    const auto& order = permutation(epoch);
    out.assign(order.begin() + static_cast<std::ptrdiff_t>(begin),
               order.begin() + static_cast<std::ptrdiff_t>(std::min(n, begin + size)));
  }
  return out;
}

Batch MiniBatchSource::batch(long step) const {
  Batch batch;
  if (!sampling_.replacement && batch_size() == data_->size()) {
    batch.samples_ = all_samples(*data_);
    return batch;
  }
  const auto chosen = indices(step);
  const auto gather = [&](const auto& xs, const auto& ys, auto& bx, auto& by) {
    bx.reserve(chosen.size());
    by.reserve(chosen.size());
    for (std::uint32_t i : chosen) {
      bx.push_back(xs[i]);
      by.push_back(ys[i]);
    }
  };
  if (loss_.config().precision == Precision::f32) {
    gather(data_->xs32, data_->ys32, batch.xs32_, batch.ys32_);
    batch.samples_.xs32 = batch.xs32_;
    batch.samples_.ys32 = batch.ys32_;
  } else {
    gather(data_->xs, data_->ys, batch.xs64_, batch.ys64_);
    batch.samples_.xs64 = batch.xs64_;
    batch.samples_.ys64 = batch.ys64_;
  }
  return batch;
}

surfaces::Evaluation MiniBatchSource::estimate(double w, double b, long step) const {
  return loss_.evaluate(batch(step).samples(), w, b);
}

}  // namespace descent::models
