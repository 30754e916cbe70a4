// WebAssembly's 128-bit SIMD intrinsics (wasm_simd128.h: v128_t, wasm_f32x4_add,
// ...) on every target, so the SIMD twins are one body everywhere:
//   - building for WebAssembly with -msimd128: the compiler's own header;
//   - natively with DESCENT_NATIVE_SIMD (CMake, when libsimde-dev is installed):
//     SIMDe's implementation of the same intrinsics on SSE2/AVX/NEON. Every
//     intrinsic the kernels use maps to an instruction that rounds each lane as
//     the WebAssembly one does (add, sub, mul, div, sqrt, min with WebAssembly's
//     pmin argument order, compare, convert, bit logic), and SIMDE_FAST_MATH
//     stays off, so the native SIMD twin gives the scalar twin's bits too
//     (tests/native/batch/twins_test.cpp checks it).
// DESCENT_SIMD128 is 1 where one of them is available, else 0.
#pragma once

#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#define DESCENT_SIMD128 1
#elif defined(DESCENT_NATIVE_SIMD)
#define SIMDE_ENABLE_NATIVE_ALIASES
#include <simde/wasm/simd128.h>
#define DESCENT_SIMD128 1
#else
#define DESCENT_SIMD128 0
#endif
