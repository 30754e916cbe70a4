// The formula language: values and exact gradients of every function and
// operator, precedence, derivative conventions at kinks, domain errors, every
// error message with its column, the limits, and value/gradient agreement.
#include <catch2/catch.hpp>
#include <cmath>
#include <limits>
#include <numbers>
#include <random>
#include <string>
#include <vector>

#include "common/error.h"
#include "surfaces/formula/compile.h"
#include "surfaces/formula/execute.h"

using namespace descent::surfaces;
using formula::compile_formula;

namespace {

Evaluation eval(const std::string& text, double x, double y) {
  return formula::evaluate(compile_formula(text), x, y);
}

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

struct Known {
  const char* text;
  double x, y;
  double f, dfdx, dfdy;
};

}  // namespace

TEST_CASE("formulas have their known values and exact gradients", "[formula]") {
  const double r75 = std::sqrt(0.75), ln2 = std::log(2.0);
  const auto known = GENERATE_COPY(values<Known>({
      {"x", 2, 3, 2, 1, 0},
      {"y", 2, 3, 3, 0, 1},
      {"1e-3", 2, 3, 0.001, 0, 0},
      {"2.5E+2 - .5 + 1.", 0, 0, 250.5, 0, 0},
      {"pi", 0, 0, std::numbers::pi, 0, 0},
      {"e", 0, 0, std::numbers::e, 0, 0},
      {"x + y", 2, 3, 5, 1, 1},
      {"x - y", 2, 3, -1, 1, -1},
      {"x * y", 2, 3, 6, 3, 2},
      {"x / y", 2, 3, 2.0 / 3, 1.0 / 3, -2.0 / 9},
      {"-x", 2, 3, -2, -1, 0},
      {"x ^ y", 2, 3, 8, 12, 8 * ln2},
      {"x^2", -3, 0, 9, -6, 0},
      {"x^2", 0, 0, 0, 0, 0},
      {"x^3", -2, 0, -8, 12, 0},
      {"x^3", 0, 0, 0, 0, 0},
      {"x^0", 0, 0, 1, 0, 0},
      {"x^-1", 2, 0, 0.5, -0.25, 0},
      {"x^2.5", 4, 0, 32, 20, 0},
      {"x^2.5", 0, 0, 0, 0, 0},
      {"(-2)^2", 0, 0, 4, 0, 0},
      {"x^(1 + 1)", -3, 0, 9, -6, 0},  // a general power, still finite
      {"pow(x, y)", 2, 3, 8, 12, 8 * ln2},
      {"pow(x, 2)", -3, 0, 9, -6, 0},
      {"sin(x)", 0.5, 0, std::sin(0.5), std::cos(0.5), 0},
      {"cos(x)", 0.5, 0, std::cos(0.5), -std::sin(0.5), 0},
      {"tan(x)", 0.5, 0, std::tan(0.5), 1 / (std::cos(0.5) * std::cos(0.5)), 0},
      {"asin(x)", 0.5, 0, std::numbers::pi / 6, 1 / r75, 0},
      {"acos(x)", 0.5, 0, std::numbers::pi / 3, -1 / r75, 0},
      {"atan(x)", 0.5, 0, std::atan(0.5), 0.8, 0},
      {"atan2(y, x)", 1, 1, std::numbers::pi / 4, -0.5, 0.5},
      {"sinh(x)", 0.5, 0, std::sinh(0.5), std::cosh(0.5), 0},
      {"cosh(x)", 0.5, 0, std::cosh(0.5), std::sinh(0.5), 0},
      {"tanh(x)", 0.5, 0, std::tanh(0.5), 1 / (std::cosh(0.5) * std::cosh(0.5)), 0},
      {"exp(x)", 1, 0, std::numbers::e, std::numbers::e, 0},
      {"log(x)", 2, 0, ln2, 0.5, 0},
      {"log10(x)", 100, 0, 2, 1 / (100 * std::log(10.0)), 0},
      {"sqrt(x)", 4, 0, 2, 0.25, 0},
      {"abs(x)", -3, 0, 3, -1, 0},
      {"abs(x)", 3, 0, 3, 1, 0},
      {"min(x, y)", 1, 2, 1, 1, 0},
      {"min(x, y)", 2, 1, 1, 0, 1},
      {"max(x, y)", 1, 2, 2, 0, 1},
      {"max(x, y)", 2, 1, 2, 1, 0},
      {"hypot(x, y)", 3, 4, 5, 0.6, 0.8},
      {"x*y^2 + sin(x)*exp(y)", 1, 2, 4 + std::sin(1.0) * std::exp(2.0),
       4 + std::cos(1.0) * std::exp(2.0), 4 + std::sin(1.0) * std::exp(2.0)},
  }));
  CAPTURE(known.text, known.x, known.y);
  const Evaluation e = eval(known.text, known.x, known.y);
  CHECK(e.f == Approx(known.f).epsilon(1e-14));
  CHECK(e.dfdx == Approx(known.dfdx).epsilon(1e-14).margin(1e-15));
  CHECK(e.dfdy == Approx(known.dfdy).epsilon(1e-14).margin(1e-15));
}

