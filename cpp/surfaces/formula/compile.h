// The formula language: a function of x and y as the user types it, compiled
// to a flat program (program.h) whose gradient execute.h computes exactly.
//
//   expression := term (('+' | '-') term)*
//   term       := unary (('*' | '/') unary)*
//   unary      := '-'* power
//   power      := primary ('^' unary)?             right-associative: 2^3^2 = 2^9
//   primary    := number | 'x' | 'y' | 'pi' | 'e'
//               | function '(' expression (',' expression)* ')'
//               | '(' expression ')'
//   number     := digits ['.' digits] [('e' | 'E') ['+' | '-'] digits]   (also `.5`, `1.`)
//
// So `-x^2` is -(x^2) and `2^-1` is 0.5. Functions (with their argument
// counts) are listed by `functions()`; there is no implicit multiplication.
// Spaces, tabs and newlines are ignored. Whole-number constant exponents
// (`x^2`, `pow(x, -3)`) compile to an exact integer power, so (-2)^3 = -8 with
// a finite derivative.
//
// Errors throw descent::Error naming the problem and its 1-based column in
// characters (UTF-8 code points) of `text`:
//   unexpected ')' at column 7            unexpected end of formula at column 4
//   unexpected character '#' at column 3  expected an operator before 'y' at column 3
//   unknown function 'sinn' at column 1   unknown variable 'z' at column 1 (use x, y, pi, e)
//   expected '(' after 'sin' at column 4  missing ')' for the '(' at column 4
//   atan2 takes 2 arguments, got 1 at column 1
//   expected a number after 'e' at column 4
//   number '1e999' is too large at column 1
//   empty formula
//   formula is too long: 1001 characters, at most 1000
//   formula is nested too deeply: more than 64 levels of parentheses at column 65
//
// Why a hand-written recursive-descent parser: the grammar is a dozen lines,
// we want exact column-numbered messages, exact gradients and a flat program
// for SIMD lane evaluation later. The one such library in Debian, muparser,
// differentiates numerically, reports errors in its own words and owns its
// bytecode; exprtk and tinyexpr are not packaged and have no derivatives.
#pragma once

#include <cstddef>
#include <span>
#include <string_view>

#include "surfaces/formula/program.h"

namespace descent::surfaces::formula {

inline constexpr std::size_t kMaxFormulaLength = 1000;  // characters
inline constexpr int kMaxNesting = 64;                  // levels of parentheses

struct FunctionInfo {
  std::string_view name;
  Op op;
  int arity;
};

// Every function the language knows, alphabetically.
std::span<const FunctionInfo> functions();

// Compiles `text`; throws descent::Error (see above) if it is not a formula.
Program compile_formula(std::string_view text);

}  // namespace descent::surfaces::formula
