// The twins this program links, the dispatcher, and the names.
#include "batch/kernels.h"

#include "common/error.h"
#include "lanes/simd128.h"

// Every twin compiled, but only the default one in the page's module
// (DESCENT_DEFAULT_TWIN_ONLY, CMakeLists.txt: descent_batch_default_twin),
// which runs nothing else; the Node tests' module keeps both to compare them.
#if DESCENT_SIMD128 && defined(DESCENT_DEFAULT_TWIN_ONLY)
#define DESCENT_SCALAR_TWIN 0
#else
#define DESCENT_SCALAR_TWIN 1
#endif

namespace descent::batch {

#if DESCENT_SCALAR_TWIN
KernelSet make_scalar_kernels();  // kernels_scalar.cpp
#endif
#if DESCENT_SIMD128
KernelSet make_wasm_simd128_kernels();  // kernels_wasm_simd128.cpp
#endif

namespace {
constexpr const char* kTwinNames[] = {"scalar", "wasm_simd128"};
}  // namespace

std::string twin_name(Twin t) { return kTwinNames[static_cast<int>(t)]; }

Twin parse_twin(const std::string& text) {
  if (text == "scalar") return Twin::scalar;
  if (text == "wasm_simd128") return Twin::wasm_simd128;
  throw Error("kernel twin expects scalar|wasm_simd128, got '" + text + "'");
}

OptimizerKernel KernelSet::optimizer(std::size_t family) const {
  if (family >= optimizers.size())
    throw Error("no optimizer family " + std::to_string(family) + " in the " + isa + " kernel set");
  return optimizers[family].fn;
}

SurfaceKernel KernelSet::surface(const std::string& key) const {
  for (const auto& k : surfaces)
    if (k.key == key) return k.fn;
  return nullptr;
}

ScreenedSurfaceKernel KernelSet::screened_surface(const std::string& key) const {
  for (const auto& k : screened_surfaces)
    if (k.key == key) return k.fn;
  return nullptr;
}

GroupStepKernel KernelSet::group_step(const std::string& family,
                                      const std::string& surface_key) const {
  const std::string key = family + "/" + surface_key;
  for (const auto& k : group_steps)
    if (k.key == key) return k.fn;
  return nullptr;
}

const KernelSet& kernel_set(Twin twin) {
#if DESCENT_SCALAR_TWIN
  if (twin == Twin::scalar) {
    static const KernelSet scalar = make_scalar_kernels();
    return scalar;
  }
#endif
#if DESCENT_SIMD128
  if (twin == Twin::wasm_simd128) {
    static const KernelSet simd = make_wasm_simd128_kernels();
    return simd;
  }
#endif
  throw Error(twin == Twin::scalar
                  ? "scalar kernels are not in this module: the page's module links only the twin it runs"
                  : "wasm_simd128 kernels need the SIMD build (descent-simd)");
}

// The widest twin linked.
Twin default_twin() { return available_twins().back(); }

const KernelSet& default_kernels() { return kernel_set(default_twin()); }

std::vector<Twin> available_twins() {
  std::vector<Twin> twins;
#if DESCENT_SCALAR_TWIN
  twins.push_back(Twin::scalar);
#endif
#if DESCENT_SIMD128
  twins.push_back(Twin::wasm_simd128);
#endif
  return twins;
}

}  // namespace descent::batch
