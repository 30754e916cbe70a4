// A typed formula over lanes: the compiled program (surfaces/formula/) turned
// into a LaneProgram once, then run over blocks of points, each instruction
// applied to a whole block (kBlock vectors) before the next, with dual numbers
// per lane for the exact gradient (the lane form of formula/dual.h, the same
// conventions: a zero tangent stays zero, abs'(0) = 0, min/max ties share).
//
// The lane program folds constants at compile time (in double, as the formula
// would compute them, then rounded to float) and fuses a constant operand into
// its binary operation, so `100*(y - x^2)^2` runs no dual arithmetic on the 100.
// Slots are fixed at compile time: the loop has no stack pointer.
//
// Lane math: sin, cos, tan, exp, log, log10 and sqrt use lanes/lane_functions.h;
// the rarer asin, acos, atan, atan2, sinh, cosh, tanh, hypot and non-integer
// pow call the libm per lane in double and round, the same calls in both
// twins (so still the same bits), at scalar speed.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <numbers>
#include <utility>
#include <vector>

#include "batch/kernels.h"
#include "lanes/lane_functions.h"
#include "batch/tiles.h"
#include "surfaces/formula/program.h"

namespace descent::batch {

enum class Operand : std::uint8_t {
  stack,          // binary: both operands on the stack (slots r, r + 1)
  constant_right, // binary: a op c
  constant_left,  // binary: c op a
};

struct LaneInstruction {
  surfaces::formula::Op op;
  Operand operand = Operand::stack;
  std::uint16_t slot = 0;  // the result's slot (also the left operand's)
  std::int32_t arg = 0;    // PowInt's exponent
  float constant = 0.0f;   // PushConst's value, or the fused constant operand
};

class LaneProgram {
 public:
  explicit LaneProgram(const surfaces::formula::Program& program);
  const std::vector<LaneInstruction>& code() const { return code_; }
  std::size_t slots() const { return slots_; }