TEST_CASE("every function in the language is known, with its argument count", "[formula]") {
  const std::vector<std::pair<std::string, int>> expected = {
      {"sin", 1},  {"cos", 1},  {"tan", 1},  {"asin", 1}, {"acos", 1}, {"atan", 1},  {"atan2", 2},
      {"sinh", 1}, {"cosh", 1}, {"tanh", 1}, {"exp", 1},  {"log", 1},  {"log10", 1}, {"sqrt", 1},
      {"abs", 1},  {"min", 2},  {"max", 2},  {"pow", 2},  {"hypot", 2}};
  REQUIRE(formula::functions().size() == expected.size());
  for (const auto& [name, arity] : expected) {
    CAPTURE(name);
    bool found = false;
    for (const auto& f : formula::functions())
      if (f.name == name) found = f.arity == arity;
    CHECK(found);
  }
}

TEST_CASE("every function's gradient matches central differences", "[formula]") {
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> u(-1, 1);
  for (const auto& f : formula::functions()) {
    const std::string name(f.name);
    const std::string text =
        f.arity == 1 ? name + "(0.3*x + 0.2*y + 0.1)" : name + "(0.3*x + 0.5, 0.2*y + 0.7*x)";
    CAPTURE(text);
    const auto program = compile_formula(text);
    for (int i = 0; i < 50; ++i) {
      const double x = u(rng), y = u(rng), h = 1e-6;
      const Evaluation e = formula::evaluate(program, x, y);
      if (!std::isfinite(e.f)) continue;  // log and sqrt of a negative argument
      CAPTURE(x, y);
      const double fx =
          (formula::value(program, x + h, y) - formula::value(program, x - h, y)) / (2 * h);
      const double fy =
          (formula::value(program, x, y + h) - formula::value(program, x, y - h)) / (2 * h);
      CHECK(e.dfdx == Approx(fx).epsilon(1e-6).margin(1e-8));
      CHECK(e.dfdy == Approx(fy).epsilon(1e-6).margin(1e-8));
    }
  }
}

TEST_CASE("precedence and associativity follow mathematical convention", "[formula]") {
  using Row = std::pair<const char*, double>;  // at x = 2, y = 3
  for (const auto& [text, expected] : {
           Row{"-x^2", -4},         Row{"2^3^2", 512},      Row{"(2^3)^2", 64},
           Row{"-2^2", -4},         Row{"(-2)^2", 4},       Row{"2^-1", 0.5},
           Row{"2^-x^2", 1.0 / 16}, Row{"1 - 2 - 3", -4},   Row{"8 / 4 / 2", 1},
           Row{"2 + 3 * 4", 14},    Row{"(2 + 3) * 4", 20}, Row{"2 * 3 ^ 2", 18},
           Row{"--x", 2},           Row{"---x", -2},        Row{"x - -y", 5},
           Row{"-x*y", -6},         Row{"2*-x", -4},        Row{"-(x + y)", -5},
           Row{"x/y*y", 2},         Row{"x^y^0", 2},        Row{" \t x\n+\r1 ", 3},
           Row{"e^0", 1},           Row{"-pi + pi", 0},     Row{"2^-2^-1", std::pow(2.0, -0.5)},
       }) {
    CAPTURE(text);
    CHECK(eval(text, 2, 3).f == Approx(expected).epsilon(1e-15));
  }
}

