// One twin's kernel list from the kernel bodies, for a lane type V with
// Unroll vectors per tile: kernels_scalar.cpp instantiates it with
// Lanes<float, 4>, kernels_wasm_simd128.cpp with V128<float>, and the
// benchmark with its own native build. Every kernel is named here, once.
#pragma once

#include <string>

#include "batch/formula_lanes.h"
#include "batch/kernels.h"
#include "batch/optimizer_kernels.h"
#include "batch/surface_kernels.h"

namespace descent::batch::kernels {

template <class V>
void screen(std::size_t n, const float* xs, const float* ys, const float* f_new, const float* gx,
            const float* gy, std::uint32_t* live, float* f) {
  tiles<V, 2>(
      n,
      [](const float* x, const float* y, const float* fn, const float* ax, const float* ay,
         std::uint32_t* l, float* fo) {
        const V fv = V::load(fn);
        const auto ok = load_mask_of<V>(l) & finite(V::load(x)) & finite(V::load(y)) & finite(fv) &
                        finite(V::load(ax)) & finite(V::load(ay));
        store_mask(l, ok);
        store(fo, select(ok, fv, V::load(fo)));
      },
      xs, ys, f_new, gx, gy, live, f);
}

template <class V>
void progress(const Tolerances& tol, std::size_t n, const float* x0, const float* y0,
              const float* x1, const float* y1, const float* gx, const float* gy,
              const std::uint32_t* live, std::uint32_t* converged, std::uint32_t* steps) {
  const float grad2 = tol.grad * tol.grad, step2 = tol.step * tol.step;
  tiles<V, 2>(
      n,
      [&](const float* a, const float* b, const float* c, const float* d, const float* ax,
          const float* ay, const std::uint32_t* l, std::uint32_t* conv, std::uint32_t* st) {
        const auto on = load_mask_of<V>(l);
        const auto before = load_mask_of<V>(conv);
        count_where(st, on & ~before);
        const V dx = V::load(c) - V::load(a), dy = V::load(d) - V::load(b);
        const V gxv = V::load(ax), gyv = V::load(ay);
        const auto now = on & le(gxv * gxv + gyv * gyv, V::splat(grad2)) &
                         le(dx * dx + dy * dy, V::splat(step2));
        store_mask(conv, before | now);
      },
      x0, y0, x1, y1, gx, gy, live, converged, steps);
}

template <class V, class S>
void builtin_surface(const SurfaceArgs& a, std::size_t n, const float* xs, const float* ys,
                     float* f, float* gx, float* gy) {
  tiles<V, 2>(
      n,
      [&](const float* x, const float* y, float* fo, float* gxo, float* gyo) {
        const Eval<V> e = S::template at<V>(V::load(x), V::load(y), a.params);
        store(fo, e.f);
        store(gxo, e.dx);
        store(gyo, e.dy);
      },
      xs, ys, f, gx, gy);
}

template <class... S>
struct SurfaceList {
  template <class V>
  static void add(KernelSet& set, const std::string& suffix) {
    (set.surfaces.push_back({std::string("surface_") + S::id + suffix, S::id,
                             &builtin_surface<V, S>}),
     ...);
  }
};

template <class V, int Unroll>
KernelSet make_kernel_set(const std::string& isa) {
  constexpr int kTile = V::kLanes * Unroll;
  const std::string suffix = "_f32_" + isa + "_u" + std::to_string(kTile);
  KernelSet set;
  set.isa = isa;
  auto add = [&](Method m, OptimizerKernel fn) {
    set.optimizers.push_back({method_name(m) + "_step" + suffix, method_name(m), fn});
  };
  add(Method::sgd, &sgd_step<V, Unroll>);
  add(Method::adagrad, &adagrad_step<V, Unroll>);
  add(Method::rmsprop, &rmsprop_step<V, Unroll>);
  add(Method::adam, &adam_step<V, Unroll>);
  add(Method::nadam, &nadam_step<V, Unroll>);
  add(Method::radam, &radam_step<V, Unroll>);
  add(Method::adamax, &adamax_step<V, Unroll>);
  add(Method::adadelta, &adadelta_step<V, Unroll>);
  add(Method::lion, &lion_step<V, Unroll>);
  AllSurfaces<SurfaceList>::template add<V>(set, suffix);
  set.surfaces.push_back({"surface_formula_f32_" + isa + "_u" +
                              std::to_string(V::kLanes * kFormulaBlock),
                          "formula", &formula_surface<V>});
  set.screen = {"screen" + suffix, "screen", &screen<V>};
  set.progress = {"progress" + suffix, "progress", &progress<V>};
  return set;
}

}  // namespace descent::batch::kernels
