// Runs a compiled formula (program.h) at one point: the value alone, or the
// value with its exact gradient (forward-mode, dual.h).
//
// The loop is a plain stack machine, so a deeply nested formula cannot
// overflow the C++ stack; `execute` is a template over the number type so the
// same loop serves double and Dual<double>. The batch engine runs the same
// ops (apply, below) over lanes with its own slot program (batch/formula_lanes.h).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "surfaces/formula/dual.h"
#include "surfaces/formula/program.h"
#include "surfaces/surface.h"

namespace descent::surfaces::formula {

// What op `op` computes from its operands: a (the left one) and b (binary ops
// only), arg (PowInt's exponent). The one table from ops to the functions of
// dual.h, for every number type: double, Dual<double>, and the batch engine's
// lanes and emitter (batch/formula_lanes.h, batch/formula_wasm.cpp).
template <Op op, class T>
DESCENT_INLINE T apply(const T& a, const T& b, std::int32_t arg) {
  if constexpr (op == Op::Neg) return -a;
  else if constexpr (op == Op::PowInt) return pow_int(a, arg);
  else if constexpr (op == Op::Sin) return sin(a);
  else if constexpr (op == Op::Cos) return cos(a);
  else if constexpr (op == Op::Tan) return tan(a);
  else if constexpr (op == Op::Asin) return asin(a);
  else if constexpr (op == Op::Acos) return acos(a);
  else if constexpr (op == Op::Atan) return atan(a);
  else if constexpr (op == Op::Sinh) return sinh(a);
  else if constexpr (op == Op::Cosh) return cosh(a);
  else if constexpr (op == Op::Tanh) return tanh(a);
  else if constexpr (op == Op::Exp) return exp(a);
  else if constexpr (op == Op::Log) return log(a);
  else if constexpr (op == Op::Log10) return log10(a);
  else if constexpr (op == Op::Sqrt) return sqrt(a);
  else if constexpr (op == Op::Abs) return abs(a);
  else if constexpr (op == Op::Add) return a + b;
  else if constexpr (op == Op::Sub) return a - b;
  else if constexpr (op == Op::Mul) return a * b;
  else if constexpr (op == Op::Div) return a / b;
  else if constexpr (op == Op::Pow) return pow(a, b);
  else if constexpr (op == Op::Atan2) return atan2(a, b);
  else if constexpr (op == Op::Min) return minimum(a, b);
  else if constexpr (op == Op::Max) return maximum(a, b);
  else if constexpr (op == Op::Hypot) return hypot(a, b);
  else static_assert(operand_count(op) == 0, "every op that takes operands has a case");
}

// Runs `program` at (x, y); `stack` has room for program.max_stack values.
// The program must come from compile_formula (it is not checked again here).
template <class T>
T execute(const Program& program, const T& x, const T& y, T* stack) {
  std::size_t top = 0;  // values on the stack
  for (const Instruction& in : program.code) {
    with_op(in.op, [&]<Op op>() {
      if constexpr (operand_count(op) == 0) ++top;
      else if constexpr (operand_count(op) == 2) --top;
      // The result's slot, which also holds the (left) operand; a right
      // operand is at stack[top], just popped.
      T& r = stack[top - 1];
      if constexpr (op == Op::PushX) r = x;
      else if constexpr (op == Op::PushY) r = y;
      else if constexpr (op == Op::PushConst) r = T{program.constants[static_cast<std::size_t>(in.arg)]};
      else if constexpr (operand_count(op) == 1) r = apply<op>(r, r, in.arg);
      else r = apply<op>(r, stack[top], in.arg);
    });
  }
  return stack[0];
}

// Runs `program` with a stack of the right size: on the C++ stack when small.
template <class T>
T execute(const Program& program, const T& x, const T& y) {
  constexpr std::size_t kSmall = 32;
  if (program.max_stack <= kSmall) {
    T stack[kSmall];
    return execute(program, x, y, stack);
  }
  std::vector<T> stack(program.max_stack);
  return execute(program, x, y, stack.data());
}

inline double value(const Program& program, double x, double y) { return execute(program, x, y); }

inline Evaluation evaluate(const Program& program, double x, double y) {
  const Dual<double> r =
      execute(program, Dual<double>{x, 1.0, 0.0}, Dual<double>{y, 0.0, 1.0});
  return {r.v, r.dx, r.dy};
}

}  // namespace descent::surfaces::formula
