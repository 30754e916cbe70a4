#include "surfaces/formula/compile.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numbers>
#include <string>

#include "common/error.h"

namespace descent::surfaces::formula {
namespace {

constexpr std::array<FunctionInfo, 19> kFunctions = {{
    {"abs", Op::Abs, 1},     {"acos", Op::Acos, 1}, {"asin", Op::Asin, 1},   {"atan", Op::Atan, 1},
    {"atan2", Op::Atan2, 2}, {"cos", Op::Cos, 1},   {"cosh", Op::Cosh, 1},   {"exp", Op::Exp, 1},
    {"hypot", Op::Hypot, 2}, {"log", Op::Log, 1},   {"log10", Op::Log10, 1}, {"max", Op::Max, 2},
    {"min", Op::Min, 2},     {"pow", Op::Pow, 2},   {"sin", Op::Sin, 1},     {"sinh", Op::Sinh, 1},
    {"sqrt", Op::Sqrt, 1},   {"tan", Op::Tan, 1},   {"tanh", Op::Tanh, 1},
}};

const FunctionInfo* find_function(std::string_view name) {
  for (const auto& f : kFunctions)
    if (f.name == name) return &f;
  return nullptr;
}

// Largest exponent compiled to an exact integer power (about 30 multiplications).
constexpr double kMaxIntExponent = 1 << 30;

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_name_start(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) { return is_name_start(c) || is_digit(c); }
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

enum class Kind { Number, Name, Plus, Minus, Star, Slash, Caret, Open, Close, Comma, End };

struct Token {
  Kind kind = Kind::End;
  std::size_t begin = 0;  // byte offsets into the text
  std::size_t end = 0;
  double number = 0.0;
};

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  Program parse() {
    const std::size_t length = column(text_.size()) - 1;
    if (length > kMaxFormulaLength)
      throw Error("formula is too long: " + std::to_string(length) + " characters, at most " +
                  std::to_string(kMaxFormulaLength));
    advance();
    if (token_.kind == Kind::End) throw Error("empty formula");
    expression();
    if (token_.kind != Kind::End) unexpected();
    return std::move(program_);
  }

 private:
  // ---- grammar (see compile.h)

  void expression() { left_associative(&Parser::term, Kind::Plus, Op::Add, Kind::Minus, Op::Sub); }
  void term() { left_associative(&Parser::unary, Kind::Star, Op::Mul, Kind::Slash, Op::Div); }

  // operand ((a | b) operand)*, grouped from the left: 1 - 2 - 3 = (1 - 2) - 3.
  void left_associative(void (Parser::*operand)(), Kind a, Op op_a, Kind b, Op op_b) {
    (this->*operand)();
    while (token_.kind == a || token_.kind == b) {
      const Op op = token_.kind == a ? op_a : op_b;
      advance();
      (this->*operand)();
      emit(op);
    }
  }

  // A loop rather than recursion, so `------x` costs no stack.
  void unary() {
    bool negate = false;
    for (; token_.kind == Kind::Minus; advance()) negate = !negate;
    power();
    if (negate) emit_negate();
  }

  void power() {
    primary();
    if (token_.kind != Kind::Caret) return;
    advance();
    unary();  // the exponent may carry a sign: 2^-x
    emit_power();
  }

  void primary() {
    const Token t = token_;
    switch (t.kind) {
      case Kind::Number:
        advance();
        emit_constant(t.number);
        return;
      case Kind::Name:
        advance();
        name(t);
        return;
      case Kind::Open:
        open_paren();
        expression();
        close_paren(t);
        return;
      default: unexpected();
    }
  }

  void name(const Token& t) {
    const std::string_view n = lexeme(t);
    if (const FunctionInfo* f = find_function(n)) return call(t, *f);
    if (n == "x") return emit(Op::PushX);
    if (n == "y") return emit(Op::PushY);
    if (n == "pi") return emit_constant(std::numbers::pi);
    if (n == "e") return emit_constant(std::numbers::e);
    if (token_.kind == Kind::Open) fail("unknown function '" + std::string(n) + "'", t.begin);
    fail("unknown variable '" + std::string(n) + "'", t.begin, " (use x, y, pi, e)");
  }

  void call(const Token& name, const FunctionInfo& f) {
    const Token open = token_;
    if (open.kind != Kind::Open)
      fail("expected '(' after '" + std::string(f.name) + "'", open.begin);
    open_paren();
    int count = 0;
    if (token_.kind != Kind::Close) {
      for (;;) {
        expression();
        ++count;
        if (token_.kind != Kind::Comma) break;
        advance();
      }
    }
    if (token_.kind == Kind::Close && count != f.arity)
      fail(std::string(f.name) + " takes " + std::to_string(f.arity) +
               (f.arity == 1 ? " argument" : " arguments") + ", got " + std::to_string(count),
           name.begin);
    close_paren(open);
    if (f.op == Op::Pow) return emit_power();
    emit(f.op);
  }

  void open_paren() {
    if (++nesting_ > kMaxNesting)
      fail("formula is nested too deeply: more than " + std::to_string(kMaxNesting) +
               " levels of parentheses",
           token_.begin);
    advance();
  }

  void close_paren(const Token& open) {
    if (token_.kind == Kind::End) fail("missing ')' for the '('", open.begin);
    if (token_.kind != Kind::Close) unexpected();
    --nesting_;
    advance();
  }

  // ---- code generation

  void emit(Op op, std::int32_t arg = 0) {
    program_.code.push_back({op, arg});
    depth_ = depth_ - static_cast<std::size_t>(operand_count(op)) + 1;
    program_.max_stack = std::max(program_.max_stack, depth_);
  }

  void emit_constant(double value) {
    program_.constants.push_back(value);
    emit(Op::PushConst, static_cast<std::int32_t>(program_.constants.size() - 1));
  }

