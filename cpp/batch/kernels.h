// The batch kernels: float32 structure-of-arrays kernels for thousands of
// points at once, each as a scalar twin and a wasm_simd128 twin with one
// signature (XNNPACK style), named `<op>_f32_<isa>_u<elements per iteration>`:
//
//   <family>_step     one optimizer step over n parameters (per method of
//                     optim::Methods, families.h: its update rule on lanes)
//   surface_<id>      value and gradient of a built-in surface at n points
//   surface_formula   the same for a typed formula: its compiled program run
//                     over blocks of lanes (formula_lanes.h)
//   screened_surface_<id>, screened_surface_formula
//                     BatchRun's fused pass per chunk: the previous step's
//                     progress (optional), the surface, the copy of the old
//                     points and the screen, with the same bits as those in turn
//   <method>_group_step_<id>, <method>_group_step_formula
//                     BatchRun's fast path for a method's plain form: a group
//                     of whole steps per point while it is in registers
//   screen            marks points whose point, value or gradient is not finite
//   progress          convergence test and steps-taken counters
//
// Both twins are one body (kernel_set_body.h) instantiated with a scalar lane
// type and a SIMD one, doing the same IEEE operations in the same order with
// FMA contraction off, so they agree bit for bit (tests/node/batch.test.mjs in
// WebAssembly, tests/native/batch/twins_test.cpp natively). The SIMD twin is
// written in WebAssembly's SIMD intrinsics (lanes/simd128.h): compiled as such
// in the -msimd128 module, and natively through SIMDe (SSE/AVX/NEON) where the
// build has DESCENT_NATIVE_SIMD; default_kernels() picks it wherever it exists.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace descent::batch {

class LaneProgram;  // formula_lanes.h

enum class Twin { scalar, wasm_simd128 };

// Bits of StepScalars::flags.
enum StepFlag : unsigned {
  kMasked = 1,  // honour the live mask (frozen lanes keep their bits)
  kPlain = 2,   // the method's plain form (e.g. Adam::is_plain): its fused group step may run
};

// One step's scalars: the method's Coefficients<float> (update_kernel.h),
// computed in double once per step and rounded to float.
struct StepScalars {
  unsigned flags = 0;
  alignas(8) unsigned char coefficients[64] = {};
};

// p[0..n) one step against g[0..n); state[j][0..n) the method's buffers in the
// registry's order; live[0..n) (may be null without kMasked) 0 for frozen lanes.
using OptimizerKernel = void (*)(const StepScalars& k, std::size_t n, float* p, const float* g,
                                 float* const* state, const std::uint32_t* live);

// A group step's fast path compiled at run time for one surface (a typed
// formula turned into WebAssembly SIMD: formula_wasm.h), for Adam's plain
// form: `count` steps on whole tiles of points from the start, each tile while
// all its lanes are live; stops at the first tile where a value turns
// non-finite (leaving it untouched) or where too few points remain, and
// returns the points done. The same bits as the screened path
// (kernel_set_body.h: adam_group_fast is the reference). grad2 and step2 are
// the squared tolerances.
using FastGroupKernel = std::size_t (*)(const StepScalars* steps, int count, float grad2,
                                        float step2, std::size_t n, float* xs, float* ys,
                                        float* mxs, float* vxs, float* mys, float* vys,
                                        const std::uint32_t* live, float* f,
                                        std::uint32_t* converged, std::uint32_t* steps_taken);

// What a surface kernel reads besides the points: a built-in's parameter
// values, or a typed formula's lane program and, where one was compiled, its
// fast group step.
struct SurfaceArgs {
  const float* params = nullptr;
  const LaneProgram* program = nullptr;
  FastGroupKernel fast = nullptr;
};

// f, gx, gy at (xs[i], ys[i]), i < n.
using SurfaceKernel = void (*)(const SurfaceArgs& a, std::size_t n, const float* xs,
                               const float* ys, float* f, float* gx, float* gy);

// live[i] &= every one of xs, ys, f_new, gx, gy finite; f[i] = f_new[i] where
// still live (a frozen lane keeps its last finite value).
using ScreenKernel = void (*)(std::size_t n, const float* xs, const float* ys, const float* f_new,
                              const float* gx, const float* gy, std::uint32_t* live, float* f);

