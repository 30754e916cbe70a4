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

using surfaces::formula::Dual;
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
  kF32x4Mul = 0xe6, kF32x4Div = 0xe7, kF32x4Pmax = 0xeb,
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

// ---- values while emitting: a constant known here, or a node of a graph ------

// A v128 operand: the same known 32 bits in every lane, or a graph node.
struct Ref {
  std::int32_t node = -1;  // -1: known
  std::uint32_t bits = 0;  // when known
};

// The kernel's SIMD operations as a graph, emitted on demand: a node's
// instruction goes into the body when a value that needs it is first asked
// for (local_of), and the result lives in a local from then on. So a value
// nothing reads costs nothing: the untaken side of a select on a mask known
// here (scale's slope * d where d is a known 0, dual.h). A node reads the
// locals it depends on when it is emitted: ask for every result before
// writing a local they read. Known constants live in locals set once in the
// prologue.
class Graph {
 public:
  Graph(Body& body, Body& prologue) : b_(body), prologue_(prologue) {}

  // The value in `local`.
  Ref leaf(std::uint32_t local) {
    nodes_.push_back({SimdOp{}, 0, {}, local, true});
    return {static_cast<std::int32_t>(nodes_.size() - 1), 0};
  }
  Ref node(SimdOp op, Ref a, Ref b = {}, Ref c = {}, std::uint8_t arity = 2) {
    nodes_.push_back({op, arity, {a, b, c}, 0, false});
    return {static_cast<std::int32_t>(nodes_.size() - 1), 0};
  }

  // The local holding r, emitting r and what it needs first (operands in order).
  std::uint32_t local_of(Ref r) {
    if (r.node < 0) return constant_local(r.bits);
    std::vector<std::int32_t> todo = {r.node};
    while (!todo.empty()) {
      Node& n = nodes_[static_cast<std::size_t>(todo.back())];
      if (n.ready) {
        todo.pop_back();
        continue;
      }
      bool waiting = false;
      for (int i = n.arity - 1; i >= 0; --i) {
        const Ref& arg = n.args[i];
        if (arg.node >= 0 && !nodes_[static_cast<std::size_t>(arg.node)].ready) {
          todo.push_back(arg.node);
          waiting = true;
        }
      }
      if (waiting) continue;
      for (int i = 0; i < n.arity; ++i) b_.get(local_of(n.args[i]));  // ready or known
      b_.simd(n.op);
      n.local = b_.local(kV128);
      b_.set(n.local);
      n.ready = true;
      todo.pop_back();
    }
    return nodes_[static_cast<std::size_t>(r.node)].local;
  }
  // Pushes r's value on the wasm stack.
  void push(Ref r) { b_.get(local_of(r)); }

 private:
  struct Node {
    SimdOp op;
    std::uint8_t arity;
    Ref args[3];
    std::uint32_t local;
    bool ready;  // in `local`
  };

  // One local per distinct constant (by bits), set in the prologue.
  std::uint32_t constant_local(std::uint32_t bits) {
    auto it = constants_.find(bits);
    if (it != constants_.end()) return it->second;
    const std::uint32_t r = b_.local(kV128);
    prologue_.v128_const_f32(float_of(bits));
    prologue_.set(r);
    constants_.emplace(bits, r);
    return r;
  }

  Body& b_;
  Body& prologue_;
  std::vector<Node> nodes_;
  std::map<std::uint32_t, std::uint32_t> constants_;
};

// A lane mask of the kernel: known here (all lanes on or off) or a node.
struct EmittedMask {
  Graph* graph = nullptr;  // null when known
  Ref ref;
  bool known() const { return ref.node < 0; }
  bool on() const { return ref.bits != 0; }
};

// A vector of 4 floats of the kernel as a lane type for the formula rules
// (surfaces/formula/dual.h): its operations append SIMD instructions (to the
// graph), except that operands known here are folded with the same float
// operation in C++ (the same bits) and only the exact identities listed in
// formula_wasm.h are applied.
struct Emitted {
  static Emitted splat(float c) { return {nullptr, {-1, bits_of(c)}}; }
  static Emitted in(Graph& g, std::uint32_t local) { return {&g, g.leaf(local)}; }

