// The kernel list, the dispatcher, and the enum names.
#include "models/batch_kernels.h"

#include "common/error.h"

// Every twin compiled, but only the default one in the page's module
// (DESCENT_DEFAULT_TWIN_ONLY, CMakeLists.txt: descent_models_default_twin),
// which runs nothing else; the Node tests' module keeps both to compare them.
#if DESCENT_SIMD128 && defined(DESCENT_DEFAULT_TWIN_ONLY)
#define DESCENT_SCALAR_TWIN 0
#else
#define DESCENT_SCALAR_TWIN 1
#endif

namespace descent::models {

const std::vector<BatchKernel>& batch_kernels() {
  static const std::vector<BatchKernel> list = {
#if DESCENT_SCALAR_TWIN
      {"loss_grad_linear_f32_scalar", Model::linear, Precision::f32, Twin::scalar,
       &loss_grad_linear_f32_scalar, nullptr},
      {"loss_grad_linear_f64_scalar", Model::linear, Precision::f64, Twin::scalar, nullptr,
       &loss_grad_linear_f64_scalar},
      {"loss_grad_logistic_f32_scalar", Model::logistic, Precision::f32, Twin::scalar,
       &loss_grad_logistic_f32_scalar, nullptr},
      {"loss_grad_logistic_f64_scalar", Model::logistic, Precision::f64, Twin::scalar, nullptr,
       &loss_grad_logistic_f64_scalar},
#endif
#if DESCENT_SIMD128
      {"loss_grad_linear_f32_wasm_simd128", Model::linear, Precision::f32, Twin::wasm_simd128,
       &loss_grad_linear_f32_wasm_simd128, nullptr},
      {"loss_grad_linear_f64_wasm_simd128", Model::linear, Precision::f64, Twin::wasm_simd128,
       nullptr, &loss_grad_linear_f64_wasm_simd128},
      {"loss_grad_logistic_f32_wasm_simd128", Model::logistic, Precision::f32, Twin::wasm_simd128,
       &loss_grad_logistic_f32_wasm_simd128, nullptr},
      {"loss_grad_logistic_f64_wasm_simd128", Model::logistic, Precision::f64, Twin::wasm_simd128,
       nullptr, &loss_grad_logistic_f64_wasm_simd128},
#endif
  };
  return list;
}

Twin default_twin() {
#if DESCENT_SIMD128
  return Twin::wasm_simd128;
#else
  return Twin::scalar;
#endif
}

const BatchKernel& find_kernel(Model model, Precision precision, Twin twin) {
  for (const auto& k : batch_kernels())
    if (k.model == model && k.precision == precision && k.twin == twin) return k;
  throw Error(twin == Twin::scalar
                  ? "scalar kernels are not in this module: the page's module links only the twin it runs"
                  : "wasm_simd128 kernels need the SIMD build (descent-simd)");
}

std::array<double, 3> sum_terms(const BatchKernel& kernel, const Samples& samples, double w,
                                double b) {
  if (kernel.precision == Precision::f32) {
    float sums[3];
    kernel.f32(samples.xs32.size(), samples.xs32.data(), samples.ys32.data(),
               static_cast<float>(w), static_cast<float>(b), sums);
    return {sums[0], sums[1], sums[2]};
  }
  double sums[3];
  kernel.f64(samples.xs64.size(), samples.xs64.data(), samples.ys64.data(), w, b, sums);
  return {sums[0], sums[1], sums[2]};
}

namespace {

// `text` as one of `names` (indexed by the enum), or an error listing them.
template <class Enum, std::size_t K>
Enum parse_choice(const char* what, const std::string& text, const char* const (&names)[K]) {
  std::string known;
  for (std::size_t i = 0; i < K; ++i) {
    if (text == names[i]) return static_cast<Enum>(i);
    known += (i ? "|" : "") + std::string(names[i]);
  }
  throw Error(std::string(what) + " expects " + known + ", got '" + text + "'");
}

constexpr const char* kModelNames[] = {"linear", "logistic"};
constexpr const char* kPrecisionNames[] = {"f32", "f64"};
constexpr const char* kTwinNames[] = {"scalar", "wasm_simd128"};

}  // namespace

std::string model_name(Model model) { return kModelNames[static_cast<int>(model)]; }
std::string precision_name(Precision precision) {
  return kPrecisionNames[static_cast<int>(precision)];
}
std::string twin_name(Twin twin) { return kTwinNames[static_cast<int>(twin)]; }
Model parse_model(const std::string& text) { return parse_choice<Model>("model", text, kModelNames); }
Precision parse_precision(const std::string& text) {
  return parse_choice<Precision>("precision", text, kPrecisionNames);
}
Twin parse_twin(const std::string& text) { return parse_choice<Twin>("kernel twin", text, kTwinNames); }

}  // namespace descent::models
