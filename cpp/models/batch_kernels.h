// Loss and gradient of a two-parameter model summed over a batch of samples:
// the hot loop of mini-batch training, as scalar and wasm_simd128 twins.
//
// Naming after XNNPACK: loss_grad_<model>_<type>_<isa>. Twins of one type
// share a signature:
//   (n, xs, ys, w, b, sums): sums[0..2] = sum over the n samples of the loss
//   term, the d/dw term and the d/db term (model.h turns them into the mean
//   loss and gradient). n may be 0 (all sums +0).
// Both twins are the one body of batch_kernel_body.h instantiated with a
// scalar lane type and a SIMD one, so they add in the same order and agree bit
// for bit (tests/node/models.test.mjs checks it on the SIMD module; the build
// keeps FMA contraction off and the scalar twin un-vectorized).
//
// The SIMD twins exist in the -msimd128 build (`descent-simd`) and in native
// builds with DESCENT_NATIVE_SIMD (SIMDe, lanes/simd128.h), where the
// dispatcher (default_twin) picks them; other builds use the scalar twins.
// All builds compute the same bits.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "lanes/simd128.h"

namespace descent::models {

enum class Model { linear, logistic };
enum class Precision { f32, f64 };
enum class Twin { scalar, wasm_simd128 };

using LossGradF32 = void (*)(std::size_t n, const float* xs, const float* ys, float w, float b,
                             float* sums);
using LossGradF64 = void (*)(std::size_t n, const double* xs, const double* ys, double w,
                             double b, double* sums);

void loss_grad_linear_f32_scalar(std::size_t n, const float* xs, const float* ys, float w, float b,
                                 float* sums);
void loss_grad_linear_f64_scalar(std::size_t n, const double* xs, const double* ys, double w,
                                 double b, double* sums);
void loss_grad_logistic_f32_scalar(std::size_t n, const float* xs, const float* ys, float w,
                                   float b, float* sums);
void loss_grad_logistic_f64_scalar(std::size_t n, const double* xs, const double* ys, double w,
                                   double b, double* sums);
#if DESCENT_SIMD128
void loss_grad_linear_f32_wasm_simd128(std::size_t n, const float* xs, const float* ys, float w,
                                       float b, float* sums);
void loss_grad_linear_f64_wasm_simd128(std::size_t n, const double* xs, const double* ys,
                                       double w, double b, double* sums);
void loss_grad_logistic_f32_wasm_simd128(std::size_t n, const float* xs, const float* ys, float w,
                                         float b, float* sums);
void loss_grad_logistic_f64_wasm_simd128(std::size_t n, const double* xs, const double* ys,
                                         double w, double b, double* sums);
#endif

// One entry of the kernel list; exactly one of f32, f64 is set.
struct BatchKernel {
  std::string name;  // `loss_grad_linear_f32_scalar`
  Model model;
  Precision precision;
  Twin twin;
  LossGradF32 f32;
  LossGradF64 f64;
};

// Every kernel this program links (every one compiled, but in the page's
// module only the default twin's): the list tests and benchmarks iterate.
const std::vector<BatchKernel>& batch_kernels();

// wasm_simd128 in the SIMD build, scalar otherwise.
Twin default_twin();

// The kernel for (model, precision, twin); throws descent::Error when this
// program lacks it (`wasm_simd128 kernels need the SIMD build`).
const BatchKernel& find_kernel(Model model, Precision precision, Twin twin);

// A batch's samples in both precisions; a kernel reads only its own.
struct Samples {
  std::span<const float> xs32, ys32;
  std::span<const double> xs64, ys64;
  std::size_t size() const { return xs64.empty() ? xs32.size() : xs64.size(); }
};

// The kernel's three sums over `samples` at (w, b) (in float32, w and b are
// rounded to float first), widened exactly to double.
std::array<double, 3> sum_terms(const BatchKernel& kernel, const Samples& samples, double w,
                                double b);

// Names for messages, the CLI and the bindings: linear|logistic, f32|f64,
// scalar|wasm_simd128. The parsers throw descent::Error listing the choices.
std::string model_name(Model model);
std::string precision_name(Precision precision);
std::string twin_name(Twin twin);
Model parse_model(const std::string& text);
Precision parse_precision(const std::string& text);
Twin parse_twin(const std::string& text);

}  // namespace descent::models