  Graph* graph = nullptr;  // null when known
  Ref ref;                 // default: a known +0
  bool known() const { return ref.node < 0; }
  float c() const { return float_of(ref.bits); }
  bool is(std::uint32_t bits) const { return known() && ref.bits == bits; }
};

constexpr std::uint32_t kPlusZero = 0x00000000u, kMinusZero = 0x80000000u, kOne = 0x3f800000u;

// The instruction `op` on a and b (and c): the graph is any operand's.
Emitted emit(SimdOp op, const Emitted& a, const Emitted& b) {
  Graph* g = a.graph ? a.graph : b.graph;
  return {g, g->node(op, a.ref, b.ref)};
}
Emitted emit(SimdOp op, const Emitted& a) { return {a.graph, a.graph->node(op, a.ref, {}, {}, 1)}; }

Emitted operator+(const Emitted& a, const Emitted& b) {
  if (a.known() && b.known()) return Emitted::splat(a.c() + b.c());
  if (b.is(kMinusZero)) return a;  // x + (-0) = x, also for x = +0
  if (a.is(kMinusZero)) return b;
  return emit(kF32x4Add, a, b);
}
Emitted operator-(const Emitted& a, const Emitted& b) {
  if (a.known() && b.known()) return Emitted::splat(a.c() - b.c());
  if (b.is(kPlusZero)) return a;  // x - (+0) = x
  return emit(kF32x4Sub, a, b);
}
Emitted operator*(const Emitted& a, const Emitted& b) {
  if (a.known() && b.known()) return Emitted::splat(a.c() * b.c());
  if (b.is(kOne)) return a;
  if (a.is(kOne)) return b;
  return emit(kF32x4Mul, a, b);
}
Emitted operator/(const Emitted& a, const Emitted& b) {
  if (a.known() && b.known()) return Emitted::splat(a.c() / b.c());
  if (b.is(kOne)) return a;
  return emit(kF32x4Div, a, b);
}
Emitted operator-(const Emitted& a) { return a.known() ? Emitted::splat(-a.c()) : emit(kF32x4Neg, a); }
Emitted sqrt(const Emitted& a) { return a.known() ? Emitted::splat(std::sqrt(a.c())) : emit(kF32x4Sqrt, a); }
Emitted abs(const Emitted& a) { return a.known() ? Emitted::splat(std::fabs(a.c())) : emit(kF32x4Abs, a); }

EmittedMask compare(SimdOp op, const Emitted& a, const Emitted& b) {
  if (a.known() && b.known()) {
    const bool on = op == kF32x4Eq ? a.c() == b.c() : op == kF32x4Lt ? a.c() < b.c() : a.c() <= b.c();
    return {nullptr, {-1, on ? 0xffffffffu : 0u}};
  }
  const Emitted m = emit(op, a, b);
  return {m.graph, m.ref};
}
EmittedMask eq(const Emitted& a, const Emitted& b) { return compare(kF32x4Eq, a, b); }
EmittedMask lt(const Emitted& a, const Emitted& b) { return compare(kF32x4Lt, a, b); }
EmittedMask le(const Emitted& a, const Emitted& b) { return compare(kF32x4Le, a, b); }
EmittedMask operator&(const EmittedMask& a, const EmittedMask& b) {
  if (a.known()) return a.on() ? b : a;
  if (b.known()) return b.on() ? a : b;
  return {a.graph, a.graph->node(kV128And, a.ref, b.ref)};
}

// lanes::select(m, a, b): a where m is on (v128.bitselect(a, b, m)); with a
// +0 operand the same bits by and / andnot.
Emitted select(const EmittedMask& m, const Emitted& a, const Emitted& b) {
  if (m.known()) return m.on() ? a : b;
  if (a.known() && b.known() && a.ref.bits == b.ref.bits) return a;
  Graph& g = *m.graph;
  if (a.is(kPlusZero)) return {&g, g.node(kV128AndNot, b.ref, m.ref)};
  if (b.is(kPlusZero)) return {&g, g.node(kV128And, a.ref, m.ref)};
  return {&g, g.node(kV128Bitselect, a.ref, b.ref, m.ref, 3)};
}

