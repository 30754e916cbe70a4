// One twin's kernel list from the kernel bodies, for a lane type V with
// Unroll vectors per tile: kernels_scalar.cpp instantiates it with
// Lanes<float, 4>, kernels_wasm_simd128.cpp with V128<float>, and the
// benchmark with its own native build. Every kernel is named here, once.
#pragma once

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "batch/families.h"
#include "batch/formula_lanes.h"
#include "batch/kernels.h"
#include "batch/surface_kernels.h"
#include "batch/update_kernel.h"
#include "optim/adam.h"

namespace descent::batch::kernels {

// One vector of the screen: a lane stays live while x, y, f_new, gx and gy are
// all finite (x - x is 0 exactly for finite x, and a NaN or inf in any of them
// makes the sum NaN); f takes f_new where still live.
// Returns the new mask.
template <class V>
DESCENT_INLINE typename V::Mask screen_vector(V x, V y, V fv, V ax, V ay, std::uint32_t* l,
                                                   float* fo) {
  const V zeros = (x - x) + (y - y) + (fv - fv) + (ax - ax) + (ay - ay);
  const auto ok = load_mask_of<V>(l) & eq(zeros, V::splat(0.0f));
  store_mask(l, ok);
  store(fo, select(ok, fv, V::load(fo)));
  return ok;
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

// The convergence part of progress_vector: conv becomes all ones where `on`
// and |g|^2 <= grad2 and |step|^2 <= step2.
template <class V>
DESCENT_INLINE void converge_vector(float grad2, float step2, V x0, V y0, V x1, V y1, V gxv,
                                         V gyv, typename V::Mask on, std::uint32_t* conv) {
  const V dx = x1 - x0, dy = y1 - y0;
  const auto now = on & le(gxv * gxv + gyv * gyv, V::splat(grad2)) &
                   le(dx * dx + dy * dy, V::splat(step2));
  store_mask(conv, load_mask_of<V>(conv) | now);
}

// One vector of progress; `on` the live mask.
template <class V>
DESCENT_INLINE void progress_vector(float grad2, float step2, V x0, V y0, V x1, V y1, V gxv,
                                         V gyv, typename V::Mask on, std::uint32_t* conv,
                                         std::uint32_t* st) {
  count_where(st, on & ~load_mask_of<V>(conv));
  converge_vector<V>(grad2, step2, x0, y0, x1, y1, gxv, gyv, on, conv);
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
                           V::load(ax), V::load(ay), load_mask_of<V>(l), conv, st);
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
        store(gxo, e.dfdx);
        store(gyo, e.dfdy);
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
    store(gxo, e.dfdx);
    store(gyo, e.dfdy);
    screen_vector<V>(xv, yv, e.f, e.dfdx, e.dfdy, l, fo);
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
                           V::load(gyo), load_mask_of<V>(l), conv, st);
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
                             V::load(gyo + j * L), load_mask_of<V>(l + j * L), conv + j * L,
                             st + j * L);
        block(x, y, x0o, y0o, gxo, gyo, l, fo);
      },
      xs, ys, x0, y0, gx, gy, live, f, converged, steps);
}

// ---- fused group steps (GroupStepKernel) ------------------------------------
//
// Each point takes the whole group of steps with its position and the
// optimizer's state in registers. Two paths with the same bits: the fast one
// (adam_group_fast) for tiles whose lanes are all live and stay finite, with
// no screen or masks, and the screened one (adam_group_screened) for the rest,
// where live, f and the counters pass through screen_vector and
// progress_vector as in the unfused passes. U vectors per tile are stepped
// side by side (kGroupVectors below). Only Adam's plain form has one for now:
// the particle cloud's default.

// Vectors a built-in's group-step kernel steps side by side: a step is a long
// chain of dependent operations (sqrt, division), and two independent chains
// let the CPU overlap them (4 and 8 measured no faster in V8, with more spills).
// The formula's group steps go a block (kFormulaBlock) at a time.
inline constexpr int kGroupVectors = 2;

// Value and gradient of U vectors of points: a built-in's dedicated kernel.
template <class S>
struct BuiltinTile {
  template <class V, int U>
  struct Evaluator {
    const SurfaceArgs& a;
    Dual<V>* stack;  // unused
    DESCENT_INLINE void operator()(const V* x, const V* y, kernels::Eval<V>* out) const {
      for (int u = 0; u < U; ++u) out[u] = S::template at<V>(x[u], y[u], a.params);
    }
  };
};