// After a step from (x0, y0) to (x1, y1) with gradient (gx, gy): steps[i] += 1
// for live lanes not yet converged; converged[i] becomes all ones once a live
// lane has |g| <= grad_tol and |step| <= step_tol.
struct Tolerances {
  float grad = 1e-3f;
  float step = 1e-4f;
};
using ProgressKernel = void (*)(const Tolerances& tol, std::size_t n, const float* x0,
                                const float* y0, const float* x1, const float* y1,
                                const float* gx, const float* gy, const std::uint32_t* live,
                                std::uint32_t* converged, std::uint32_t* steps);

// One chunk of a BatchRun step before the optimizer: the surface kernel, the
// screen and the copy of the old points fused into one pass, so the value never
// leaves registers: x0, y0 = xs, ys; gx, gy the gradient; live and f as the
// screen leaves them for f_new the value at (xs[i], ys[i]). With `pending`
// (else null, and converged, steps unused) the previous step's progress kernel
// runs first in the same pass, on x0, y0, gx, gy as they come in and xs, ys as
// the new points. The same bits as progress, surface kernel and screen in turn.
using ScreenedSurfaceKernel = void (*)(const SurfaceArgs& a, std::size_t n, const float* xs,
                                       const float* ys, float* x0, float* y0, float* gx,
                                       float* gy, std::uint32_t* live, float* f,
                                       const Tolerances* pending, std::uint32_t* converged,
                                       std::uint32_t* steps);

// BatchRun's fast path: `count` whole steps of one method's plain form (every
// steps[s].flags == kMasked: no variant bits) on n points, each point taking
// all of them while it is in registers: per step the surface, the screen (f,
// live), the optimizer on x and y against the gradient (state_x, state_y its
// buffers for the x and y parts) and the progress (converged, counters). The
// same bits as the ScreenedSurfaceKernel, two OptimizerKernel calls and the
// progress kernel per step (tests/native/batch/run_test.cpp).
using GroupStepKernel = void (*)(const SurfaceArgs& a, const StepScalars* steps, int count,
                                 const Tolerances& tol, std::size_t n, float* xs, float* ys,
                                 float* const* state_x, float* const* state_y,
                                 std::uint32_t* live, float* f, std::uint32_t* converged,
                                 std::uint32_t* steps_taken);

template <class Fn>
struct Named {
  std::string name;  // `adam_step_f32_scalar_u8`
  std::string key;   // what it serves: a Method's name, a built-in id, ...
  Fn fn;
};

// One twin's kernels: the one list tests, engine and benchmark iterate.
struct KernelSet {
  std::string isa;  // scalar | wasm_simd128 | native (the benchmark's own)
  std::vector<Named<OptimizerKernel>> optimizers;  // in Families order; key: the family's name
  std::vector<Named<SurfaceKernel>> surfaces;      // key: built-in id, or "formula"
  std::vector<Named<ScreenedSurfaceKernel>> screened_surfaces;  // keys as surfaces
  // key: `<method>/<surface key>`, e.g. `adam/rosenbrock`, `adam/formula`
  std::vector<Named<GroupStepKernel>> group_steps;
  Named<ScreenKernel> screen;
  Named<ProgressKernel> progress;

  OptimizerKernel optimizer(std::size_t family) const;  // an index into Families
  // The dedicated kernel for a built-in id, or null (then the formula runs).
  SurfaceKernel surface(const std::string& key) const;
  // The fused surface + screen kernel for the same key, or null.
  ScreenedSurfaceKernel screened_surface(const std::string& key) const;
  // The fused group-step kernel for a family (`adam`) on a surface key, or null.
  GroupStepKernel group_step(const std::string& family, const std::string& surface_key) const;
};

std::string twin_name(Twin t);      // `scalar`, `wasm_simd128`
Twin parse_twin(const std::string& text);  // throws descent::Error listing the choices

// The twins this program links: every one compiled (wasm_simd128 with -msimd128
// or DESCENT_NATIVE_SIMD), except in the page's module, which links only the
// default one (kernels.cpp).
const KernelSet& kernel_set(Twin twin);  // throws if this program lacks the twin
const KernelSet& default_kernels();      // wasm_simd128 where compiled in, else scalar
Twin default_twin();
std::vector<Twin> available_twins();

}  // namespace descent::batch
