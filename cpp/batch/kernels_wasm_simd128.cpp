// The wasm_simd128 twins: the kernel bodies over V128<float>, one instruction
// for four lanes, two vectors per tile. Compiled only with -msimd128 (the
// `descent-simd` module); elsewhere this file is empty.
#include "lanes/simd128.h"

#if DESCENT_SIMD128

#include "batch/kernel_set_body.h"

namespace descent::batch {

KernelSet make_wasm_simd128_kernels() {
  return kernels::make_kernel_set<lanes::F32x4, 2>("wasm_simd128");
}

}  // namespace descent::batch

#endif  // DESCENT_SIMD128