// The same through a typed formula's lane program: one block of U vectors.
struct FormulaTile {
  template <class V, int U>
  struct Evaluator {
    static_assert(U == kFormulaBlock);
    const SurfaceArgs& a;
    Dual<V>* stack;
    DESCENT_INLINE void operator()(const V* x, const V* y, kernels::Eval<V>* out) const {
      constexpr int L = V::kLanes;
      alignas(16) float xb[L * U], yb[L * U], fb[L * U], gxb[L * U], gyb[L * U];
      for (int u = 0; u < U; ++u) {
        store(xb + u * L, x[u]);
        store(yb + u * L, y[u]);
      }
      run_block<V>(*a.program, stack, xb, yb, fb, gxb, gyb);
      for (int u = 0; u < U; ++u)
        out[u] = {V::load(fb + u * L), V::load(gxb + u * L), V::load(gyb + u * L)};
    }
  };
};

// Adam's plain form (optim::Adam::is_plain) on one coordinate: its update
// rule, masked. Masked is false when every lane is live (the selects would
// keep every new value).
using AdamCoefficients = optim::Adam::Coefficients<float>;

// Step s's coefficients with the switches known off, so the compiler drops
// their branches (the group steps run only where every step is plain).
DESCENT_INLINE AdamCoefficients plain_adam(const StepScalars& k) {
  return optim::Adam::plain(load_coefficients<optim::Adam>(k));
}

template <class V, bool Masked>
DESCENT_INLINE void adam_plain(const AdamCoefficients& c, typename V::Mask on, V& p, V g,
                                    V& m, V& v) {
  V state[optim::Adam::kState] = {m, v, V::splat(0.0f)};
  V next = p;
  optim::Adam::update<V, float>(c, next, g, state);
  if constexpr (Masked) {
    m = select(on, state[0], m);
    v = select(on, state[1], v);
    p = select(on, next, p);
  } else {
    m = state[0];
    v = state[1];
    p = next;
  }
}

// The screened group step on n points (any n: the tail is padded): every
// step screens each lane and masks frozen ones. adam_group_step's slow path.
template <class V, int U, class Evaluator>
void adam_group_screened(const Evaluator& eval, const StepScalars* steps, int count, float grad2,
                         float step2, std::size_t n, float* xs, float* ys, float* mxs, float* vxs,
                         float* mys, float* vys, std::uint32_t* live, float* f,
                         std::uint32_t* converged, std::uint32_t* steps_taken) {
  constexpr int L = V::kLanes;
  for_each_tile<static_cast<std::size_t>(L) * U>(
      n,
      [&](float* xp, float* yp, float* mxp, float* vxp, float* myp, float* vyp, std::uint32_t* l,
          float* fo, std::uint32_t* conv, std::uint32_t* st) {
        V x[U], y[U], mx[U], vx[U], my[U], vy[U];
        for (int u = 0; u < U; ++u) {
          x[u] = V::load(xp + u * L);
          y[u] = V::load(yp + u * L);
          mx[u] = V::load(mxp + u * L);
          vx[u] = V::load(vxp + u * L);
          my[u] = V::load(myp + u * L);
          vy[u] = V::load(vyp + u * L);
        }
        for (int s = 0; s < count; ++s) {
          const AdamCoefficients k = plain_adam(steps[s]);
          Eval<V> e[U];
          eval(x, y, e);
          for (int u = 0; u < U; ++u) {
            const auto on =
                screen_vector<V>(x[u], y[u], e[u].f, e[u].dfdx, e[u].dfdy, l + u * L, fo + u * L);
            const V x0 = x[u], y0 = y[u];
            if (all_on(on)) {  // no frozen lane to keep
              adam_plain<V, false>(k, on, x[u], e[u].dfdx, mx[u], vx[u]);
              adam_plain<V, false>(k, on, y[u], e[u].dfdy, my[u], vy[u]);
            } else {
              adam_plain<V, true>(k, on, x[u], e[u].dfdx, mx[u], vx[u]);
              adam_plain<V, true>(k, on, y[u], e[u].dfdy, my[u], vy[u]);
            }
            progress_vector<V>(grad2, step2, x0, y0, x[u], y[u], e[u].dfdx, e[u].dfdy, on,
                               conv + u * L, st + u * L);
          }
        }
        for (int u = 0; u < U; ++u) {
          store(xp + u * L, x[u]);
          store(yp + u * L, y[u]);
          store(mxp + u * L, mx[u]);
          store(vxp + u * L, vx[u]);
          store(myp + u * L, my[u]);
          store(vyp + u * L, vy[u]);
        }
      },
      xs, ys, mxs, vxs, mys, vys, live, f, converged, steps_taken);
}