TEST_CASE("kinks and ties have the documented gradient conventions", "[formula]") {
  SECTION("abs at 0 has slope 0") {
    const Evaluation e = eval("abs(x)", 0, 0);
    CHECK(e.dfdx == 0);
  }
  SECTION("min and max at a tie share the slope") {
    for (const char* text : {"min(x, y)", "max(x, y)"}) {
      const Evaluation e = eval(text, 1, 1);
      CHECK(e.f == 1);
      CHECK(e.dfdx == 0.5);
      CHECK(e.dfdy == 0.5);
    }
  }
  SECTION("a cone's tip has gradient 0, written either way") {
    for (const char* text : {"hypot(x, y)", "sqrt(x^2 + y^2)"}) {
      CAPTURE(text);
      const Evaluation e = eval(text, 0, 0);
      CHECK(e.f == 0);
      CHECK(e.dfdx == 0);
      CHECK(e.dfdy == 0);
    }
  }
  SECTION("a zero tangent stays zero where the slope is infinite") {
    const Evaluation e = eval("sqrt(y) + x", 1, 0);
    CHECK(e.dfdx == 1);
    CHECK(std::isinf(e.dfdy));
  }
}

TEST_CASE("leaving a function's domain gives non-finite results, never a throw", "[formula]") {
  using Row = std::pair<const char*, double>;  // formula, x (y = 0)
  // clang-format off
  for (const auto& [text, x] : {
           Row{"log(x)", -1}, Row{"log(x)", 0}, Row{"log10(x)", -1}, Row{"sqrt(x)", -1},
           Row{"sqrt(x)", 0}, Row{"asin(x)", 2}, Row{"acos(x)", -2}, Row{"1/x", 0},
           Row{"x^0.5", -4}, Row{"x^(1/3)", -8}, Row{"x^-1", 0}, Row{"exp(x)", 1000},
           Row{"atan2(y, x)", 0}, Row{"x^y", -2}, Row{"cosh(x)", 1e3}, Row{"tan(x)^1e300", 1},
       }) {
    // clang-format on
    CAPTURE(text, x);
    Evaluation e{};
    REQUIRE_NOTHROW(e = eval(text, x, 0));
    CHECK_FALSE((std::isfinite(e.f) && std::isfinite(e.dfdx) && std::isfinite(e.dfdy)));
  }
  // A negative base with a whole-number exponent is fine, and so is its gradient.
  const Evaluation e = eval("x^3 + pow(x, -2)", -2, 0);
  CHECK(e.f == -8 + 0.25);
  CHECK(e.dfdx == 12 + 0.25);
}

TEST_CASE("every error names the problem and its column", "[formula]") {
  using Row = std::pair<std::string, std::string>;
  const auto [text, message] = GENERATE(values<Row>({
      {")", "unexpected ')' at column 1"},
      {"sin(x))", "unexpected ')' at column 7"},
      {"x + )", "unexpected ')' at column 5"},
      {"x +", "unexpected end of formula at column 4"},
      {"-", "unexpected end of formula at column 2"},
      {"x +* y", "unexpected '*' at column 4"},
      {"x ^ ^ 2", "unexpected '^' at column 5"},
      {"x ** 2", "unexpected '*' at column 4 (write powers as x^2)"},
      {"x, y", "unexpected ',' at column 2"},
      {"sin(,x)", "unexpected ',' at column 5"},
      {"x # y", "unexpected character '#' at column 3"},
      {".", "unexpected character '.' at column 1"},
      {"x\x01", "unexpected control character 0x01 at column 2"},
      {"x²", "unexpected character '²' at column 2"},
      {"π*x", "unexpected character 'π' at column 1"},
      {"x\x80", "unexpected byte 0x80 at column 2"},
      {"sinn(x)", "unknown function 'sinn' at column 1"},
      {"ln(x)", "unknown function 'ln' at column 1"},
      {"z + 1", "unknown variable 'z' at column 1 (use x, y, pi, e)"},
      {"1 + X", "unknown variable 'X' at column 5 (use x, y, pi, e)"},
      {"1e+", "expected a number after 'e' at column 4"},
      {"2E", "expected a number after 'E' at column 3"},
      {"1ex", "expected a number after 'e' at column 3"},
      {"1e999", "number '1e999' is too large at column 1"},
      {"x + 1e400*y", "number '1e400' is too large at column 5"},
      {"atan2(x)", "atan2 takes 2 arguments, got 1 at column 1"},
      {"x + sin(x, y)", "sin takes 1 argument, got 2 at column 5"},
      {"sin()", "sin takes 1 argument, got 0 at column 1"},
      {"sin x", "expected '(' after 'sin' at column 5"},
      {"sin", "expected '(' after 'sin' at column 4"},
      {"(x + 1", "missing ')' for the '(' at column 1"},
      {"max(x, y", "missing ')' for the '(' at column 4"},
      {"(x y)", "expected an operator before 'y' at column 4"},
      {"2 x", "expected an operator before 'x' at column 3"},
      {"2x", "expected an operator before 'x' at column 2"},
      {"x(2)", "expected an operator before '(' at column 2"},
      {"1.2.3", "expected an operator before '.3' at column 4"},
      {"", "empty formula"},
      {" \t\n", "empty formula"},
  }));
  CAPTURE(text);
  CHECK_THROWS_AS(compile_formula(text), descent::Error);
  CHECK_THROWS_WITH(compile_formula(text), message);
}

