// The scalar twins: the kernel bodies over Lanes<float, 4>, lane by lane, two
// vectors per tile. Built with the auto-vectorizers off (CMakeLists.txt), so
// under -msimd128 it stays the scalar reference the SIMD twins are checked and
// timed against.
#include "batch/kernel_set_body.h"

namespace descent::batch {

KernelSet make_scalar_kernels() {
  return kernels::make_kernel_set<lanes::Lanes<float, 4>, 2>("scalar");
}

}  // namespace descent::batch
