// The scalar twins: the kernel body over Lanes<T, N>, lane by lane, with as
// many lanes as a v128 holds. Built with the auto-vectorizers off
// (cpp/models/CMakeLists.txt), so under -msimd128 it stays the scalar
// reference the SIMD twins are checked and timed against.
#include "models/batch_kernel_body.h"
#include "models/batch_kernels.h"
#include "lanes/lane_scalar.h"

namespace descent::models {

using F32Lanes = lanes::Lanes<float, 4>;
using F64Lanes = lanes::Lanes<double, 2>;
DESCENT_DEFINE_LOSS_GRAD_KERNELS(scalar, F32Lanes, F64Lanes)

}  // namespace descent::models
