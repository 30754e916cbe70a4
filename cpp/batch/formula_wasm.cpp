#include "batch/formula_wasm.h"

#include <climits>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <map>
#include <string>

#include "batch/formula_lanes.h"
#include "optim/adam.h"

namespace descent::batch {

namespace {

using surfaces::formula::Op;

// ---- the binary format: bytes, LEB128, sections ------------------------------

using Bytes = std::vector<std::uint8_t>;

// A float's bits and back (Emscripten 3.1.6's libc++ has no std::bit_cast).
std::uint32_t bits_of(float f) {
  std::uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  return u;
}
float float_of(std::uint32_t u) {
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

void put_u32(Bytes& out, std::uint32_t v) {  // unsigned LEB128
  do {
    std::uint8_t b = v & 0x7f;
    v >>= 7;
    if (v != 0) b |= 0x80;
    out.push_back(b);
  } while (v != 0);
}

void put_s32(Bytes& out, std::int32_t value) {  // signed LEB128
  std::int64_t v = value;
  for (;;) {
    const std::uint8_t b = v & 0x7f;
    v >>= 7;  // arithmetic shift
    if ((v == 0 && (b & 0x40) == 0) || (v == -1 && (b & 0x40) != 0)) {
      out.push_back(b);
      return;
    }
    out.push_back(b | 0x80);
  }
}

void put_name(Bytes& out, const std::string& s) {
  put_u32(out, static_cast<std::uint32_t>(s.size()));
  out.insert(out.end(), s.begin(), s.end());
}

void put_section(Bytes& out, std::uint8_t id, const Bytes& content) {
  out.push_back(id);
  put_u32(out, static_cast<std::uint32_t>(content.size()));
  out.insert(out.end(), content.begin(), content.end());
}

enum ValType : std::uint8_t { kI32 = 0x7f, kF32 = 0x7d, kV128 = 0x7b };

// Core opcodes used (WebAssembly core spec, binary format 5.4).
enum CoreOp : std::uint8_t {
  kBlock = 0x02, kLoop = 0x03, kEnd = 0x0b, kBr = 0x0c, kBrIf = 0x0d, kReturn = 0x0f,
  kLocalGet = 0x20, kLocalSet = 0x21, kF32Load = 0x2a, kI32Const = 0x41,
  kI32Eqz = 0x45, kI32LtS = 0x48, kI32LtU = 0x49, kI32LeS = 0x4c,
  kI32Add = 0x6a, kI32Sub = 0x6b, kI32And = 0x71, kI32Shl = 0x74,
  kEmptyBlock = 0x40,
};

// SIMD opcodes: the 0xfd prefix and a LEB128 sub-opcode (checked with
// llvm-mc -show-encoding and by running).
enum SimdOp : std::uint32_t {
  kV128Load = 0x00, kV128Store = 0x0b, kV128Const = 0x0c, kF32x4Splat = 0x13,
  kF32x4Eq = 0x41, kF32x4Lt = 0x43, kF32x4Le = 0x45,
  kV128Not = 0x4d, kV128And = 0x4e, kV128AndNot = 0x4f, kV128Or = 0x50, kV128Bitselect = 0x52,
  kI32x4AllTrue = 0xa3, kI32x4Sub = 0xb1,
  kF32x4Abs = 0xe0, kF32x4Neg = 0xe1, kF32x4Sqrt = 0xe3, kF32x4Add = 0xe4, kF32x4Sub = 0xe5,
  kF32x4Mul = 0xe6, kF32x4Div = 0xe7,
};

// A function body under construction: its locals (after the parameters) and
// its instructions.
class Body {
 public:
  explicit Body(std::uint32_t params) : params_(params) {}

  std::uint32_t local(ValType t) {
    types_.push_back(t);
    return params_ + static_cast<std::uint32_t>(types_.size()) - 1;
  }

  void op(std::uint8_t code) { code_.push_back(code); }
  void simd(std::uint32_t sub) {
    code_.push_back(0xfd);
    put_u32(code_, sub);
  }
  void get(std::uint32_t index) { op(kLocalGet), put_u32(code_, index); }
  void set(std::uint32_t index) { op(kLocalSet), put_u32(code_, index); }
  void i32_const(std::int32_t v) { op(kI32Const), put_s32(code_, v); }
  // memarg: alignment as log2 bytes, then the offset.
  void f32_load(std::uint32_t offset) { op(kF32Load), put_u32(code_, 2), put_u32(code_, offset); }
  void v128_load(std::uint32_t offset) { simd(kV128Load), put_u32(code_, 2), put_u32(code_, offset); }
  void v128_store(std::uint32_t offset) { simd(kV128Store), put_u32(code_, 2), put_u32(code_, offset); }
  void v128_const_f32(float c) {
    simd(kV128Const);
    const std::uint32_t bits = bits_of(c);
    for (int lane = 0; lane < 4; ++lane)
      for (int b = 0; b < 4; ++b) code_.push_back(static_cast<std::uint8_t>(bits >> (8 * b)));
  }
  void block() { op(kBlock), op(kEmptyBlock); }
  void loop() { op(kLoop), op(kEmptyBlock); }
  void end() { op(kEnd); }
  void br(std::uint32_t depth) { op(kBr), put_u32(code_, depth); }
  void br_if(std::uint32_t depth) { op(kBrIf), put_u32(code_, depth); }

  // The code section entry: locals as runs of one type, `prologue`'s code
  // (which uses these locals), this code, end.
  Bytes finish(const Body& prologue) const {
    Bytes out, runs;
    std::uint32_t count = 0;
    for (std::size_t i = 0; i < types_.size();) {
      std::size_t j = i;
      while (j < types_.size() && types_[j] == types_[i]) ++j;
      put_u32(runs, static_cast<std::uint32_t>(j - i));
      runs.push_back(types_[i]);
      ++count;
      i = j;
    }
    put_u32(out, count);
    out.insert(out.end(), runs.begin(), runs.end());
    out.insert(out.end(), prologue.code_.begin(), prologue.code_.end());
    out.insert(out.end(), code_.begin(), code_.end());
    out.push_back(kEnd);
    return out;
  }

 private:
  std::vector<ValType> types_;
  std::uint32_t params_;
  Bytes code_;
};

// ---- values while lowering: a v128 local, or a constant known here ----------

// A vector of 4 floats: either in a local or the same constant in every lane.
struct Val {
  bool known = false;
  float c = 0.0f;
  std::uint32_t local = 0;
};
// A lane mask: in a local, or the same known value in every lane.
struct Mask {
  bool known = false;
  bool on = false;
  std::uint32_t local = 0;
};
struct DualVal {
  Val v, dx, dy;
};

bool is_bits(const Val& a, std::uint32_t bits) {
  return a.known && bits_of(a.c) == bits;
}
constexpr std::uint32_t kPlusZero = 0x00000000u, kMinusZero = 0x80000000u, kOne = 0x3f800000u;

// Lowers float ops to SIMD instructions on one Body, folding known operands
// with the same float operation in C++ (the same bits) and only the exact
// identities listed in formula_wasm.h. Known constants live in locals set once
// in the prologue.
class Lowering {
 public:
  Lowering(Body& body, Body& prologue) : b_(body), prologue_(prologue) {}

  Val known(float c) { return {true, c, 0}; }
  Val in(std::uint32_t local) { return {false, 0.0f, local}; }

  // Pushes a's value on the wasm stack.
  void push(const Val& a) { b_.get(a.known ? constant_local(a.c) : a.local); }
  void push(const Mask& m) {
    if (m.known) b_.get(constant_local(float_of(m.on ? 0xffffffffu : 0u)));
    else b_.get(m.local);
  }
  Val result() {
    const std::uint32_t r = b_.local(kV128);
    b_.set(r);
    return in(r);
  }
  Mask mask_result() {
    const std::uint32_t r = b_.local(kV128);
    b_.set(r);
    return {false, false, r};
  }
  Val emit(SimdOp op, const Val& a, const Val& b) {
    push(a), push(b), b_.simd(op);
    return result();
  }
  Val emit(SimdOp op, const Val& a) {
    push(a), b_.simd(op);
    return result();
  }

  Val add(const Val& a, const Val& b) {
    if (a.known && b.known) return known(a.c + b.c);
    if (is_bits(b, kMinusZero)) return a;  // x + (-0) = x, also for x = +0
    if (is_bits(a, kMinusZero)) return b;
    return emit(kF32x4Add, a, b);
  }
  Val sub(const Val& a, const Val& b) {
    if (a.known && b.known) return known(a.c - b.c);
    if (is_bits(b, kPlusZero)) return a;  // x - (+0) = x
    return emit(kF32x4Sub, a, b);
  }
  Val mul(const Val& a, const Val& b) {
    if (a.known && b.known) return known(a.c * b.c);
    if (is_bits(b, kOne)) return a;
    if (is_bits(a, kOne)) return b;
    return emit(kF32x4Mul, a, b);
  }
  Val div(const Val& a, const Val& b) {
    if (a.known && b.known) return known(a.c / b.c);
    if (is_bits(b, kOne)) return a;
    return emit(kF32x4Div, a, b);
  }
  Val neg(const Val& a) { return a.known ? known(-a.c) : emit(kF32x4Neg, a); }
  Val sqrt(const Val& a) { return a.known ? known(std::sqrt(a.c)) : emit(kF32x4Sqrt, a); }
  Val abs(const Val& a) { return a.known ? known(std::fabs(a.c)) : emit(kF32x4Abs, a); }

  Mask compare(SimdOp op, const Val& a, const Val& b) {
    if (a.known && b.known) {
      const bool on = op == kF32x4Eq ? a.c == b.c : op == kF32x4Lt ? a.c < b.c : a.c <= b.c;
      return {true, on, 0};
    }
    push(a), push(b), b_.simd(op);
    return mask_result();
  }
  Mask eq(const Val& a, const Val& b) { return compare(kF32x4Eq, a, b); }
  Mask lt(const Val& a, const Val& b) { return compare(kF32x4Lt, a, b); }
  Mask le(const Val& a, const Val& b) { return compare(kF32x4Le, a, b); }
  Mask both(const Mask& a, const Mask& b) {
    if (a.known) return a.on ? b : a;
    if (b.known) return b.on ? a : b;
    push(a), push(b), b_.simd(kV128And);
    return mask_result();
  }

  // lanes::select(m, a, b): a where m is on (v128.bitselect(a, b, m)); with a
  // +0 operand the same bits by and / andnot.
  Val select(const Mask& m, const Val& a, const Val& b) {
    if (m.known) return m.on ? a : b;
    if (a.known && b.known && bits_of(a.c) == bits_of(b.c))
      return a;
    if (is_bits(a, kPlusZero)) {
      push(b), push(m), b_.simd(kV128AndNot);
    } else if (is_bits(b, kPlusZero)) {
      push(a), push(m), b_.simd(kV128And);
    } else {
      push(a), push(b), push(m), b_.simd(kV128Bitselect);
    }
    return result();
  }

  Body& body() { return b_; }

 private:
  // One local per distinct constant (by bits), set in the prologue.
  std::uint32_t constant_local(float c) {
    const std::uint32_t bits = bits_of(c);
    auto it = constants_.find(bits);
    if (it != constants_.end()) return it->second;
    const std::uint32_t r = b_.local(kV128);
    prologue_.v128_const_f32(c);
    prologue_.set(r);
    constants_.emplace(bits, r);
    return r;
  }

  Body& b_;
  Body& prologue_;
  std::map<std::uint32_t, std::uint32_t> constants_;
};

// ---- the formula: run_block's operations on one vector ------------------------

class FormulaLowering {
 public:
  explicit FormulaLowering(Lowering& l) : l_(l) {}

  // kernels::scale: slope * d, a zero tangent kept (+0).
  Val scale(const Val& slope, const Val& d) {
    const Val zero = l_.known(0.0f);
    if (d.known) return d.c == 0.0f ? zero : l_.mul(slope, d);
    return l_.select(l_.eq(d, zero), zero, l_.mul(slope, d));
  }
  DualVal chain(const Val& value, const Val& slope, const DualVal& a) {
    return {value, scale(slope, a.dx), scale(slope, a.dy)};
  }
  DualVal chain(const Val& value, const Val& sa, const DualVal& a, const Val& sb,
                const DualVal& b) {
    const Val dx = l_.add(scale(sa, a.dx), scale(sb, b.dx));
    const Val dy = l_.add(scale(sa, a.dy), scale(sb, b.dy));
    return {value, dx, dy};
  }
  // kernels::pow_int: repeated squaring, 1 / result for negative n.
  Val pow_int(const Val& a, std::int32_t n) {
    std::int64_t k = n < 0 ? -static_cast<std::int64_t>(n) : n;
    Val result = l_.known(1.0f), base = a;
    bool first = true;
    while (k > 0) {
      if (k & 1) {
        result = first ? base : l_.mul(result, base);
        first = false;
      }
      k >>= 1;
      if (k > 0) base = l_.mul(base, base);
    }
    return n < 0 ? l_.div(l_.known(1.0f), result) : result;
  }
  // kernels::nan_if_either
  Val nan_if_either(const Val& a, const Val& b, const Val& value) {
    return l_.select(l_.both(l_.eq(a, a), l_.eq(b, b)), value, l_.add(a, b));
  }

  // kernels::unary
  DualVal unary(Op op, std::int32_t arg, const DualVal& a) {
    const Val one = l_.known(1.0f), zero = l_.known(0.0f);
    switch (op) {
      case Op::Neg: return {l_.neg(a.v), l_.neg(a.dx), l_.neg(a.dy)};
      case Op::PowInt: {
        const Val slope = arg == 0 ? zero : l_.mul(pow_int(a.v, arg - 1), l_.known(static_cast<float>(arg)));
        return chain(pow_int(a.v, arg), slope, a);
      }
      case Op::Sqrt: {
        const Val r = l_.sqrt(a.v);
        return chain(r, l_.div(l_.known(0.5f), r), a);
      }
      case Op::Abs: {
        const Val slope = l_.select(l_.lt(zero, a.v), one,
                                    l_.select(l_.lt(a.v, zero), l_.neg(one), zero));
        return chain(l_.abs(a.v), slope, a);
      }
      default: return a;  // not reached: fast_group_supported
    }
  }

  // kernels::binary
  DualVal binary(Op op, const DualVal& a, const DualVal& b) {
    const Val zero = l_.known(0.0f), half = l_.known(0.5f), one = l_.known(1.0f);
    switch (op) {
      case Op::Add: return {l_.add(a.v, b.v), l_.add(a.dx, b.dx), l_.add(a.dy, b.dy)};
      case Op::Sub: return {l_.sub(a.v, b.v), l_.sub(a.dx, b.dx), l_.sub(a.dy, b.dy)};
      case Op::Mul:
        return {l_.mul(a.v, b.v), l_.add(l_.mul(a.dx, b.v), l_.mul(a.v, b.dx)),
                l_.add(l_.mul(a.dy, b.v), l_.mul(a.v, b.dy))};
      case Op::Div: {
        const Val q = l_.div(a.v, b.v);
        return {q, l_.div(l_.sub(a.dx, l_.mul(q, b.dx)), b.v),
                l_.div(l_.sub(a.dy, l_.mul(q, b.dy)), b.v)};
      }
      case Op::Min: {
        const Val wa = l_.select(l_.lt(a.v, b.v), one, l_.select(l_.lt(b.v, a.v), zero, half));
        const Val value = nan_if_either(a.v, b.v, l_.select(l_.lt(b.v, a.v), b.v, a.v));
        return chain(value, wa, a, l_.sub(one, wa), b);
      }
      case Op::Max: {
        const Val wa = l_.select(l_.lt(b.v, a.v), one, l_.select(l_.lt(a.v, b.v), zero, half));
        const Val value = nan_if_either(a.v, b.v, l_.select(l_.lt(a.v, b.v), b.v, a.v));
        return chain(value, wa, a, l_.sub(one, wa), b);
      }
      default: return a;  // not reached: fast_group_supported
    }
  }

  // kernels::with_constant
  DualVal with_constant(Op op, Operand side, float c, const DualVal& a) {
    const bool right = side == Operand::constant_right;
    const Val k = l_.known(c);
    switch (op) {
      case Op::Add: return {l_.add(a.v, k), a.dx, a.dy};
      case Op::Sub:
        return right ? DualVal{l_.sub(a.v, k), a.dx, a.dy}
                     : DualVal{l_.sub(k, a.v), l_.neg(a.dx), l_.neg(a.dy)};
      case Op::Mul: return {l_.mul(a.v, k), l_.mul(a.dx, k), l_.mul(a.dy, k)};
      case Op::Div:
        if (right) return {l_.div(a.v, k), l_.div(a.dx, k), l_.div(a.dy, k)};
        break;
      default: break;
    }
    const DualVal constant{k, l_.known(0.0f), l_.known(0.0f)};
    return right ? binary(op, a, constant) : binary(op, constant, a);
  }

  // run_block for one vector of points (x, y): the value and the gradient.
  DualVal run(const LaneProgram& program, const Val& x, const Val& y) {
    std::vector<DualVal> slots(program.slots() + 1);
    const Val zero = l_.known(0.0f), one = l_.known(1.0f);
    for (const LaneInstruction& in : program.code()) {
      DualVal& r = slots[in.slot];
      switch (in.op) {
        case Op::PushX: r = {x, one, zero}; break;
        case Op::PushY: r = {y, zero, one}; break;
        case Op::PushConst: r = {l_.known(in.constant), zero, zero}; break;
        case Op::PowInt:
          // run_block's x^2 case: the same operations as pow_int's.
          r = in.arg == 2 ? chain(l_.mul(r.v, r.v), l_.mul(r.v, l_.known(2.0f)), r)
                          : unary(in.op, in.arg, r);
          break;
        default:
          if (surfaces::formula::operand_count(in.op) == 1) r = unary(in.op, in.arg, r);
          else if (in.operand == Operand::stack) r = binary(in.op, r, slots[in.slot + 1]);
          else r = with_constant(in.op, in.operand, in.constant, r);
      }
    }
    return slots[0];
  }

 private:
  Lowering& l_;
};

bool supported_op(const LaneInstruction& in) {
  switch (in.op) {
    case Op::PushX: case Op::PushY: case Op::PushConst: case Op::Neg: case Op::Sqrt:
    case Op::Abs: case Op::Add: case Op::Sub: case Op::Mul: case Op::Div: case Op::Min:
    case Op::Max:
      return true;
    case Op::PowInt: return in.arg != INT_MIN;  // arg - 1 must not overflow
    default: return false;
  }
}

// The parameters of "run", in FastGroupKernel's order.
enum Param : std::uint32_t {
  pSteps, pCount, pGrad2, pStep2, pN, pXs, pYs, pMxs, pVxs, pMys, pVys, pLive, pF, pConverged,
  pTaken, kParamCount
};

// One vector of a tile: the loop-carried locals.
struct VectorLocals {
  std::uint32_t x, y, mx, vx, my, vy, sum, f, conv, taken;
};

// The whole function: adam_group_fast with U = tile_vectors, the formula's
// evaluator inlined.
Bytes fast_group_body(const LaneProgram& program, int tile_vectors) {
  Body prologue(kParamCount), b(kParamCount);
  Lowering l(b, prologue);
  FormulaLowering formula(l);
  const int U = tile_vectors;
  const std::int32_t tile_points = 4 * U;

  const std::uint32_t i = b.local(kI32), offset = b.local(kI32), s = b.local(kI32),
                      k = b.local(kI32);
  const Val grad2 = l.in(b.local(kV128)), step2 = l.in(b.local(kV128));
  // One step's scalars (StepScalars), splatted once per step.
  const Val lr = l.in(b.local(kV128)), beta1 = l.in(b.local(kV128)),
            one_minus_beta1 = l.in(b.local(kV128)), beta2 = l.in(b.local(kV128)),
            one_minus_beta2 = l.in(b.local(kV128)), eps = l.in(b.local(kV128)),
            scale2 = l.in(b.local(kV128));
  std::vector<VectorLocals> v(static_cast<std::size_t>(U));
  for (auto& t : v)
    t = {b.local(kV128), b.local(kV128), b.local(kV128), b.local(kV128), b.local(kV128),
         b.local(kV128), b.local(kV128), b.local(kV128), b.local(kV128), b.local(kV128)};
  const Val zero = l.known(0.0f);

  // `base` + offset (bytes) on the stack: the address of the tile in an array.
  auto address = [&](std::uint32_t base) {
    b.get(base), b.get(offset), b.op(kI32Add);
  };

  // Nothing to do without steps (adam_group_step never asks).
  b.block();
  b.get(pCount), b.i32_const(0), b.op(kI32LeS), b.br_if(0);
  b.get(pGrad2), b.simd(kF32x4Splat), b.set(grad2.local);
  b.get(pStep2), b.simd(kF32x4Splat), b.set(step2.local);

  b.block();  // $done: the first tile refused, or too few points left
  b.loop();   // $tiles
  // n - i < tile: stop.
  b.get(pN), b.get(i), b.op(kI32Sub), b.i32_const(tile_points), b.op(kI32LtU),
      b.br_if(1);
  b.get(i), b.i32_const(2), b.op(kI32Shl), b.set(offset);
  // Every lane of the tile live at its start.
  for (int u = 0; u < U; ++u) {
    address(pLive), b.v128_load(16u * u), b.simd(kI32x4AllTrue);
    if (u > 0) b.op(kI32And);
  }
  b.op(kI32Eqz), b.br_if(1);
  for (int u = 0; u < U; ++u) {
    const VectorLocals& t = v[u];
    const std::uint32_t at = 16u * u;
    address(pXs), b.v128_load(at), b.set(t.x);
    address(pYs), b.v128_load(at), b.set(t.y);
    address(pMxs), b.v128_load(at), b.set(t.mx);
    address(pVxs), b.v128_load(at), b.set(t.vx);
    address(pMys), b.v128_load(at), b.set(t.my);
    address(pVys), b.v128_load(at), b.set(t.vy);
    address(pConverged), b.v128_load(at), b.set(t.conv);
    address(pTaken), b.v128_load(at), b.set(t.taken);
    l.push(zero), b.set(t.sum);
  }
  b.i32_const(0), b.set(s);
  b.get(pSteps), b.set(k);
  b.block();  // $steps_done
  b.loop();   // $steps
  b.get(s), b.get(pCount), b.op(kI32LtS), b.op(kI32Eqz), b.br_if(1);
  auto splat_field = [&](const Val& into, std::size_t field) {
    b.get(k), b.f32_load(static_cast<std::uint32_t>(field)), b.simd(kF32x4Splat), b.set(into.local);
  };
  // Adam's coefficients (optim/adam.h) in StepScalars::coefficients.
  using Coefficients = optim::Adam::Coefficients<float>;
  using Average = optim::MovingAverage<float>;
  using Moments = optim::AdamMoments<float>;
  constexpr std::size_t c = offsetof(StepScalars, coefficients);
  constexpr std::size_t m_at = c + offsetof(Coefficients, moments) + offsetof(Moments, m);
  constexpr std::size_t v_at = c + offsetof(Coefficients, moments) + offsetof(Moments, v);
  splat_field(lr, c + offsetof(Coefficients, step_size));
  splat_field(beta1, m_at + offsetof(Average, decay));
  splat_field(one_minus_beta1, m_at + offsetof(Average, one_minus_decay));
  splat_field(beta2, v_at + offsetof(Average, decay));
  splat_field(one_minus_beta2, v_at + offsetof(Average, one_minus_decay));
  splat_field(eps, c + offsetof(Coefficients, eps));
  splat_field(scale2, c + offsetof(Coefficients, v_correction) +
                          offsetof(optim::Divisor<float>, reciprocal));

  // optim::Adam::update in its plain form (Adam::is_plain: no preprocessing,
  // eps outside the root); the float engine divides by sqrt(bc2) as a multiply
  // by its reciprocal (optim::Divisor).
  struct Coordinate {
    Val p, m, v;
  };
  auto adam = [&](const Val& p, const Val& g, const Val& m_old, const Val& v_old) {
    const Val m = l.add(l.mul(m_old, beta1), l.mul(g, one_minus_beta1));
    const Val vv = l.add(l.mul(v_old, beta2), l.mul(l.mul(g, one_minus_beta2), g));
    const Val den = l.add(l.mul(l.sqrt(vv), scale2), eps);
    return Coordinate{l.sub(p, l.mul(l.div(m, den), lr)), m, vv};
  };
  for (int u = 0; u < U; ++u) {
    const VectorLocals& t = v[u];
    const Val x0 = l.in(t.x), y0 = l.in(t.y);
    const DualVal e = formula.run(program, x0, y0);
    // adam_group_fast: f, the running sum, the two coordinates, progress.
    l.push(e.v), b.set(t.f);
    l.push(l.add(l.in(t.sum), l.add(l.add(e.v, e.dx), e.dy))), b.set(t.sum);
    const Coordinate cx = adam(x0, e.dx, l.in(t.mx), l.in(t.vx));
    const Coordinate cy = adam(y0, e.dy, l.in(t.my), l.in(t.vy));
    // progress_vector with every lane on: taken -= ~before (counts one);
    // converged |= |g|^2 <= grad2 and |step|^2 <= step2.
    b.get(t.taken), b.get(t.conv), b.simd(kV128Not), b.simd(kI32x4Sub), b.set(t.taken);
    const Val dx = l.sub(cx.p, x0), dy = l.sub(cy.p, y0);
    const Mask now =
        l.both(l.le(l.add(l.mul(e.dx, e.dx), l.mul(e.dy, e.dy)), grad2),
               l.le(l.add(l.mul(dx, dx), l.mul(dy, dy)), step2));
    b.get(t.conv), l.push(now), b.simd(kV128Or), b.set(t.conv);
    l.push(cx.p), b.set(t.x);
    l.push(cx.m), b.set(t.mx);
    l.push(cx.v), b.set(t.vx);
    l.push(cy.p), b.set(t.y);
    l.push(cy.m), b.set(t.my);
    l.push(cy.v), b.set(t.vy);
  }
  b.get(s), b.i32_const(1), b.op(kI32Add), b.set(s);
  b.get(k), b.i32_const(static_cast<std::int32_t>(sizeof(StepScalars))), b.op(kI32Add), b.set(k);
  b.br(0);
  b.end();  // $steps
  b.end();  // $steps_done

  // x, y and the running sum finite in every lane, else leave the tile as it was.
  for (int u = 0; u < U; ++u) {
    const VectorLocals& t = v[u];
    const Val x = l.in(t.x), y = l.in(t.y), sum = l.in(t.sum);
    const Val zeros = l.emit(kF32x4Add, l.emit(kF32x4Add, l.emit(kF32x4Sub, x, x), l.emit(kF32x4Sub, y, y)),
                             l.emit(kF32x4Sub, sum, sum));
    l.push(l.eq(zeros, zero)), b.simd(kI32x4AllTrue);
    if (u > 0) b.op(kI32And);
  }
  b.op(kI32Eqz), b.br_if(1);
  for (int u = 0; u < U; ++u) {
    const VectorLocals& t = v[u];
    const std::uint32_t at = 16u * u;
    auto store = [&](std::uint32_t base, std::uint32_t value) {
      address(base), b.get(value), b.v128_store(at);
    };
    store(pXs, t.x);
    store(pYs, t.y);
    store(pMxs, t.mx);
    store(pVxs, t.vx);
    store(pMys, t.my);
    store(pVys, t.vy);
    store(pF, t.f);
    store(pConverged, t.conv);
    store(pTaken, t.taken);
  }
  b.get(i), b.i32_const(tile_points), b.op(kI32Add), b.set(i);
  b.br(0);
  b.end();  // $tiles
  b.end();  // $done
  b.end();  // the count check
  b.get(i);

  // The prologue (constants into their locals) runs first; the locals are b's.
  return b.finish(prologue);
}

FastKernelLoader g_loader = nullptr;
FastKernelRelease g_release = nullptr;

}  // namespace

bool fast_group_supported(const LaneProgram& program) {
  if (program.code().empty()) return false;
  for (const LaneInstruction& in : program.code())
    if (!supported_op(in)) return false;
  return true;
}

std::vector<std::uint8_t> fast_group_module(const LaneProgram& program, int tile_vectors) {
  if (!fast_group_supported(program) || tile_vectors < 1) return {};
  Bytes out = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};  // \0asm, version 1