// The fast path (FastGroupKernel's contract, which a run-time compiled kernel
// also keeps): whole tiles of U vectors from the start, each while all its
// lanes are live, with no screen and no masks: a running sum of f + gx + gy
// per lane, checked with x and y after the last step, catches any non-finite
// value (a NaN or inf makes the sum non-finite; a sum that merely overflows
// only sends a tile down the slow path). A tile that fails is left untouched
// and ends the run: the return value is the points done. Where no lane fails,
// the same operations as adam_group_screened with every lane on, so the same
// bits.
template <class V, int U, class Evaluator>
std::size_t adam_group_fast(const Evaluator& eval, const StepScalars* steps, int count,
                            float grad2, float step2, std::size_t n, float* xs, float* ys,
                            float* mxs, float* vxs, float* mys, float* vys,
                            const std::uint32_t* live, float* f, std::uint32_t* converged,
                            std::uint32_t* steps_taken) {
  constexpr int L = V::kLanes;
  constexpr std::size_t T = static_cast<std::size_t>(L) * U;
  const V zero = V::splat(0.0f);
  const auto on = eq(zero, zero);  // every lane
  // A gradient component above `near` rules out |g|^2 <= grad2 after rounding
  // (g*g rounds to more than 4 * grad2, or to at least 2^-140 > grad2), so
  // the convergence test can be skipped in the common case.
  const V near = V::splat(static_cast<float>(2.0 * std::sqrt(static_cast<double>(grad2)) + 0x1p-70));
  std::size_t i = 0;
  for (; i + T <= n; i += T) {
    bool all_live = true;
    for (int u = 0; u < U; ++u) all_live = all_live && all_on(load_mask_of<V>(live + i + u * L));
    if (!all_live) break;
    // The progress goes to copies, kept only if the tile passes.
    alignas(16) std::uint32_t conv[T], taken[T];
    std::memcpy(conv, converged + i, sizeof conv);
    std::memcpy(taken, steps_taken + i, sizeof taken);
    V x[U], y[U], mx[U], vx[U], my[U], vy[U], fv[U], sum[U];
    for (int u = 0; u < U; ++u) {
      const std::size_t j = i + static_cast<std::size_t>(u * L);
      x[u] = V::load(xs + j);
      y[u] = V::load(ys + j);
      mx[u] = V::load(mxs + j);
      vx[u] = V::load(vxs + j);
      my[u] = V::load(mys + j);
      vy[u] = V::load(vys + j);
      fv[u] = V::load(f + j);  // kept as it is by a group of no steps
      sum[u] = zero;
    }
    for (int s = 0; s < count; ++s) {
      const AdamCoefficients k = plain_adam(steps[s]);
      Eval<V> e[U];
      eval(x, y, e);
      for (int u = 0; u < U; ++u) {
        fv[u] = e[u].f;
        sum[u] = sum[u] + ((e[u].f + e[u].dfdx) + e[u].dfdy);
        const V x0 = x[u], y0 = y[u];
        adam_plain<V, false>(k, on, x[u], e[u].dfdx, mx[u], vx[u]);
        adam_plain<V, false>(k, on, y[u], e[u].dfdy, my[u], vy[u]);
        // progress_vector's outcome, its exact test only where a lane could pass.
        const auto before = load_mask_of<V>(conv + u * L);
        count_where(taken + u * L, ~before);
        const auto maybe = ~before & le(abs(e[u].dfdx), near) & le(abs(e[u].dfdy), near);
        if (any_on(maybe))
          converge_vector<V>(grad2, step2, x0, y0, x[u], y[u], e[u].dfdx, e[u].dfdy, maybe,
                             conv + u * L);
      }
    }
    bool finite_all = true;
    for (int u = 0; u < U; ++u)
      finite_all = finite_all && all_on(eq((x[u] - x[u]) + (y[u] - y[u]) + (sum[u] - sum[u]), zero));
    if (!finite_all) break;
    std::memcpy(converged + i, conv, sizeof conv);
    std::memcpy(steps_taken + i, taken, sizeof taken);
    for (int u = 0; u < U; ++u) {
      const std::size_t j = i + static_cast<std::size_t>(u * L);
      store(xs + j, x[u]);
      store(ys + j, y[u]);
      store(mxs + j, mx[u]);
      store(vxs + j, vx[u]);
      store(mys + j, my[u]);
      store(vys + j, vy[u]);
      store(f + j, fv[u]);
    }
  }
  return i;
}

