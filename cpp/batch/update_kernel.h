// The batch engine's side of a method written once (optim/update_method.h):
// its per-step coefficients travel in StepScalars::coefficients, and its float32
// kernel is the method's own update<V, float> run over tiles of lanes, so the
// double reference, the scalar twin and the wasm_simd128 twin are one text.
// The kernels work on n parameters in structure-of-arrays layout; with
// kMasked, lanes whose `live` word is 0 keep their parameter and state bits
// unchanged (a frozen, diverged point); NaN in one lane never reaches another,
// as every operation is lane-wise.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <typeindex>
#include <utility>

#include "batch/kernels.h"
#include "batch/tiles.h"
#include "lanes/lane_ops.h"
#include "optim/update_method.h"

namespace descent::batch {

namespace kernels {

using namespace ::descent::lanes;

// Writes new values, keeping the old ones in frozen lanes when Masked.
template <class V, bool Masked>
struct Commit {
  typename V::Mask live;
  DESCENT_INLINE void operator()(float* dst, V value) const {
    if constexpr (Masked) value = select(live, value, V::load(dst));
    store(dst, value);
  }
};

// Runs body(commit, p...) over the streams, with the live mask when Masked.
template <class V, int U, bool Masked, class Body, class... P>
DESCENT_INLINE void step_tiles(std::size_t n, const std::uint32_t* live, Body&& body,
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

}  // namespace kernels

template <class M>
using CoefficientsOf = typename M::template Coefficients<float>;

template <class M>
void store_coefficients(StepScalars& k, const CoefficientsOf<M>& c) {
  static_assert(std::is_trivially_copyable_v<CoefficientsOf<M>>);
  static_assert(sizeof(CoefficientsOf<M>) <= sizeof(k.coefficients),
                "StepScalars::coefficients is too small for this method");
  std::memcpy(k.coefficients, &c, sizeof c);
}

template <class M>
CoefficientsOf<M> load_coefficients(const StepScalars& k) {
  CoefficientsOf<M> c;
  std::memcpy(&c, k.coefficients, sizeof c);
  return c;
}

template <class M>
struct UpdateKernel {
  template <class V, int U>
  struct Of {
    // The OptimizerKernel: state[j] the method's buffers in its state_names() order.
    static void run(const StepScalars& k, std::size_t n, float* p, const float* g,
                    float* const* state, const std::uint32_t* live) {
      const CoefficientsOf<M> c = load_coefficients<M>(k);
      auto body = [&](auto commit, float* pp, const float* gp, auto*... sp) {
        V pv = V::load(pp);
        V st[M::kState] = {V::load(sp)...};
        M::template update<V, float>(c, pv, V::load(gp), st);
        std::size_t j = 0;
        (commit(sp, st[j++]), ...);
        commit(pp, pv);
      };
      // A step that leaves the state alone (M::uses_state: plain SGD) reads
      // and writes only p: half the memory traffic.
      if constexpr (requires { M::uses_state(c); }) {
        if (!M::uses_state(c)) {
          auto stateless = [&](auto commit, float* pp, const float* gp) {
            V pv = V::load(pp);
            V st[M::kState];
            for (V& s : st) s = V::splat(0.0f);
            M::template update<V, float>(c, pv, V::load(gp), st);
            commit(pp, pv);
          };
          if ((k.flags & kMasked) != 0) kernels::step_tiles<V, U, true>(n, live, stateless, p, g);
          else kernels::step_tiles<V, U, false>(n, live, stateless, p, g);
          return;
        }
      }
      [&]<std::size_t... J>(std::index_sequence<J...>) {
        if ((k.flags & kMasked) != 0)
          kernels::step_tiles<V, U, true>(n, live, body, p, g, state[J]...);
        else
          kernels::step_tiles<V, U, false>(n, live, body, p, g, state[J]...);
      }(std::make_index_sequence<M::kState>{});
    }
  };
};

// A method of optim::Methods written once, as a batch family (families.h): the same
// members as Family, with the per-step scalars its own coefficients.
template <class M>
struct UpdateFamily {
  using Traits = optim::UpdateMethod<M>;
  static constexpr const char* name = M::id;
  using Carry = typename optim::CarryOf<M>::type;
  template <class V, int U>
  static constexpr OptimizerKernel kernel = &UpdateKernel<M>::template Of<V, U>::run;
  template <class Fn>
  static void with_traits(std::type_index method, Fn&& fn) {
    if (method == typeid(Traits)) fn.template operator()<Traits>();
  }
  static StepScalars step_scalars(const typename M::Hyper& h, long t, Carry& carry) {
    StepScalars k;
    const CoefficientsOf<M> c = M::template coefficients<float>(h, t, carry);
    store_coefficients<M>(k, c);
    if constexpr (requires { M::is_plain(c); })
      if (M::is_plain(c)) k.flags |= kPlain;
    return k;
  }
};

}  // namespace descent::batch
