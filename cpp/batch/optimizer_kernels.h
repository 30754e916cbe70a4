// The optimizer step kernels' one body, over a lane type V: float32 versions
// of the reference steps in cpp/optim/ (same equations, same order of
// operations per coordinate), for n parameters in structure-of-arrays layout.
// kernel_set_body.h instantiates them per twin.
//
// Every kernel has the signature of OptimizerKernel (kernels.h). The per-step
// scalars (bias corrections, schedules) come precomputed in StepScalars
// (optimizer_batch.cpp computes them in double, once per call, then rounds to
// float), and the variant bits pick a template instantiation once per call, so
// the inner loop has no per-lane branches. With kMasked, lanes whose `live`
// word is 0 keep their parameter and state bits unchanged (a frozen, diverged
// point); NaN in one lane never reaches another, as every operation is lane-wise.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

#include "batch/kernels.h"
#include "lanes/lane_ops.h"
#include "batch/tiles.h"

namespace descent::batch::kernels {

using namespace ::descent::lanes;

// Calls f.template operator()<F>() with F == flags, flags < 2^Count: one
// instantiation per variant, chosen once per call.
template <unsigned Count, class F>
void with_flags(unsigned flags, F&& f) {
  [&]<unsigned... I>(std::integer_sequence<unsigned, I...>) {
    (void)((flags == I ? (f.template operator()<I>(), true) : false) || ...);
  }(std::make_integer_sequence<unsigned, (1u << Count)>{});
}

// Writes new values, keeping the old ones in frozen lanes when Masked.
template <class V, bool Masked>
struct Commit {
  typename V::Mask live;
  DESCENT_LANE_INLINE void operator()(float* dst, V value) const {
    if constexpr (Masked) value = select(live, value, V::load(dst));
    store(dst, value);
  }
};

// Runs body(commit, p...) over the streams, with the live mask when Masked.
template <class V, int U, bool Masked, class Body, class... P>
DESCENT_LANE_INLINE void step_tiles(std::size_t n, const std::uint32_t* live, Body&& body,
                                    P*... streams) {
  if constexpr (Masked) {
    tiles<V, U>(
        n,
        [&](const std::uint32_t* l, auto*... q) {
          body(Commit<V, true>{load_mask_of<V>(l)}, q...);
        },
        live, streams...);
  } else {
    tiles<V, U>(n, [&](auto*... q) { body(Commit<V, false>{}, q...); }, streams...);
  }
}

// maximize and coupled weight decay: g <- gsign * g + weight_decay * p.
template <class V, unsigned F>
DESCENT_LANE_INLINE V gradient(const StepScalars& k, V g, V p) {
  if constexpr ((F & kPreprocess) != 0) return g * k.gsign + p * k.weight_decay;
  return g;
}

// Adam's two moving averages, m of g and v of g^2, updated in place.
template <class V, class Commit>
DESCENT_LANE_INLINE std::pair<V, V> moments(const StepScalars& k, const Commit& commit, V gv,
                                            float* mp, float* vp) {
  const V m = V::load(mp) * k.beta1 + gv * k.one_minus_beta1;
  const V v = V::load(vp) * k.beta2 + gv * k.one_minus_beta2 * gv;
  commit(mp, m);
  commit(vp, v);
  return {m, v};
}

// SGD: kVariantA momentum buffer in use, kVariantB Nesterov.
// b = beta1 * b + one_minus_beta1 * g (beta1 0 and 1 on the first heavy-ball
// step make b = g exactly); d = g + momentum * b with Nesterov (momentum in
// lr2), else b; p -= lr * d.
template <class V, int U>
void sgd_step(const StepScalars& k, std::size_t n, float* p, const float* g,
              float* const* state, const std::uint32_t* live) {
  with_flags<4>(k.flags, [&]<unsigned F>() {
    step_tiles<V, U, (F & kMasked) != 0>(
        n, live,
        [&](auto commit, float* pp, const float* gp, float* bp) {
          const V pv = V::load(pp);
          const V gv = gradient<V, F>(k, V::load(gp), pv);
          V d = gv;
          if constexpr ((F & kVariantA) != 0) {
            const V b = V::load(bp) * k.beta1 + gv * k.one_minus_beta1;
            commit(bp, b);
            d = (F & kVariantB) != 0 ? gv + b * k.lr2 : b;
          }
          commit(pp, pv - d * k.lr);
        },
        p, g, state[0]);
  });
}

// AdaGrad: kVariantA eps inside the root. G = G * keep + lr2 (keep 0 and lr2
// the initial accumulator on the first step), G += g^2, p -= lr * (g / den).
template <class V, int U>
void adagrad_step(const StepScalars& k, std::size_t n, float* p, const float* g,
                  float* const* state, const std::uint32_t* live) {
  with_flags<3>(k.flags, [&]<unsigned F>() {
    step_tiles<V, U, (F & kMasked) != 0>(
        n, live,
        [&](auto commit, float* pp, const float* gp, float* sp) {
          const V pv = V::load(pp);
          const V gv = gradient<V, F>(k, V::load(gp), pv);
          const V sum = (V::load(sp) * k.keep + k.lr2) + gv * gv;
          const V den = (F & kVariantA) != 0 ? sqrt(sum + k.eps) : sqrt(sum) + k.eps;
          commit(sp, sum);
          commit(pp, pv - (gv / den) * k.lr);
        },
        p, g, state[0]);
  });
}

// Adam and AdamW: kVariantA amsgrad, kVariantB eps inside the root, kVariantC
// decoupled decay (p *= keep first). lr is lr / bc1; scale2 is 1 / sqrt(bc2),
// or 1 / bc2 with eps inside the root.
template <class V>
struct AdamValues {
  V p, m, v, w;  // w: amsgrad's running maximum of v (without amsgrad: v)
};

// One Adam step on values: adam_step's body, and the fused group steps'
// (kernel_set_body.h), so both give the same bits. No masking here.
template <class V, unsigned F>
DESCENT_LANE_INLINE AdamValues<V> adam_values(const StepScalars& k, V pv, V g, V m_old, V v_old,
                                              V w_old) {
  if constexpr ((F & kVariantC) != 0) pv = pv * k.keep;
  const V gv = gradient<V, F>(k, g, pv);
  const V m = m_old * k.beta1 + gv * k.one_minus_beta1;
  const V v = v_old * k.beta2 + gv * k.one_minus_beta2 * gv;
  V second_moment = v;
  if constexpr ((F & kVariantA) != 0) second_moment = pmax(w_old, v);
  const V den = (F & kVariantB) != 0 ? sqrt(second_moment * k.scale2 + k.eps)
                                     : sqrt(second_moment) * k.scale2 + k.eps;
  return {pv - (m / den) * k.lr, m, v, second_moment};
}

template <class V, int U>
void adam_step(const StepScalars& k, std::size_t n, float* p, const float* g, float* const* state,
               const std::uint32_t* live) {
  with_flags<5>(k.flags, [&]<unsigned F>() {
    step_tiles<V, U, (F & kMasked) != 0>(
        n, live,
        [&](auto commit, float* pp, const float* gp, float* mp, float* vp, float* wp) {
          // amsgrad's buffer is read only when in use.
          const V w_old = (F & kVariantA) != 0 ? V::load(wp) : V::splat(0.0f);
          const AdamValues<V> r =
              adam_values<V, F>(k, V::load(pp), V::load(gp), V::load(mp), V::load(vp), w_old);
          commit(mp, r.m);
          commit(vp, r.v);
          if constexpr ((F & kVariantA) != 0) commit(wp, r.w);
          commit(pp, r.p);
        },
        p, g, state[0], state[1], state[2]);
  });
}

// NAdam (torch >= 2.0): lr the gradient's step, lr2 the momentum's step,
// scale2 = 1 / bc2.
template <class V, int U>
void nadam_step(const StepScalars& k, std::size_t n, float* p, const float* g, float* const* state,
                const std::uint32_t* live) {
  with_flags<2>(k.flags, [&]<unsigned F>() {
    step_tiles<V, U, (F & kMasked) != 0>(
        n, live,
        [&](auto commit, float* pp, const float* gp, float* mp, float* vp) {
          const V pv = V::load(pp);
          const V gv = gradient<V, F>(k, V::load(gp), pv);
          const auto [m, v] = moments(k, commit, gv, mp, vp);
          const V den = sqrt(v * k.scale2) + k.eps;
          commit(pp, (pv - (gv / den) * k.lr) - (m / den) * k.lr2);
        },
        p, g, state[0], state[1]);
  });
}

// RAdam: kVariantA rectified this step. lr2 = 1 / bc1; lr is lr (un-adapted)
// or lr * r_t * sqrt(bc2) (rectified).
template <class V, int U>
void radam_step(const StepScalars& k, std::size_t n, float* p, const float* g, float* const* state,
                const std::uint32_t* live) {
  with_flags<3>(k.flags, [&]<unsigned F>() {
    step_tiles<V, U, (F & kMasked) != 0>(
        n, live,
        [&](auto commit, float* pp, const float* gp, float* mp, float* vp) {
          const V pv = V::load(pp);
          const V gv = gradient<V, F>(k, V::load(gp), pv);
          const auto [m, v] = moments(k, commit, gv, mp, vp);
          const V m_hat = m * k.lr2;
          if constexpr ((F & kVariantA) != 0)
            commit(pp, pv - m_hat * k.lr / (sqrt(v) + k.eps));
          else
            commit(pp, pv - m_hat * k.lr);
        },
        p, g, state[0], state[1]);
  });
}

}  // namespace descent::batch::kernels
