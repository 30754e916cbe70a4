// The wasm_simd128 twins: the kernel body over V128<T>, one instruction for
// all lanes. Compiled only with -msimd128 (the `descent-simd` module);
// elsewhere this file is empty.
#include "lanes/simd128.h"

#if DESCENT_SIMD128

#include "models/batch_kernel_body.h"
#include "models/batch_kernels.h"
#include "lanes/lane_wasm_simd128.h"

namespace descent::models {

DESCENT_DEFINE_LOSS_GRAD_KERNELS(wasm_simd128, lanes::V128<float>, lanes::V128<double>)

}  // namespace descent::models

#endif  // DESCENT_SIMD128
