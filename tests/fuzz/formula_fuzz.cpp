// libFuzzer target for the formula language: compile arbitrary bytes and, when
// they are a formula, check the program and evaluate it at a few points.
// Built and run by build-scripts/fuzz.sh (ASan + UBSan); any crash, sanitizer
// report or broken invariant below is a bug, and its input becomes a
// regression test in tests/native/surfaces/.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>

#include "common/error.h"
#include "surfaces/formula/compile.h"
#include "surfaces/formula/execute.h"

using namespace descent::surfaces;

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

// The stack never underflows, stays within max_stack and ends with one value;
// constant indices are in range.
void check_program(const formula::Program& p) {
  std::size_t depth = 0;
  check(!p.code.empty());
  for (const auto& in : p.code) {
    const auto pops = static_cast<std::size_t>(formula::operand_count(in.op));
    check(depth >= pops);
    depth = depth - pops + 1;
    check(depth <= p.max_stack);
    if (in.op == formula::Op::PushConst)
      check(in.arg >= 0 && static_cast<std::size_t>(in.arg) < p.constants.size());
  }
  check(depth == 1);
}

// A message's column, if it has one, lies within the text (or just past it).
void check_message(const std::string& message, std::string_view text) {
  const auto at = message.find(" at column ");
  if (at == std::string::npos) return;
  const long column = std::strtol(message.c_str() + at + 11, nullptr, 10);
  check(column >= 1 && static_cast<std::size_t>(column) <= text.size() + 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  formula::Program program;
  try {
    program = formula::compile_formula(text);
  } catch (const descent::Error& e) {
    check_message(e.what(), text);
    return 0;
  }
  check_program(program);
  const double inf = std::numeric_limits<double>::infinity();
  const double points[][2] = {{0, 0},      {1, -1},
                              {-2.5, 3},   {1e-300, -1e300},
                              {inf, -0.0}, {std::numeric_limits<double>::quiet_NaN(), 2}};
  for (const auto& p : points) {
    const double v = formula::value(program, p[0], p[1]);
    const Evaluation e = formula::evaluate(program, p[0], p[1]);
    // Value-only and gradient evaluation agree to the bit (NaN payloads aside).
    check(v == e.f || (std::isnan(v) && std::isnan(e.f)));
  }
  return 0;
}
