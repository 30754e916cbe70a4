#include "batch/surface_batch.h"

#include <algorithm>

#include "surfaces/builtin.h"
#include "surfaces/formula/compile.h"
#include "surfaces/formula_surface.h"

namespace descent::batch {

SurfaceBatch::SurfaceBatch(const surfaces::Surface& surface, const KernelSet& kernels) {
  const auto* typed = dynamic_cast<const surfaces::FormulaSurface*>(&surface);
  const auto* built_in = dynamic_cast<const surfaces::BuiltinSurface*>(&surface);
  const surfaces::BuiltinDefinition* builtin = built_in ? &built_in->definition() : nullptr;
  if (builtin && kernels.surface(builtin->id)) {
    kernel_ = kernels.surface(builtin->id);
    screened_ = kernels.screened_surface(builtin->id);
    for (const double v : built_in->values()) params_.push_back(static_cast<float>(v));
    key_ = builtin->id;
    for (const auto& k : kernels.surfaces)
      if (k.key == builtin->id) name_ = k.name;
  } else {
    program_ = std::make_unique<LaneProgram>(
        typed ? typed->program() : surfaces::formula::compile_formula(surface.formula()));
    key_ = "formula";
    kernel_ = kernels.surface("formula");
    screened_ = kernels.screened_surface("formula");
    for (const auto& k : kernels.surfaces)
      if (k.key == "formula") name_ = k.name;
  }
  args_ = {params_.data(), program_.get()};
  wasm_simd_ = kernels.isa == "wasm_simd128";
}

SurfaceBatch::~SurfaceBatch() {
  if (args_.fast != nullptr && release_ != nullptr) release_(args_.fast);
}

// Only the wasm_simd128 twin runs it (the scalar twin stays the reference), and
// only where the host registered a loader; a module the host fails to load
// leaves the interpreter in place.
void SurfaceBatch::load_fast_kernel() const {
  fast_tried_ = true;
  const FastKernelLoader load = fast_kernel_loader();
  if (program_ == nullptr || !wasm_simd_ || load == nullptr) return;
  const std::vector<std::uint8_t> bytes = fast_group_module(*program_);
  if (bytes.empty()) return;
  args_.fast = load(bytes.data(), bytes.size());
  release_ = fast_kernel_release();
}

std::vector<float> heat_map(const surfaces::Surface& surface, const surfaces::ViewBox& box,
                            std::size_t nx, std::size_t ny, const KernelSet& kernels) {
  const SurfaceBatch batch(surface, kernels);
  std::vector<float> out(nx * ny), xs(nx), ys(nx), gx(nx), gy(nx);
  for (std::size_t i = 0; i < nx; ++i)
    xs[i] = static_cast<float>(box.x_min + (box.x_max - box.x_min) * (i + 0.5) / nx);
  for (std::size_t row = 0; row < ny; ++row) {
    const float y = static_cast<float>(box.y_max - (box.y_max - box.y_min) * (row + 0.5) / ny);
    std::fill(ys.begin(), ys.end(), y);
    batch.evaluate(nx, xs.data(), ys.data(), out.data() + row * nx, gx.data(), gy.data());
  }
  return out;
}

}  // namespace descent::batch