  Bytes types;  // one type: FastGroupKernel in wasm32
  put_u32(types, 1);
  types.push_back(0x60);
  const ValType params[kParamCount] = {kI32, kI32, kF32, kF32, kI32, kI32, kI32, kI32,
                                       kI32, kI32, kI32, kI32, kI32, kI32, kI32};
  put_u32(types, kParamCount);
  for (ValType t : params) types.push_back(t);
  put_u32(types, 1);
  types.push_back(kI32);
  put_section(out, 1, types);

  Bytes imports;  // ("env", "memory"): a memory, min 0 pages, no max
  put_u32(imports, 1);
  put_name(imports, "env");
  put_name(imports, "memory");
  imports.push_back(0x02);
  imports.push_back(0x00);
  put_u32(imports, 0);
  put_section(out, 2, imports);

  Bytes functions;  // function 0 has type 0
  put_u32(functions, 1);
  put_u32(functions, 0);
  put_section(out, 3, functions);

  Bytes exports;  // "run" = function 0
  put_u32(exports, 1);
  put_name(exports, "run");
  exports.push_back(0x00);
  put_u32(exports, 0);
  put_section(out, 7, exports);

  const Bytes body = fast_group_body(program, tile_vectors);
  Bytes code;
  put_u32(code, 1);
  put_u32(code, static_cast<std::uint32_t>(body.size()));
  code.insert(code.end(), body.begin(), body.end());
  put_section(out, 10, code);
  return out;
}

void set_fast_kernel_loader(FastKernelLoader load, FastKernelRelease release) {
  g_loader = load;
  g_release = release;
}
FastKernelLoader fast_kernel_loader() { return g_loader; }
FastKernelRelease fast_kernel_release() { return g_release; }

}  // namespace descent::batch
