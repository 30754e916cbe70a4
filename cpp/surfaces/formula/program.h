// A compiled formula: a flat postfix program for a stack machine.
//
// `x^2 + sin(y)` compiles to  PushX, PowInt 2, PushY, Sin, Add.
// Each instruction pops its operands from the stack and pushes one result, so
// evaluation is one loop over a plain array (execute.h), with no recursion and
// no virtual calls: the same program can later be run over SIMD lanes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>
#include <vector>

namespace descent::surfaces::formula {

enum class Op : std::uint8_t {
  // push one value
  PushX,
  PushY,
  PushConst,  // arg: index into Program::constants
  // one operand
  Neg,
  PowInt,  // operand ^ arg, arg a whole number: exact for negative bases
  Sin, Cos, Tan, Asin, Acos, Atan, Sinh, Cosh, Tanh,
  Exp, Log, Log10, Sqrt, Abs,
  // two operands (the first pushed is the left one)
  Add, Sub, Mul, Div, Pow, Atan2, Min, Max, Hypot,
};

// Operands an op pops (it always pushes one result).
constexpr int operand_count(Op op) {
  if (op <= Op::PushConst) return 0;
  if (op <= Op::Abs) return 1;
  return 2;
}

// Calls f.template operator()<op>() with op == `op`: code written per op at
// compile time (execute.h's apply, the lane interpreter's blocks) picked at
// run time.
template <class F>
[[gnu::always_inline]] inline void with_op(Op op, F&& f) {
  [&]<std::uint8_t... I>(std::integer_sequence<std::uint8_t, I...>) {
    (void)((op == static_cast<Op>(I) ? (f.template operator()<static_cast<Op>(I)>(), true) : false) ||
           ...);
  }(std::make_integer_sequence<std::uint8_t, static_cast<std::uint8_t>(Op::Hypot) + 1>{});
}

struct Instruction {
  Op op;
  std::int32_t arg = 0;  // PushConst: constant index; PowInt: the exponent
};

struct Program {
  std::vector<Instruction> code;
  std::vector<double> constants;
  std::size_t max_stack = 0;  // the deepest the stack gets while running `code`
};

}  // namespace descent::surfaces::formula
