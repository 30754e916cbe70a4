#include "batch/formula_lanes.h"

#include <algorithm>

#include "surfaces/formula/execute.h"

namespace descent::batch {

namespace {

using surfaces::formula::Instruction;
using surfaces::formula::Op;
using surfaces::formula::Program;

// What the compile-time stack holds: a constant not emitted yet, or a value
// computed into a slot.
struct Entry {
  bool pending;
  double value;  // when pending
  std::uint16_t slot;
};

// `op` applied to constants, in double as the formula's own evaluation does.
double fold(const Instruction& in, double a, double b) {
  Program p;
  p.constants = {a, b};
  p.code.push_back({Op::PushConst, 0});
  if (surfaces::formula::operand_count(in.op) == 2) p.code.push_back({Op::PushConst, 1});
  p.code.push_back(in);
  p.max_stack = 2;
  return surfaces::formula::value(p, 0.0, 0.0);
}

}  // namespace

LaneProgram::LaneProgram(const Program& program) {
  std::vector<Entry> stack;
  std::uint16_t depth = 0;  // slots in use
  auto emit = [&](LaneInstruction in) { code_.push_back(in); };
  for (const Instruction& in : program.code) {
    const int operands = surfaces::formula::operand_count(in.op);
    if (in.op == Op::PushConst) {
      stack.push_back({true, program.constants[static_cast<std::size_t>(in.arg)], 0});
    } else if (operands == 0) {
      emit({in.op, Operand::stack, depth, 0, 0.0f});
      stack.push_back({false, 0.0, depth++});
    } else if (operands == 1) {
      Entry& a = stack.back();
      if (a.pending) a.value = fold(in, a.value, 0.0);
      else emit({in.op, Operand::stack, a.slot, in.arg, 0.0f});
    } else {
      const Entry b = stack.back();
      stack.pop_back();
      const Entry a = stack.back();
      stack.pop_back();
      if (a.pending && b.pending) {
        stack.push_back({true, fold(in, a.value, b.value), 0});
      } else if (a.pending) {
        emit({in.op, Operand::constant_left, b.slot, 0, static_cast<float>(a.value)});
        stack.push_back(b);
      } else if (b.pending) {
        emit({in.op, Operand::constant_right, a.slot, 0, static_cast<float>(b.value)});
        stack.push_back(a);
      } else {
        emit({in.op, Operand::stack, a.slot, 0, 0.0f});
        stack.push_back(a);
        --depth;
      }
    }
    slots_ = std::max<std::size_t>(slots_, depth);
  }
  if (stack.back().pending) {  // a constant formula
    emit({Op::PushConst, Operand::stack, 0, 0, static_cast<float>(stack.back().value)});
    slots_ = std::max<std::size_t>(slots_, 1);
  }
}

}  // namespace descent::batch
