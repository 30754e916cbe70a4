// Mini-batch gradients for a Session (session/gradient_source.h): at step k
// the optimizers see the loss and gradient of batch k instead of the full
// data's, so their paths jitter around the full-data descent; that jitter is
// the noise of SGD.
//
// Batch k is a pure function of (seed, k), drawn counter-based
// (counter_random.h), so a run can be reset, replayed or compared, and native
// and WASM builds draw the same batches:
//   * An epoch is ceil(n / B) steps for batch size B.
//   * Without replacement (the default, like PyTorch's DataLoader with
//     shuffle=True, drop_last=False): epoch e = k / steps_per_epoch visits the
//     samples in a Fisher-Yates permutation drawn from (seed, e); batch k is
//     positions [j B, min((j + 1) B, n)) of it, j = k mod steps_per_epoch, so
//     the last batch of an epoch holds the n mod B left over (when B does not
//     divide n). With B >= n every batch is the whole set in stored order:
//     full-batch SGD is plain gradient descent, bit for bit.
//   * With replacement: batch k is B indices drawn uniformly, index j from
//     draw k * B + j; epochs are only a unit of count.
//
// The current epoch's permutation is cached (computing it costs O(n)); the
// cache makes estimate() unsafe to call from two threads at once. Descent
// calls it from one.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "models/dataset.h"
#include "models/model.h"
#include "session/gradient_source.h"

namespace descent::models {

struct Sampling {
  std::size_t batch = 32;  // 1 .. n; larger is taken as n
  bool replacement = false;
  std::uint64_t seed = 1;
};

// One step's samples, gathered from the data set (or the whole set, borrowed).
class Batch {
 public:
  Batch() = default;
  Batch(Batch&&) = default;  // moving keeps the vectors' storage, so samples() stays valid
  Batch(const Batch&) = delete;
  Batch& operator=(const Batch&) = delete;

  const Samples& samples() const { return samples_; }
  std::size_t size() const { return samples_.size(); }

 private:
  friend class MiniBatchSource;
  std::vector<float> xs32_, ys32_;
  std::vector<double> xs64_, ys64_;
  Samples samples_;
};

class MiniBatchSource : public session::GradientSource {
 public:
  // Throws descent::Error for a batch size of 0.
  MiniBatchSource(std::shared_ptr<const Dataset> data, const ModelLoss& loss, Sampling sampling);

  surfaces::Evaluation estimate(double w, double b, long step) const override;

  const Sampling& sampling() const { return sampling_; }
  std::size_t batch_size() const;  // min(B, n)
  long steps_per_epoch() const;
  // Sample indices of batch `step` (in the order the kernel sums them).
  std::vector<std::uint32_t> indices(long step) const;
  // Batch `step`'s samples, gathered in the loss's precision.
  Batch batch(long step) const;
  const ModelLoss& loss() const { return loss_; }

 private:
  const std::vector<std::uint32_t>& permutation(long epoch) const;

  std::shared_ptr<const Dataset> data_;
  ModelLoss loss_;
  Sampling sampling_;
  mutable long cached_epoch_ = -1;
  mutable std::vector<std::uint32_t> cached_permutation_;
};

}  // namespace descent::models