// WebAssembly's f32x4.pmax, as lanes::pmax: a < b ? b : a. (Adam's amsgrad,
// switched off in the emitted step.)
Emitted pmax(const Emitted& a, const Emitted& b) {
  if (a.known() && b.known()) return a.c() < b.c() ? b : a;
  return emit(kF32x4Pmax, a, b);
}
// x / d for a per-step constant d: as optim::Divisor<float>, a multiply by
// d's reciprocal (which the step's float coefficients hold).
Emitted operator/(const Emitted& x, const optim::Divisor<Emitted>& d) { return x * d.value; }

// ---- the formula: run_block's operations on one vector ------------------------

// The ops lowered here: those whose rules need only + - * /, sqrt, abs and
// comparisons (no libm).
constexpr bool emitted_op(Op op) {
  switch (op) {
    case Op::PushX: case Op::PushY: case Op::PushConst: case Op::Neg: case Op::PowInt:
    case Op::Sqrt: case Op::Abs: case Op::Add: case Op::Sub: case Op::Mul: case Op::Div:
    case Op::Min: case Op::Max:
      return true;
    default: return false;
  }
}

bool supported_op(const LaneInstruction& in) {
  if (in.op == Op::PowInt) return in.arg != INT_MIN;  // arg - 1 must not overflow
  return emitted_op(in.op);
}

