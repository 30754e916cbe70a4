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

// One vector of the screen: a lane stays live while x, y, f_new, gx and gy are
// all finite (x - x is 0 exactly for finite x, and a NaN or inf in any of them
// makes the sum NaN); f takes f_new where still live.
template <class V>
DESCENT_LANE_INLINE void screen_vector(V x, V y, V fv, V ax, V ay, std::uint32_t* l, float* fo) {
  const V zeros = (x - x) + (y - y) + (fv - fv) + (ax - ax) + (ay - ay);
  const auto ok = load_mask_of<V>(l) & eq(zeros, V::splat(0.0f));
  store_mask(l, ok);
  store(fo, select(ok, fv, V::load(fo)));
}

template <class V>
void screen(std::size_t n, const float* xs, const float* ys, const float* f_new, const float* gx,
            const float* gy, std::uint32_t* live, float* f) {
  tiles<V, 2>(
      n,
      [](const float* x, const float* y, const float* fn, const float* ax, const float* ay,
         std::uint32_t* l, float* fo) {
        screen_vector<V>(V::load(x), V::load(y), V::load(fn), V::load(ax), V::load(ay), l, fo);
      },
      xs, ys, f_new, gx, gy, live, f);
}

// One vector of progress.
template <class V>
DESCENT_LANE_INLINE void progress_vector(float grad2, float step2, V x0, V y0, V x1, V y1, V gxv,
                                         V gyv, const std::uint32_t* l, std::uint32_t* conv,
                                         std::uint32_t* st) {
  const auto on = load_mask_of<V>(l);
  const auto before = load_mask_of<V>(conv);
  count_where(st, on & ~before);
  const V dx = x1 - x0, dy = y1 - y0;
  const auto now = on & le(gxv * gxv + gyv * gyv, V::splat(grad2)) &
                   le(dx * dx + dy * dy, V::splat(step2));
  store_mask(conv, before | now);
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
        progress_vector<V>(grad2, step2, V::load(a), V::load(b), V::load(c), V::load(d),
                           V::load(ax), V::load(ay), l, conv, st);
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

// [progress,] builtin_surface, the copy of the points and screen in one pass.
template <class V, class S>
void screened_builtin_surface(const SurfaceArgs& a, std::size_t n, const float* xs,
                              const float* ys, float* x0, float* y0, float* gx, float* gy,
                              std::uint32_t* live, float* f, const Tolerances* pending,
                              std::uint32_t* converged, std::uint32_t* steps) {
  auto eval = [&](V xv, V yv, float* x0o, float* y0o, float* gxo, float* gyo, std::uint32_t* l,
                  float* fo) {
    const Eval<V> e = S::template at<V>(xv, yv, a.params);
    store(x0o, xv);
    store(y0o, yv);
    store(gxo, e.dx);
    store(gyo, e.dy);
    screen_vector<V>(xv, yv, e.f, e.dx, e.dy, l, fo);
  };
  if (pending == nullptr) {
    tiles<V, 2>(
        n,
        [&](const float* x, const float* y, float* x0o, float* y0o, float* gxo, float* gyo,
            std::uint32_t* l, float* fo) { eval(V::load(x), V::load(y), x0o, y0o, gxo, gyo, l, fo); },
        xs, ys, x0, y0, gx, gy, live, f);
    return;
  }
  const float grad2 = pending->grad * pending->grad, step2 = pending->step * pending->step;
  tiles<V, 2>(
      n,
      [&](const float* x, const float* y, float* x0o, float* y0o, float* gxo, float* gyo,
          std::uint32_t* l, float* fo, std::uint32_t* conv, std::uint32_t* st) {
        const V xv = V::load(x), yv = V::load(y);
        progress_vector<V>(grad2, step2, V::load(x0o), V::load(y0o), xv, yv, V::load(gxo),
                           V::load(gyo), l, conv, st);
        eval(xv, yv, x0o, y0o, gxo, gyo, l, fo);
      },
      xs, ys, x0, y0, gx, gy, live, f, converged, steps);
}

// [progress,] formula_surface a block at a time, then the copy and the screen
// on the block while it is in L1.
template <class V>
void screened_formula_surface(const SurfaceArgs& a, std::size_t n, const float* xs,
                              const float* ys, float* x0, float* y0, float* gx, float* gy,
                              std::uint32_t* live, float* f, const Tolerances* pending,
                              std::uint32_t* converged, std::uint32_t* steps) {
  if (n == 0) return;
  constexpr int L = V::kLanes, B = kFormulaBlock;
  std::vector<Dual<V>> stack(a.program->slots() * B);
  auto block = [&](const float* x, const float* y, float* x0o, float* y0o, float* gxo, float* gyo,
                   std::uint32_t* l, float* fo) {
    alignas(16) float fn[L * B];
    run_block<V>(*a.program, stack.data(), x, y, fn, gxo, gyo);
    for (int j = 0; j < B; ++j) {
      const V xv = V::load(x + j * L), yv = V::load(y + j * L);
      store(x0o + j * L, xv);
      store(y0o + j * L, yv);
      screen_vector<V>(xv, yv, V::load(fn + j * L), V::load(gxo + j * L), V::load(gyo + j * L),
                       l + j * L, fo + j * L);
    }
  };
  if (pending == nullptr) {
    for_each_tile<static_cast<std::size_t>(L) * B>(n, block, xs, ys, x0, y0, gx, gy, live, f);
    return;
  }
  const float grad2 = pending->grad * pending->grad, step2 = pending->step * pending->step;
  for_each_tile<static_cast<std::size_t>(L) * B>(
      n,
      [&](const float* x, const float* y, float* x0o, float* y0o, float* gxo, float* gyo,
          std::uint32_t* l, float* fo, std::uint32_t* conv, std::uint32_t* st) {
        for (int j = 0; j < B; ++j)
          progress_vector<V>(grad2, step2, V::load(x0o + j * L), V::load(y0o + j * L),
                             V::load(x + j * L), V::load(y + j * L), V::load(gxo + j * L),
                             V::load(gyo + j * L), l + j * L, conv + j * L, st + j * L);
        block(x, y, x0o, y0o, gxo, gyo, l, fo);
      },
      xs, ys, x0, y0, gx, gy, live, f, converged, steps);
}

template <class... S>
struct SurfaceList {
  template <class V>
  static void add(KernelSet& set, const std::string& suffix) {
    (set.surfaces.push_back({std::string("surface_") + S::id + suffix, S::id,
                             &builtin_surface<V, S>}),
     ...);
    (set.screened_surfaces.push_back({std::string("screened_surface_") + S::id + suffix, S::id,
                                      &screened_builtin_surface<V, S>}),
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
  set.screened_surfaces.push_back({"screened_surface_formula_f32_" + isa + "_u" +
                                       std::to_string(V::kLanes * kFormulaBlock),
                                   "formula", &screened_formula_surface<V>});
  set.screen = {"screen" + suffix, "screen", &screen<V>};
  set.progress = {"progress" + suffix, "progress", &progress<V>};
  return set;
}

}  // namespace descent::batch::kernels
