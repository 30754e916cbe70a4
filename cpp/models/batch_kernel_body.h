// The batch kernels' one body, written over a lane type V (lane_scalar.h,
// lane_wasm_simd128.h): the scalar twin instantiates it with Lanes<T, N>, the
// SIMD twin with V128<T>, so both do the same IEEE operations in the same order
// and their sums agree bit for bit.
//
// Summation order, for kLanes = N lanes (4 for float, 2 for double):
//   * sample i goes to lane i mod N;
//   * each lane adds its samples in order into a block sum, restarted every
//     kBlock samples; a block sum is added to the lane's total when the block
//     ends (two-level summation: the rounding error grows with kBlock + n /
//     kBlock instead of n, which matters in float32 for large sets);
//   * the tail (n mod N samples) is one more vector, zero-padded and masked so
//     padded lanes add exactly +0, added straight to the totals;
//   * the lane totals are combined pairwise: (l0 + l1) + (l2 + l3).
#pragma once

#include <array>
#include <cstddef>

#include "lanes/lane_math.h"

namespace descent::models {

using namespace ::descent::lanes;  // the lane types and lane math the body is written over

inline constexpr std::size_t kBlock = 1024;  // samples per block sum, a multiple of every N

// Per-sample terms of the mean squared error of y = w*x + b, residual r:
// loss r^2, and the gradient's parts r*x and r (the caller scales by 2/n).
struct LinearTerms {
  template <class V>
  DESCENT_INLINE static std::array<V, 3> at(V x, V y, V w, V b) {
    const V r = (w * x + b) - y;
    return {r * r, r * x, r};
  }
};

// Per-sample terms of the cross-entropy of p = sigmoid(w*x + b) with label y:
// loss softplus(z) - y z, and the gradient's parts (p - y) x and (p - y).
struct LogisticTerms {
  template <class V>
  DESCENT_INLINE static std::array<V, 3> at(V x, V y, V w, V b) {
    const Logistic<V> l = logistic(w * x + b, y);
    const V d = l.p - y;
    return {l.loss, d * x, d};
  }
};

// Sums of the three per-sample terms over xs[0..n), ys[0..n) into sums[0..2].
template <class Terms, class V>
void sum_terms(std::size_t n, const typename V::Scalar* xs, const typename V::Scalar* ys,
               typename V::Scalar w, typename V::Scalar b, typename V::Scalar* sums) {
  using T = typename V::Scalar;
  constexpr std::size_t N = V::kLanes;
  const V vw = V::splat(w), vb = V::splat(b), zero = V::splat(T(0));
  std::array<V, 3> total = {zero, zero, zero};
  const std::size_t whole = n - n % N;
  std::size_t i = 0;
  while (i < whole) {
    const std::size_t block_end = whole - i < kBlock ? whole : i + kBlock;
    std::array<V, 3> block = {zero, zero, zero};
    // Two vectors' terms per iteration, added one after the other: the same
    // order as one at a time, but two independent chains for the CPU to
    // overlap (the logistic terms are a long chain of dependent operations).
    for (; i + 2 * N <= block_end; i += 2 * N) {
      const std::array<V, 3> t0 = Terms::at(V::load(xs + i), V::load(ys + i), vw, vb);
      const std::array<V, 3> t1 = Terms::at(V::load(xs + i + N), V::load(ys + i + N), vw, vb);
      for (int c = 0; c < 3; ++c) block[c] = (block[c] + t0[c]) + t1[c];
    }
    if (i < block_end) {
      const std::array<V, 3> t = Terms::at(V::load(xs + i), V::load(ys + i), vw, vb);
      for (int c = 0; c < 3; ++c) block[c] = block[c] + t[c];
      i += N;
    }
    for (int c = 0; c < 3; ++c) total[c] = total[c] + block[c];
  }
  if (i < n) {
    T x_tail[N] = {}, y_tail[N] = {};
    for (std::size_t j = 0; i + j < n; ++j) {
      x_tail[j] = xs[i + j];
      y_tail[j] = ys[i + j];
    }
    const auto live = V::Mask::first(static_cast<int>(n - i));
    const std::array<V, 3> t = Terms::at(V::load(x_tail), V::load(y_tail), vw, vb);
    for (int c = 0; c < 3; ++c) total[c] = total[c] + select(live, t[c], zero);
  }
  for (int c = 0; c < 3; ++c) {
    T lane[N];
    for (std::size_t j = 0; j < N; ++j) lane[j] = total[c].lane(static_cast<int>(j));
    for (std::size_t width = N; width > 1; width /= 2)  // pairwise: (l0 + l1) + (l2 + l3)
      for (std::size_t j = 0; j < width / 2; ++j) lane[j] = lane[2 * j] + lane[2 * j + 1];
    sums[c] = lane[0];
  }
}

}  // namespace descent::models

// Defines loss_grad_<model>_<type>_<isa> (batch_kernels.h) as sum_terms over
// lane type V; DESCENT_DEFINE_LOSS_GRAD_KERNELS defines a twin's four kernels
// over its float and double lane types: one line per twin file.
#define DESCENT_DEFINE_LOSS_GRAD_KERNEL(model, type, T, V, Terms, isa)                 \
  void loss_grad_##model##_##type##_##isa(std::size_t n, const T* xs, const T* ys, T w, T b, \
                                          T* sums) {                                      \
    sum_terms<Terms, V>(n, xs, ys, w, b, sums);                              \
  }
#define DESCENT_DEFINE_LOSS_GRAD_KERNELS(isa, F32, F64)                        \
  DESCENT_DEFINE_LOSS_GRAD_KERNEL(linear, f32, float, F32, LinearTerms, isa)   \
  DESCENT_DEFINE_LOSS_GRAD_KERNEL(linear, f64, double, F64, LinearTerms, isa)  \
  DESCENT_DEFINE_LOSS_GRAD_KERNEL(logistic, f32, float, F32, LogisticTerms, isa) \
  DESCENT_DEFINE_LOSS_GRAD_KERNEL(logistic, f64, double, F64, LogisticTerms, isa)
