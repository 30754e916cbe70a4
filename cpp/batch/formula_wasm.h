// A typed formula's fast group step compiled at run time to WebAssembly SIMD:
// the whole of adam_group_fast (kernel_set_body.h) for one LaneProgram, with
// the formula inlined and everything in locals, as a small module that imports
// the main module's memory. The core only emits the bytes; turning them into a
// callable FastGroupKernel is the host's job (cpp/bindings/fast_kernel_loader.cpp
// registers a loader in the SIMD build), so everything here builds and is
// tested natively.
//
// The generated code is the interpreter's text: formula_wasm.cpp's Emitted is
// a lane type whose operations append SIMD instructions, and the kernel is
// surfaces/formula/dual.h's rules (through execute.h's apply and
// formula_lanes.h's with_constant) and optim::Adam::update in its plain form
// instantiated with it; only adam_group_fast's loop, loads, stores and
// progress test are written out here. So a tile it completes has the same bits
// as the scalar twin. It folds only what is exact: an operand known
// at compile time (PushX's dx = 1, a constant's zero tangents) is computed in
// C++ with the same float operation, a select on a known mask takes its side
// (scale(slope, d) with d a known 0 or 1), and x * 1, x / 1, x - (+0),
// x + (-0) (never x + (+0): -0 + +0 is +0). Values nothing reads are never
// emitted.
//
// Ops without libm calls only: PushX, PushY, PushConst, Neg, PowInt, Add, Sub,
// Mul, Div, Sqrt, Abs, Min, Max. A program with any other op gets no module.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "batch/kernels.h"

namespace descent::batch {

class LaneProgram;  // formula_lanes.h

// Vectors of 4 lanes a generated kernel steps side by side (a tile is 4 times
// as many points). In V8 (Node 20, the particle benchmark on Rosenbrock's
// formula) 2 gave ~240-280 M particle-steps/s, 4 ~230-280 M with twice the
// code, 1 ~170-185 M: two independent dependency chains overlap, more spill.
inline constexpr int kFastTileVectors = 2;

// True when every op of `program` has a lowering here.
bool fast_group_supported(const LaneProgram& program);

// A complete WebAssembly module (binary format) importing ("env", "memory")
// and exporting "run", the FastGroupKernel for `program` as wasm32 lowers it:
// (i32 steps, i32 count, f32 grad2, f32 step2, i32 n, i32 xs, i32 ys, i32 mxs,
// i32 vxs, i32 mys, i32 vys, i32 live, i32 f, i32 converged, i32 steps_taken)
// -> i32. Empty when the program is not supported. The same program always
// gives the same bytes.
std::vector<std::uint8_t> fast_group_module(const LaneProgram& program,
                                            int tile_vectors = kFastTileVectors);

// The host's hook: compile and instantiate a module's bytes and return its
// "run" as a callable kernel (null on any failure); release it again when the
// surface goes. Registered once at start-up (null: no fast kernels).
using FastKernelLoader = FastGroupKernel (*)(const std::uint8_t* bytes, std::size_t size);
using FastKernelRelease = void (*)(FastGroupKernel kernel);
void set_fast_kernel_loader(FastKernelLoader load, FastKernelRelease release);
FastKernelLoader fast_kernel_loader();
FastKernelRelease fast_kernel_release();

}  // namespace descent::batch