TEST_CASE("formulas are limited to 1000 characters and 64 levels of nesting", "[formula]") {
  const std::string longest = "x" + repeat("+x", 499) + " ";  // 1000 characters
  REQUIRE(longest.size() == 1000);
  CHECK(eval(longest, 1, 0).f == 500);
  CHECK_THROWS_WITH(compile_formula(longest + "+"),
                    "formula is too long: 1001 characters, at most 1000");
  // Characters, not bytes: 999 two-byte characters are not too long.
  CHECK_THROWS_WITH(compile_formula(repeat("é", 999)), "unexpected character 'é' at column 1");

  CHECK(eval(repeat("(", 64) + "x" + repeat(")", 64), 2, 0).f == 2);
  CHECK(eval(repeat("sin(", 64) + "x" + repeat(")", 64), 0, 0).dfdx == 1);
  CHECK_THROWS_WITH(
      compile_formula(repeat("(", 65) + "x" + repeat(")", 65)),
      "formula is nested too deeply: more than 64 levels of parentheses at column 65");
  CHECK_THROWS_WITH(
      compile_formula("x + " + repeat("cos(", 65) + "x" + repeat(")", 65)),
      "formula is nested too deeply: more than 64 levels of parentheses at column 264");
}

TEST_CASE("long chains evaluate without recursion", "[formula]") {
  // 500 operands on the stack at once: x^(x^(x^...)).
  const auto tower = compile_formula("x" + repeat("^x", 499));
  CHECK(tower.max_stack == 500);
  const Evaluation e = formula::evaluate(tower, 1, 0);
  CHECK(e.f == 1);
  CHECK(e.dfdx == 1);  // d/dx x^(x^...) at 1: 1 from the base, 0 from the exponents
  CHECK(eval(repeat("-", 999) + "x", 2, 0).f == -2);
  CHECK(eval(repeat("-", 998) + "x", 2, 0).f == 2);
}

TEST_CASE("constant exponents become exact integer powers", "[formula]") {
  using formula::Op;
  const auto p = compile_formula("x^-2 + pow(y, 3) + x^2.5 + x^(2)");
  std::vector<std::pair<Op, int>> code;
  for (const auto& in : p.code)
    if (in.op == Op::PowInt || in.op == Op::Pow) code.push_back({in.op, in.arg});
  CHECK(code == std::vector<std::pair<Op, int>>{
                    {Op::PowInt, -2}, {Op::PowInt, 3}, {Op::Pow, 0}, {Op::PowInt, 2}});
  CHECK(formula::pow_int(-3.0, 3) == -27);
  CHECK(formula::pow_int(2.0, -2) == 0.25);
  CHECK(formula::pow_int(0.0, 0) == 1);
  CHECK(eval("x^1e9", 1, 0).dfdx == 1e9);  // still a PowInt, 30 multiplications
  CHECK(std::isinf(eval("x^1e9", 2, 0).f));
}

TEST_CASE("value-only and gradient evaluation give the same value to the bit", "[formula]") {
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> u(-3, 3);
  for (const char* text : {
           "sin(x*y) + exp(-y^2)/(1 + x^2)",
           "atan2(y, x) * hypot(x, y) - min(x, y)^3",
           "log(abs(x) + 1) - sqrt(abs(y)) + max(x, 0)^2.5",
           "tanh(x)*cosh(y)/sinh(1 + x^2)",
           "pow(abs(x) + 0.5, y) + log10(abs(x*y) + 1e-3) + asin(x/4) * acos(y/4)",
           "x^7 - 3*x^-1 + tan(y/2)",
       }) {
    CAPTURE(text);
    const auto p = compile_formula(text);
    for (int i = 0; i < 200; ++i) {
      const double x = u(rng), y = u(rng);
      const double v = formula::value(p, x, y), d = formula::evaluate(p, x, y).f;
      CAPTURE(x, y);
      CHECK(((v == d) || (std::isnan(v) && std::isnan(d))));
    }
  }
}
