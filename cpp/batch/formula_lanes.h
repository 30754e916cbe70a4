// A typed formula over lanes: the compiled program (surfaces/formula/) turned
// into a LaneProgram once, then run over blocks of points, each instruction
// applied to a whole block (kBlock vectors) before the next, with dual numbers
// per lane for the exact gradient: formula/dual.h's rules (and execute.h's
// apply) instantiated with the lane type, so the conventions are the double
// evaluator's (a zero tangent stays zero, abs'(0) = 0, min/max ties share).
//
// The lane program folds constants at compile time (in double, as the formula
// would compute them, then rounded to float) and fuses a constant operand into
// its binary operation, so `100*(y - x^2)^2` runs no dual arithmetic on the 100.
// Slots are fixed at compile time: the loop has no stack pointer.
//
// Lane math: sin, cos, exp, log and sqrt use lanes/lane_functions.h; tan,
// log10 and the rarer asin, acos, atan, atan2, sinh, cosh, tanh, hypot and
// non-integer pow lanes/formula_functions.h (the last through the libm per
// lane in double, rounded: the same calls in both twins, so the same bits).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "batch/kernels.h"
#include "batch/tiles.h"
#include "lanes/formula_functions.h"
#include "lanes/lane_functions.h"
#include "surfaces/formula/dual.h"
#include "surfaces/formula/execute.h"
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

using surfaces::formula::Dual;

template <class V>
DESCENT_INLINE Dual<V> constant(float c) {
  const V zero = V::splat(0.0f);
  return {V::splat(c), zero, zero};
}

// The fused forms of a binary op with a constant operand c (the LaneProgram's
// constant_right: a op c, constant_left: c op a): the common ones without the
// dual arithmetic on c's zero tangents, the others by the op's rule. Over any
// lane type: the interpreter's and the emitter's (formula_wasm.cpp).
template <surfaces::formula::Op op, class V>
DESCENT_INLINE Dual<V> with_constant(Operand side, float c, const Dual<V>& a) {
  using surfaces::formula::Op;
  const bool right = side == Operand::constant_right;
  const V k = V::splat(c);
  if constexpr (op == Op::Add) return {a.v + k, a.dx, a.dy};
  if constexpr (op == Op::Sub) return right ? Dual<V>{a.v - k, a.dx, a.dy} : Dual<V>{k - a.v, -a.dx, -a.dy};
  if constexpr (op == Op::Mul) return {a.v * k, a.dx * k, a.dy * k};
  if constexpr (op == Op::Div)
    if (right) return {a.v / k, a.dx / k, a.dy / k};
  return right ? surfaces::formula::apply<op>(a, constant<V>(c), 0)
               : surfaces::formula::apply<op>(constant<V>(c), a, 0);
}

// Runs `program` over one block: xs, ys, f, gx, gy hold kFormulaBlock vectors;
// stack has program.slots() * kFormulaBlock duals.
template <class V>
void run_block(const LaneProgram& program, Dual<V>* stack, const float* xs, const float* ys,
               float* f, float* gx, float* gy) {
  using surfaces::formula::apply;
  using surfaces::formula::Op;
  using surfaces::formula::operand_count;
  using surfaces::formula::pow_int;
  using surfaces::formula::with_op;
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
        // x^2, the common case, with the exponent known here: no loop.
        if (in.arg == 2) {
          for (int j = 0; j < B; ++j) r[j] = pow_int(r[j], 2);
        } else {
          for (int j = 0; j < B; ++j) r[j] = pow_int(r[j], in.arg);
        }
      } else if constexpr (operand_count(op) == 1) {
        for (int j = 0; j < B; ++j) r[j] = apply<op>(r[j], r[j], in.arg);
      } else if (in.operand == Operand::stack) {
        for (int j = 0; j < B; ++j) r[j] = apply<op>(r[j], r[j + B], 0);
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