// The GroupStepKernel: the fast path (the surface's run-time compiled kernel
// where it has one, else adam_group_fast) until a tile fails, that tile
// through the screened path, and on.
template <class V, int U, class Tile>
void adam_group_step(const SurfaceArgs& a, const StepScalars* steps, int count,
                     const Tolerances& tol, std::size_t n, float* xs, float* ys,
                     float* const* state_x, float* const* state_y, std::uint32_t* live, float* f,
                     std::uint32_t* converged, std::uint32_t* steps_taken) {
  if (n == 0 || count <= 0) return;
  constexpr std::size_t T = static_cast<std::size_t>(V::kLanes) * U;
  const float grad2 = tol.grad * tol.grad, step2 = tol.step * tol.step;
  std::vector<Dual<V>> stack;  // the formula's slots (built-ins need none)
  if (a.program != nullptr) stack.resize(a.program->slots() * kFormulaBlock);
  const typename Tile::template Evaluator<V, U> eval{a, stack.data()};
  float *mxs = state_x[0], *vxs = state_x[1], *mys = state_y[0], *vys = state_y[1];
  for (std::size_t i = 0; i < n;) {
    i += a.fast != nullptr
             ? a.fast(steps, count, grad2, step2, n - i, xs + i, ys + i, mxs + i, vxs + i,
                      mys + i, vys + i, live + i, f + i, converged + i, steps_taken + i)
             : adam_group_fast<V, U>(eval, steps, count, grad2, step2, n - i, xs + i, ys + i,
                                     mxs + i, vxs + i, mys + i, vys + i, live + i, f + i,
                                     converged + i, steps_taken + i);
    if (i == n) break;
    const std::size_t m = std::min(T, n - i);
    adam_group_screened<V, U>(eval, steps, count, grad2, step2, m, xs + i, ys + i, mxs + i,
                              vxs + i, mys + i, vys + i, live + i, f + i, converged + i,
                              steps_taken + i);
    i += m;
  }
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
  template <class V>
  static void add_group_steps(KernelSet& set, const std::string& suffix) {
    (set.group_steps.push_back({std::string("adam_group_step_") + S::id + suffix,
                                std::string("adam/") + S::id,
                                &adam_group_step<V, kGroupVectors, BuiltinTile<S>>}),
     ...);
  }
};

template <class V, int Unroll>
KernelSet make_kernel_set(const std::string& isa) {
  constexpr int kTile = V::kLanes * Unroll;
  const std::string suffix = "_f32_" + isa + "_u" + std::to_string(kTile);
  KernelSet set;
  set.isa = isa;
  Families::each([&]<class F>(std::size_t) {
    set.optimizers.push_back({std::string(F::name) + "_step" + suffix, F::name,
                              F::template kernel<V, Unroll>});
  });
  AllSurfaces<SurfaceList>::template add<V>(set, suffix);
  set.surfaces.push_back({"surface_formula_f32_" + isa + "_u" +
                              std::to_string(V::kLanes * kFormulaBlock),
                          "formula", &formula_surface<V>});
  set.screened_surfaces.push_back({"screened_surface_formula_f32_" + isa + "_u" +
                                       std::to_string(V::kLanes * kFormulaBlock),
                                   "formula", &screened_formula_surface<V>});
  AllSurfaces<SurfaceList>::template add_group_steps<V>(
      set, "_f32_" + isa + "_u" + std::to_string(V::kLanes * kGroupVectors));
  set.group_steps.push_back({"adam_group_step_formula_f32_" + isa + "_u" +
                                 std::to_string(V::kLanes * kFormulaBlock),
                             "adam/formula", &adam_group_step<V, kFormulaBlock, FormulaTile>});
  set.screen = {"screen" + suffix, "screen", &screen<V>};
  set.progress = {"progress" + suffix, "progress", &progress<V>};
  return set;
}

}  // namespace descent::batch::kernels
