// Runs a compiled formula (program.h) at one point: the value alone, or the
// value with its exact gradient (forward-mode, dual.h).
//
// The loop is a plain stack machine, so a deeply nested formula cannot
// overflow the C++ stack; `execute` is a template over the number type so the
// same loop serves double, Dual and later SIMD lanes.
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

#include "surfaces/formula/dual.h"
#include "surfaces/formula/program.h"
#include "surfaces/surface.h"

namespace descent::surfaces::formula {

// Runs `program` at (x, y); `stack` has room for program.max_stack values.
// The program must come from compile_formula (it is not checked again here).
template <class T>
T execute(const Program& program, const T& x, const T& y, T* stack) {
  using std::abs, std::acos, std::asin, std::atan, std::atan2, std::cos, std::cosh, std::exp,
      std::hypot, std::log, std::log10, std::pow, std::sin, std::sinh, std::sqrt, std::tan,
      std::tanh;
  std::size_t top = 0;  // values on the stack
  for (const Instruction& in : program.code) {
    switch (operand_count(in.op)) {
      case 0: ++top; break;
      case 2: --top; break;
      default: break;
    }
    // The result's slot, which also holds the (left) operand; a right operand
    // is at stack[top], just popped.
    T& r = stack[top - 1];
    switch (in.op) {
      case Op::PushX: r = x; break;
      case Op::PushY: r = y; break;
      case Op::PushConst: r = T{program.constants[static_cast<std::size_t>(in.arg)]}; break;
      case Op::Neg: r = -r; break;
      case Op::PowInt: r = pow_int(r, in.arg); break;
      case Op::Sin: r = sin(r); break;
      case Op::Cos: r = cos(r); break;
      case Op::Tan: r = tan(r); break;
      case Op::Asin: r = asin(r); break;
      case Op::Acos: r = acos(r); break;
      case Op::Atan: r = atan(r); break;
      case Op::Sinh: r = sinh(r); break;
      case Op::Cosh: r = cosh(r); break;
      case Op::Tanh: r = tanh(r); break;
      case Op::Exp: r = exp(r); break;
      case Op::Log: r = log(r); break;
      case Op::Log10: r = log10(r); break;
      case Op::Sqrt: r = sqrt(r); break;
      case Op::Abs: r = abs(r); break;
      case Op::Add: r = r + stack[top]; break;
      case Op::Sub: r = r - stack[top]; break;
      case Op::Mul: r = r * stack[top]; break;
      case Op::Div: r = r / stack[top]; break;
      case Op::Pow: r = pow(r, stack[top]); break;
      case Op::Atan2: r = atan2(r, stack[top]); break;
      case Op::Min: r = minimum(r, stack[top]); break;
      case Op::Max: r = maximum(r, stack[top]); break;
      case Op::Hypot: r = hypot(r, stack[top]); break;
    }
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
  const Dual r = execute(program, Dual{x, 1.0, 0.0}, Dual{y, 0.0, 1.0});
  return {r.v, r.dx, r.dy};
}

}  // namespace descent::surfaces::formula
