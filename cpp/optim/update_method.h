// A method written once, for every engine: the shape every optimizer has
// (adam.h, rprop.h, ...). A method M is one header with
//
//   static constexpr const char* id;                 // its batch family's name
//   static std::vector<RegistryEntry> entries();     // id, name, summary, keys and ranges
//                                                    // of each registry entry it runs
//   static std::vector<std::string> state_names();   // the per-coordinate buffers
//   static std::vector<std::string> state_symbols(); // optional: their LaTeX symbols
//   static constexpr int first_moment;               // index of the momentum buffer, or -1
//   struct Hyper; static Hyper hyper(const Settings&);
//   optional: static void check(const std::string& id, const Hyper&);  // cross-field
//             rules (the registry checks each key's range)
//   optional: struct Carry;    // per-instance scalars kept from step to step (double);
//             without one, coefficients() takes a NoCarry&
//   template <class S> struct Coefficients;          // one step's scalars, as S
//   template <class S> static Coefficients<S> coefficients(const Hyper&, long t, Carry&);
//   template <class T, class S>                      // T: double, or a float lane type
//   static void update(const Coefficients<S>&, T& p, T g, T (&state)[kState]);
//   static std::string latex(const Hyper&);
//   optional: static bool uses_state(const Coefficients<S>&);  // false: this step
//             leaves every buffer alone (plain SGD), so the batch kernel skips them
//
// coefficients() does the per-step scalar work once, in double (bias
// corrections, decayed rates), then rounds to S; update() is the per-coordinate
// rule over any number type with the operations below, and the shared stages
// (GradientStage, MovingAverage, bias_correction, Divisor). The double reference
// (UpdateMethod<M>, the registry's optimizer) runs update<double, double>; the
// batch engine's float32 kernels (cpp/batch/update_kernel.h) run the same
// template on lanes, so the rule cannot drift between engines.
// A new method is its header plus one entry in `Methods` (methods.h):
// the registry, the batch kernel table, the twin and golden tests and the
// benchmark rows all iterate that list.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "common/number_ops.h"
#include "optim/optimizer.h"