// run_block (formula_lanes.h) for one vector of points (x, y): the value and
// the gradient by the same rules (dual.h through apply) and the same fused
// constant forms (with_constant), on emitted values.
Dual<Emitted> run_formula(const LaneProgram& program, const Emitted& x, const Emitted& y) {
  using surfaces::formula::apply;
  using surfaces::formula::operand_count;
  std::vector<Dual<Emitted>> slots(program.slots() + 1);
  const Emitted zero = Emitted::splat(0.0f), one = Emitted::splat(1.0f);
  for (const LaneInstruction& in : program.code()) {
    Dual<Emitted>& r = slots[in.slot];
    surfaces::formula::with_op(in.op, [&]<Op op>() {
      if constexpr (!emitted_op(op)) return;  // not reached: fast_group_supported
      else if constexpr (op == Op::PushX) r = {x, one, zero};
      else if constexpr (op == Op::PushY) r = {y, zero, one};
      else if constexpr (op == Op::PushConst) r = kernels::constant<Emitted>(in.constant);
      else if constexpr (operand_count(op) == 1) r = apply<op>(r, r, in.arg);
      else if (in.operand == Operand::stack) r = apply<op>(r, slots[in.slot + 1], 0);
      else r = kernels::with_constant<op>(in.operand, in.constant, r);
    });
  }
  return slots[0];
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
  Graph g(b, prologue);
  const int U = tile_vectors;
  const std::int32_t tile_points = 4 * U;

  const std::uint32_t i = b.local(kI32), offset = b.local(kI32), s = b.local(kI32),
                      k = b.local(kI32);
  const std::uint32_t grad2 = b.local(kV128), step2 = b.local(kV128);
  // One step's scalars (StepScalars), splatted once per step.
  const std::uint32_t lr = b.local(kV128), beta1 = b.local(kV128),
                      one_minus_beta1 = b.local(kV128), beta2 = b.local(kV128),
                      one_minus_beta2 = b.local(kV128), eps = b.local(kV128),
                      scale2 = b.local(kV128);
  auto in = [&](std::uint32_t local) { return Emitted::in(g, local); };
  std::vector<VectorLocals> v(static_cast<std::size_t>(U));
  for (auto& t : v)
    t = {b.local(kV128), b.local(kV128), b.local(kV128), b.local(kV128), b.local(kV128),
         b.local(kV128), b.local(kV128), b.local(kV128), b.local(kV128), b.local(kV128)};
  const Emitted zero = Emitted::splat(0.0f);

  // `base` + offset (bytes) on the stack: the address of the tile in an array.
  auto address = [&](std::uint32_t base) {
    b.get(base), b.get(offset), b.op(kI32Add);
  };

  // Nothing to do without steps (adam_group_step never asks).
  b.block();
  b.get(pCount), b.i32_const(0), b.op(kI32LeS), b.br_if(0);
  b.get(pGrad2), b.simd(kF32x4Splat), b.set(grad2);
  b.get(pStep2), b.simd(kF32x4Splat), b.set(step2);

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
    g.push(zero.ref), b.set(t.sum);
  }
  b.i32_const(0), b.set(s);
  b.get(pSteps), b.set(k);
  b.block();  // $steps_done
  b.loop();   // $steps
  b.get(s), b.get(pCount), b.op(kI32LtS), b.op(kI32Eqz), b.br_if(1);
  auto splat_field = [&](std::uint32_t into, std::size_t field) {
    b.get(k), b.f32_load(static_cast<std::uint32_t>(field)), b.simd(kF32x4Splat), b.set(into);
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

  // optim::Adam::update itself on emitted values, with the step's
  // coefficients in locals and its switches off (Adam::plain: the fast path
  // runs only where every step is plain), so the kernel is Adam's text.
  using EmittedCoefficients = optim::Adam::Coefficients<Emitted>;
  const Emitted unused = zero;  // the weight decay and AdamW's keep: switched off
  const EmittedCoefficients coefficients = optim::Adam::plain(EmittedCoefficients{
      {{false, false, unused}, {in(beta1), in(one_minus_beta1)}, {in(beta2), in(one_minus_beta2)}},
      in(eps),
      in(lr),
      {in(scale2)},
      unused,
      false,
      false,
      false});
  struct Coordinate {
    Emitted p, m, v;
  };
  auto adam = [&](const Emitted& p, const Emitted& grad, const Emitted& m, const Emitted& v) {
    Coordinate next{p, m, v};
    Emitted state[optim::Adam::kState] = {m, v, zero};
    optim::Adam::update<Emitted, Emitted>(coefficients, next.p, grad, state);
    next.m = state[0];
    next.v = state[1];
    return next;
  };
  for (int u = 0; u < U; ++u) {
    const VectorLocals& t = v[u];
    const Emitted x0 = in(t.x), y0 = in(t.y);
    const Dual<Emitted> e = run_formula(program, x0, y0);
    // adam_group_fast: f, the running sum, the two coordinates, progress.
    const Emitted sum = in(t.sum) + (e.v + e.dx + e.dy);
    const Coordinate cx = adam(x0, e.dx, in(t.mx), in(t.vx));
    const Coordinate cy = adam(y0, e.dy, in(t.my), in(t.vy));
    // progress_vector with every lane on: converged |= |g|^2 <= grad2 and
    // |step|^2 <= step2.
    const Emitted dx = cx.p - x0, dy = cy.p - y0;
    const EmittedMask now = le(e.dx * e.dx + e.dy * e.dy, in(grad2)) & le(dx * dx + dy * dy, in(step2));
    // Everything computed before the locals it reads change.
    for (const Emitted& r : {e.v, sum, cx.p, cx.m, cx.v, cy.p, cy.m, cy.v}) g.local_of(r.ref);
    g.local_of(now.ref);
    g.push(e.v.ref), b.set(t.f);
    g.push(sum.ref), b.set(t.sum);
    // taken -= ~before (counts one).
    b.get(t.taken), b.get(t.conv), b.simd(kV128Not), b.simd(kI32x4Sub), b.set(t.taken);
    b.get(t.conv), g.push(now.ref), b.simd(kV128Or), b.set(t.conv);
    g.push(cx.p.ref), b.set(t.x);
    g.push(cx.m.ref), b.set(t.mx);
    g.push(cx.v.ref), b.set(t.vx);
    g.push(cy.p.ref), b.set(t.y);
    g.push(cy.m.ref), b.set(t.my);
    g.push(cy.v.ref), b.set(t.vy);
  }
  b.get(s), b.i32_const(1), b.op(kI32Add), b.set(s);
  b.get(k), b.i32_const(static_cast<std::int32_t>(sizeof(StepScalars))), b.op(kI32Add), b.set(k);
  b.br(0);
  b.end();  // $steps
  b.end();  // $steps_done

  // x, y and the running sum finite in every lane, else leave the tile as it was.
  for (int u = 0; u < U; ++u) {
    const VectorLocals& t = v[u];
    const Emitted x = in(t.x), y = in(t.y), sum = in(t.sum);
    const Emitted zeros = emit(kF32x4Add, emit(kF32x4Add, emit(kF32x4Sub, x, x), emit(kF32x4Sub, y, y)),
                               emit(kF32x4Sub, sum, sum));
    g.push(eq(zeros, zero).ref), b.simd(kI32x4AllTrue);
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