 private:
  std::vector<LaneInstruction> code_;
  std::size_t slots_ = 0;
};

namespace kernels {

using namespace ::descent::lanes;

inline constexpr int kFormulaBlock = 8;  // vectors per block

template <class V>
struct Dual {
  V v, dx, dy;
};

template <class V>
DESCENT_LANE_INLINE Dual<V> constant(float c) {
  const V zero = V::splat(0.0f);
  return {V::splat(c), zero, zero};
}
// slope * d, with a zero tangent kept zero (also for an infinite slope).
template <class V>
DESCENT_LANE_INLINE V scale(V slope, V d) {
  const V zero = V::splat(0.0f);
  return select(eq(d, zero), zero, slope * d);
}
template <class V>
DESCENT_LANE_INLINE Dual<V> chain(V value, V slope, const Dual<V>& a) {
  return {value, scale(slope, a.dx), scale(slope, a.dy)};
}
template <class V>
DESCENT_LANE_INLINE Dual<V> chain(V value, V sa, const Dual<V>& a, V sb, const Dual<V>& b) {
  return {value, scale(sa, a.dx) + scale(sb, b.dx), scale(sa, a.dy) + scale(sb, b.dy)};
}
// a^n by repeated squaring, as formula::pow_int.
template <class V>
DESCENT_LANE_INLINE V pow_int(V a, std::int32_t n) {
  std::int64_t k = n < 0 ? -static_cast<std::int64_t>(n) : n;
  V result = V::splat(1.0f), base = a;
  bool first = true;
  while (k > 0) {
    if (k & 1) {
      result = first ? base : result * base;  // 1 * base is base: skip it
      first = false;
    }
    k >>= 1;
    if (k > 0) base = base * base;
  }
  return n < 0 ? 1.0f / result : result;
}
// NaN in either operand gives NaN; otherwise the smaller (larger).
template <class V>
DESCENT_LANE_INLINE V nan_if_either(V a, V b, V value) {
  return select(eq(a, a) & eq(b, b), value, a + b);
}

template <surfaces::formula::Op op, class V>
DESCENT_LANE_INLINE Dual<V> unary(std::int32_t arg, const Dual<V>& a) {
  using surfaces::formula::Op;
  const V one = V::splat(1.0f), zero = V::splat(0.0f);
  switch (op) {  // a constant: only the op's own case is compiled in
    case Op::Neg: return {-a.v, -a.dx, -a.dy};
    case Op::PowInt: {
      const V slope = arg == 0 ? zero : pow_int(a.v, arg - 1) * static_cast<float>(arg);
      return chain(pow_int(a.v, arg), slope, a);
    }
    case Op::Sin: { const SinCos<V> sc = sincos(a.v); return chain(sc.sin, sc.cos, a); }
    case Op::Cos: { const SinCos<V> sc = sincos(a.v); return chain(sc.cos, -sc.sin, a); }
    case Op::Tan: {
      const SinCos<V> sc = sincos(a.v);
      const V t = sc.sin / sc.cos;
      return chain(t, one + t * t, a);
    }
    case Op::Asin:
      return chain(per_lane(a.v, [](double u) { return std::asin(u); }), one / sqrt(one - a.v * a.v), a);
    case Op::Acos:
      return chain(per_lane(a.v, [](double u) { return std::acos(u); }), -(one / sqrt(one - a.v * a.v)), a);
    case Op::Atan:
      return chain(per_lane(a.v, [](double u) { return std::atan(u); }), one / (one + a.v * a.v), a);
    case Op::Sinh:
      return chain(per_lane(a.v, [](double u) { return std::sinh(u); }),
                   per_lane(a.v, [](double u) { return std::cosh(u); }), a);
    case Op::Cosh:
      return chain(per_lane(a.v, [](double u) { return std::cosh(u); }),
                   per_lane(a.v, [](double u) { return std::sinh(u); }), a);
    case Op::Tanh: {
      const V t = per_lane(a.v, [](double u) { return std::tanh(u); });
      return chain(t, one - t * t, a);
    }
    case Op::Exp: { const V e = exp(a.v); return chain(e, e, a); }
    case Op::Log: return chain(log(a.v), one / a.v, a);
    case Op::Log10: {
      constexpr float kLn10 = static_cast<float>(std::numbers::ln10);
      return chain(log(a.v) * static_cast<float>(1.0 / std::numbers::ln10), one / (a.v * kLn10), a);
    }
    case Op::Sqrt: { const V r = sqrt(a.v); return chain(r, 0.5f / r, a); }
    case Op::Abs:
      return chain(abs(a.v), select(lt(zero, a.v), one, select(lt(a.v, zero), -one, zero)), a);
    default: return a;  // not a unary op (LaneProgram never asks)
  }
}

template <surfaces::formula::Op op, class V>
DESCENT_LANE_INLINE Dual<V> binary(const Dual<V>& a, const Dual<V>& b) {
  using surfaces::formula::Op;
  const V zero = V::splat(0.0f), half = V::splat(0.5f), one = V::splat(1.0f);
  switch (op) {
    case Op::Add: return {a.v + b.v, a.dx + b.dx, a.dy + b.dy};
    case Op::Sub: return {a.v - b.v, a.dx - b.dx, a.dy - b.dy};
    case Op::Mul: return {a.v * b.v, a.dx * b.v + a.v * b.dx, a.dy * b.v + a.v * b.dy};
    case Op::Div: {
      const V q = a.v / b.v;
      return {q, (a.dx - q * b.dx) / b.v, (a.dy - q * b.dy) / b.v};
    }
    case Op::Pow: {
      const V value = per_lane(a.v, b.v, [](double u, double w) { return std::pow(u, w); });
      const V lower = per_lane(a.v, b.v, [](double u, double w) { return std::pow(u, w - 1.0); });
      return chain(value, b.v * lower, a, value * log(a.v), b);
    }
    case Op::Atan2: {
      const V r2 = a.v * a.v + b.v * b.v;
      return chain(per_lane(a.v, b.v, [](double u, double w) { return std::atan2(u, w); }),
                   b.v / r2, a, -a.v / r2, b);
    }
    case Op::Hypot: {
      const V h = per_lane(a.v, b.v, [](double u, double w) { return std::hypot(u, w); });
      const Dual<V> d = chain(h, a.v / h, a, b.v / h, b);
      const auto origin = eq(h, zero);
      return {select(origin, zero, d.v), select(origin, zero, d.dx), select(origin, zero, d.dy)};
    }
    case Op::Min: {
      const V wa = select(lt(a.v, b.v), one, select(lt(b.v, a.v), zero, half));
      return chain(nan_if_either(a.v, b.v, select(lt(b.v, a.v), b.v, a.v)), wa, a, one - wa, b);
    }
    case Op::Max: {
      const V wa = select(lt(b.v, a.v), one, select(lt(a.v, b.v), zero, half));
      return chain(nan_if_either(a.v, b.v, select(lt(a.v, b.v), b.v, a.v)), wa, a, one - wa, b);
    }
    default: return a;  // not a binary op
  }
}

// The common fused forms with a constant operand; others take the generic path.
template <surfaces::formula::Op op, class V>
DESCENT_LANE_INLINE Dual<V> with_constant(Operand side, float c, const Dual<V>& a) {
  using surfaces::formula::Op;
  const bool right = side == Operand::constant_right;
  switch (op) {
    case Op::Add: return {a.v + c, a.dx, a.dy};
    case Op::Sub: return right ? Dual<V>{a.v - c, a.dx, a.dy} : Dual<V>{c - a.v, -a.dx, -a.dy};
    case Op::Mul: return {a.v * c, a.dx * c, a.dy * c};
    case Op::Div:
      if (right) return {a.v / c, a.dx / c, a.dy / c};
      break;
    default: break;
  }
  return right ? binary<op>(a, constant<V>(c)) : binary<op>(constant<V>(c), a);
}

// Calls f.template operator()<op>() with op == `op`: the switch over ops
// happens once per instruction and block, not per vector.
template <class F>
DESCENT_LANE_INLINE void with_op(surfaces::formula::Op op, F&& f) {
  using surfaces::formula::Op;
  [&]<std::uint8_t... I>(std::integer_sequence<std::uint8_t, I...>) {
    (void)((op == static_cast<Op>(I) ? (f.template operator()<static_cast<Op>(I)>(), true) : false) ||
           ...);
  }(std::make_integer_sequence<std::uint8_t, static_cast<std::uint8_t>(Op::Hypot) + 1>{});
}

// Runs `program` over one block: xs, ys, f, gx, gy hold kFormulaBlock vectors;
// stack has program.slots() * kFormulaBlock duals.
template <class V>
void run_block(const LaneProgram& program, Dual<V>* stack, const float* xs, const float* ys,
               float* f, float* gx, float* gy) {
  using surfaces::formula::Op;
  using surfaces::formula::operand_count;
  constexpr int B = kFormulaBlock, L = V::kLanes;
  const V zero = V::splat(0.0f), one = V::splat(1.0f);
  for (const LaneInstruction& in : program.code()) {
    Dual<V>* r = stack + in.slot * B;
    with_op(in.op, [&]<Op op>() {
      if constexpr (op == Op::PushX) {
        for (int j = 0; j < B; ++j) r[j] = {V::load(xs + j * L), one, zero};
      } else if constexpr (op == Op::PushY) {
        for (int j = 0; j < B; ++j) r[j] = {V::load(ys + j * L), zero, one};
      } else if constexpr (op == Op::PushConst) {
        for (int j = 0; j < B; ++j) r[j] = constant<V>(in.constant);
      } else if constexpr (op == Op::PowInt) {
        // x^2, the common case, without pow_int's loop: the same operations.
        if (in.arg == 2) {
          for (int j = 0; j < B; ++j) r[j] = chain(r[j].v * r[j].v, r[j].v * 2.0f, r[j]);
        } else {
          for (int j = 0; j < B; ++j) r[j] = unary<op>(in.arg, r[j]);
        }
      } else if constexpr (operand_count(op) == 1) {
        for (int j = 0; j < B; ++j) r[j] = unary<op>(in.arg, r[j]);
      } else if (in.operand == Operand::stack) {
        for (int j = 0; j < B; ++j) r[j] = binary<op>(r[j], r[j + B]);
      } else if (in.operand == Operand::constant_right) {
        for (int j = 0; j < B; ++j) r[j] = with_constant<op>(Operand::constant_right, in.constant, r[j]);
      } else {
        for (int j = 0; j < B; ++j) r[j] = with_constant<op>(Operand::constant_left, in.constant, r[j]);
      }
    });
  }
  for (int j = 0; j < B; ++j) {
    store(f + j * L, stack[j].v);
    store(gx + j * L, stack[j].dx);
    store(gy + j * L, stack[j].dy);
  }
}

template <class V>
void formula_surface(const SurfaceArgs& a, std::size_t n, const float* xs, const float* ys,
                     float* f, float* gx, float* gy) {
  if (n == 0) return;
  std::vector<Dual<V>> stack(a.program->slots() * kFormulaBlock);
  for_each_tile<static_cast<std::size_t>(V::kLanes) * kFormulaBlock>(
      n,
      [&](const float* x, const float* y, float* fo, float* gxo, float* gyo) {
        run_block<V>(*a.program, stack.data(), x, y, fo, gxo, gyo);
      },
      xs, ys, f, gx, gy);
}

}  // namespace kernels
}  // namespace descent::batch