namespace descent::optim {

// The lane operations for plain doubles (lt, select, pmin, pmax; number<T>
// for a constant) are common/number_ops.h's, so an update rule written with
// them is one text for both; abs and sqrt are std's.
using std::abs, std::sqrt;

// -1, 0 or +1 by the sign of x; 0 for NaN and for both zeros, as torch.sign.
template <class T>
T sign_of(T x) {
  const T zero = number<T>(0.0);
  return select(lt(zero, x), number<T>(1.0), select(lt(x, zero), number<T>(-1.0), zero));
}

// Step t's bias correction 1 - beta^t of a moving average started at 0.
inline double bias_correction(double beta, long t) {
  return 1.0 - std::pow(beta, static_cast<double>(t));
}

// A moving average's decay and its complement, the stage Adam's moments,
// RMSProp's mean square, SGD's momentum buffer and others share:
// of(avg, x) = decay * avg + (1 - decay) * x, of_square(avg, x) the same of x^2.
template <class S>
struct MovingAverage {
  S decay, one_minus_decay;
  template <class T>
  T of(T avg, T x) const {
    return avg * decay + x * one_minus_decay;
  }
  template <class T>
  T of_square(T avg, T x) const {
    return avg * decay + x * one_minus_decay * x;
  }
};
template <class S>
MovingAverage<S> moving_average(double decay) {
  return {S(decay), S(1.0 - decay)};
}

// Division by a per-step constant d (a bias correction), written `x / c.d` in
// an update rule. The double reference divides, as torch does; the float32
// engine multiplies by d's reciprocal (computed in double, then rounded), one
// multiply per lane instead of a division, as its kernels always have: the
// twins' bits and speed stay, and the rule is still written once.
template <class S>
struct Divisor {
  S value;
};
template <>
struct Divisor<float> {
  float reciprocal;
};
template <class S>
Divisor<S> divisor(double d) {
  if constexpr (std::is_same_v<S, float>) return {static_cast<float>(1.0 / d)};
  else return {static_cast<S>(d)};
}
template <class T>
T operator/(T x, Divisor<double> d) {
  return x / d.value;
}
template <class T>
T operator/(T x, Divisor<float> d) {
  return x * d.reciprocal;
}

// torch's two stages on the raw gradient, once for every method
// that offers them: g <- -g if maximize, then g <- g + weight_decay * p.
template <class S>
struct GradientStage {
  bool maximize;
  bool decay;  // weight_decay != 0 (torch skips the term: an inf p stays inf, not nan)
  S weight_decay;
  template <class T>
  T operator()(T g, T p) const {
    if (maximize) g = -g;
    if (decay) g = g + p * weight_decay;
    return g;
  }
};
template <class S>
GradientStage<S> gradient_stage(bool maximize, double weight_decay) {
  return {maximize, weight_decay != 0.0, S(weight_decay)};
}

// The Adam family's first stages (Adam, AdamW, NAdam, RAdam): torch's gradient
// stage, then the moving averages m of g and v of g^2, in place; returns g.
template <class S>
struct AdamMoments {
  GradientStage<S> gradient;
  MovingAverage<S> m, v;  // beta1, beta2
  template <class T>
  T operator()(T p, T g, T& m_t, T& v_t) const {
    g = gradient(g, p);
    m_t = m.of(m_t, g);
    v_t = v.of_square(v_t, g);
    return g;
  }
};
template <class S>
AdamMoments<S> adam_moments(bool maximize, double weight_decay, double beta1, double beta2) {
  return {gradient_stage<S>(maximize, weight_decay), moving_average<S>(beta1),
          moving_average<S>(beta2)};
}

// What a method keeps from step to step besides its buffers: M::Carry, or nothing.
struct NoCarry {};
template <class M>
struct CarryOf {
  using type = NoCarry;
};
template <class M>
  requires requires { typename M::Carry; }
struct CarryOf<M> {
  using type = typename M::Carry;
};

// The MethodOptimizer traits (method_optimizer.h) of an update method: its
// double-precision reference step.
template <class M>
struct UpdateMethod {
  static constexpr std::size_t kState = M::kState;
  static constexpr int first_moment = M::first_moment;
  using Hyper = typename M::Hyper;
  struct State {
    long t = 0;
    typename CarryOf<M>::type carry{};
    std::array<std::vector<double>, kState> buffers;
  };
  static Hyper hyper(const Settings& s) { return M::hyper(s); }
  static void check(const std::string& id, const Hyper& h) {
    if constexpr (requires { M::check(id, h); }) M::check(id, h);
  }
  static State init(std::size_t dimension) {
    State s;
    for (auto& b : s.buffers) b.assign(dimension, 0.0);
    return s;
  }
  static void step(const Hyper& h, State& s, std::span<double> p, std::span<const double> g) {
    ++s.t;
    const auto c = M::template coefficients<double>(h, s.t, s.carry);
    for (std::size_t i = 0; i < p.size(); ++i) {
      double state[kState];
      for (std::size_t j = 0; j < kState; ++j) state[j] = s.buffers[j][i];
      M::template update<double, double>(c, p[i], g[i], state);
      for (std::size_t j = 0; j < kState; ++j) s.buffers[j][i] = state[j];
    }
  }
  static std::vector<std::span<const double>> buffers(const State& s) {
    return {s.buffers.begin(), s.buffers.end()};
  }
  static std::string latex(const Hyper& h) { return M::latex(h); }
};

template <class... M>
struct MethodList {
  // fn.template operator()<M>() for each method in order.
  template <class Fn>
  static void each(Fn&& fn) {
    (fn.template operator()<M>(), ...);
  }
};

}  // namespace descent::optim