  // The constant on top of the stack, if the last instruction pushed one.
  const double* last_constant() const {
    const Instruction& last = program_.code.back();
    return last.op == Op::PushConst ? &program_.constants[static_cast<std::size_t>(last.arg)]
                                    : nullptr;
  }

  // -c folds into the constant, so `x^-2` still sees a whole-number exponent.
  void emit_negate() {
    if (last_constant()) {
      program_.constants.back() = -program_.constants.back();
      return;
    }
    emit(Op::Neg);
  }

  // A whole-number constant exponent (the last constant pushed) becomes PowInt.
  void emit_power() {
    const double* c = last_constant();
    if (c && *c == std::trunc(*c) && std::abs(*c) <= kMaxIntExponent) {
      const auto n = static_cast<std::int32_t>(*c);
      program_.code.pop_back();
      program_.constants.pop_back();
      --depth_;
      emit(Op::PowInt, n);
      return;
    }
    emit(Op::Pow);
  }

  // ---- lexer: `token_` is the next unread token

  void advance() {
    std::size_t p = token_.end;
    while (p < text_.size() && is_space(text_[p])) ++p;
    token_ = {Kind::End, p, p, 0.0};
    if (p == text_.size()) return;
    const char c = text_[p];
    if (is_digit(c) || (c == '.' && p + 1 < text_.size() && is_digit(text_[p + 1])))
      return lex_number(p);
    if (is_name_start(c)) {
      std::size_t q = p + 1;
      while (q < text_.size() && is_name_char(text_[q])) ++q;
      token_ = {Kind::Name, p, q, 0.0};
      return;
    }
    static constexpr std::string_view kSymbols = "+-*/^(),";
    static constexpr Kind kKinds[] = {Kind::Plus,  Kind::Minus, Kind::Star,  Kind::Slash,
                                      Kind::Caret, Kind::Open,  Kind::Close, Kind::Comma};
    const std::size_t i = kSymbols.find(c);
    if (i == std::string_view::npos) fail("unexpected " + describe_character(p), p);
    token_ = {kKinds[i], p, p + 1, 0.0};
  }

  void lex_number(std::size_t begin) {
    std::size_t p = begin;
    auto digits = [&] {
      while (p < text_.size() && is_digit(text_[p])) ++p;
    };
    digits();
    if (p < text_.size() && text_[p] == '.') {
      ++p;
      digits();
    }
    if (p < text_.size() && (text_[p] == 'e' || text_[p] == 'E')) {
      const char e = text_[p++];
      if (p < text_.size() && (text_[p] == '+' || text_[p] == '-')) ++p;
      if (p == text_.size() || !is_digit(text_[p]))
        fail(std::string("expected a number after '") + e + "'", p);
      digits();
    }
    const std::string lexeme(text_.substr(begin, p - begin));
    const double value = std::strtod(lexeme.c_str(), nullptr);
    if (std::isinf(value)) fail("number '" + lexeme + "' is too large", begin);
    token_ = {Kind::Number, begin, p, value};
  }

  // ---- messages

  std::string_view lexeme(const Token& t) const { return text_.substr(t.begin, t.end - t.begin); }

  // 1-based column of a byte offset, counting UTF-8 code points.
  std::size_t column(std::size_t offset) const {
    return 1 + static_cast<std::size_t>(
                   std::count_if(text_.begin(), text_.begin() + static_cast<std::ptrdiff_t>(offset),
                                 [](char c) { return !is_continuation(c); }));
  }

  std::string describe_character(std::size_t p) const {
    const auto c = static_cast<unsigned char>(text_[p]);
    char hex[8];
    std::snprintf(hex, sizeof hex, "0x%02X", c);
    if (c < 0x20 || c == 0x7F) return std::string("control character ") + hex;
    if (c < 0x80) return "character '" + std::string(1, static_cast<char>(c)) + "'";
    // A whole UTF-8 sequence is shown as the character it encodes.
    const std::size_t length = c >= 0xC2 && c <= 0xDF   ? 2
                               : c >= 0xE0 && c <= 0xEF ? 3
                               : c >= 0xF0 && c <= 0xF4 ? 4
                                                        : 0;
    bool whole = length > 0 && p + length <= text_.size();
    for (std::size_t i = 1; whole && i < length; ++i) whole = is_continuation(text_[p + i]);
    if (!whole) return std::string("byte ") + hex;
    return "character '" + std::string(text_.substr(p, length)) + "'";
  }

  // The current token cannot come here.
  [[noreturn]] void unexpected() const {
    const Token& t = token_;
    switch (t.kind) {
      case Kind::End: fail("unexpected end of formula", t.begin);
      case Kind::Number:
      case Kind::Name:
      case Kind::Open:
        fail("expected an operator before '" + std::string(lexeme(t)) + "'", t.begin);
      case Kind::Star:
        if (t.begin > 0 && text_[t.begin - 1] == '*')
          fail("unexpected '*'", t.begin, " (write powers as x^2)");
        [[fallthrough]];
      default: fail("unexpected '" + std::string(lexeme(t)) + "'", t.begin);
    }
  }

  [[noreturn]] void fail(const std::string& what, std::size_t offset,
                         const std::string& hint = "") const {
    throw Error(what + " at column " + std::to_string(column(offset)) + hint);
  }

  std::string_view text_;
  Token token_;
  Program program_;
  std::size_t depth_ = 0;  // values on the stack after the code emitted so far
  int nesting_ = 0;        // open parentheses
};

}  // namespace

std::span<const FunctionInfo> functions() { return kFunctions; }

Program compile_formula(std::string_view text) { return Parser(text).parse(); }

}  // namespace descent::surfaces::formula
