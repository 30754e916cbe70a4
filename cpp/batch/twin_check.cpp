#include "batch/twin_check.h"

#include <cstring>
#include <limits>
#include <memory>

#include "batch/batch_run.h"
#include "batch/optimizer_batch.h"
#include "batch/surface_batch.h"
#include "common/error.h"
#include "common/splitmix64.h"
#include "optim/registry.h"

namespace descent::batch {

float seeded_uniform(std::uint64_t seed, std::uint64_t i, double lo, double hi) {
  const double u = unit_open_zero(splitmix64(seed * 0x100000001b3ULL + i * kSplitMix64Gamma));
  return static_cast<float>(lo + (hi - lo) * (1.0 - u));
}

namespace {

std::vector<float> bits_of(const std::vector<std::uint32_t>& v) {
  std::vector<float> out(v.size());
  if (!v.empty()) std::memcpy(out.data(), v.data(), v.size() * sizeof(float));
  return out;
}

}  // namespace

KernelOutputs optimizer_kernel_outputs(const std::string& spec, Twin twin, std::size_t n,
                                       std::uint64_t seed, int steps) {
  BatchOptimizer optimizer(optim::parse_spec(spec));
  const OptimizerKernel kernel = kernel_set(twin).optimizer(optimizer.family());
  std::vector<float> p(n), g(n);
  std::vector<std::uint32_t> live(n);
  for (std::size_t i = 0; i < n; ++i) {
    p[i] = seeded_uniform(seed, i, -3, 3);
    live[i] = seeded_uniform(seed + 1, i, 0, 8) < 1 ? 0u : 0xffffffffu;
  }
  std::vector<std::vector<float>> state(optimizer.state_count(), std::vector<float>(n, 0.0f));
  std::vector<float*> state_ptrs;
  for (auto& s : state) state_ptrs.push_back(s.data());
  for (int s = 0; s < steps; ++s) {
    for (std::size_t i = 0; i < n; ++i) g[i] = seeded_uniform(seed + 2 + s, i, -5, 5);
    const bool masked = s >= steps / 2;
    kernel(optimizer.next_step(masked), n, p.data(), g.data(), state_ptrs.data(),
           masked ? live.data() : nullptr);
  }
  KernelOutputs out;
  out.names.push_back("p");
  out.arrays.push_back(std::move(p));
  const auto& info = optim::find_optimizer(optimizer.id());
  for (std::size_t j = 0; j < state.size(); ++j) {
    out.names.push_back(info.state[j]);
    out.arrays.push_back(std::move(state[j]));
  }
  return out;
}

KernelOutputs surface_kernel_outputs(const std::string& spec, Twin twin, std::size_t n,
                                     std::uint64_t seed) {
  const std::unique_ptr<surfaces::Surface> surface = surfaces::make_surface(spec);
  const SurfaceBatch batch(*surface, kernel_set(twin));
  const surfaces::ViewBox v = surface->view();
  const double wx = (v.x_max - v.x_min) / 4, wy = (v.y_max - v.y_min) / 4;
  std::vector<float> xs(n), ys(n), f(n), gx(n), gy(n);
  constexpr float kSpecial[] = {std::numeric_limits<float>::quiet_NaN(),
                                std::numeric_limits<float>::infinity(), 0.0f, 1e20f, -1e20f};
  for (std::size_t i = 0; i < n; ++i) {
    xs[i] = seeded_uniform(seed, i, v.x_min - wx, v.x_max + wx);
    ys[i] = seeded_uniform(seed + 1, i, v.y_min - wy, v.y_max + wy);
    if (i % 97 == 13) xs[i] = kSpecial[(i / 97) % 5];
    if (i % 89 == 7) ys[i] = kSpecial[(i / 89) % 5];
  }
  batch.evaluate(n, xs.data(), ys.data(), f.data(), gx.data(), gy.data());
  return {{"xs", "ys", "f", "gx", "gy"}, {xs, ys, f, gx, gy}};
}

KernelOutputs fused_kernel_outputs(const std::string& spec, Twin twin, std::size_t n,
                                   std::uint64_t seed) {
  const KernelSet& kernels = kernel_set(twin);
  const std::unique_ptr<surfaces::Surface> surface = surfaces::make_surface(spec);
  const SurfaceBatch batch(*surface, kernels);
  const ScreenedSurfaceKernel screened = kernels.screened_surface(batch.key());
  const GroupStepKernel group = kernels.group_step("adam", batch.key());
  if (screened == nullptr || group == nullptr)
    throw Error("no fused kernels for '" + spec + "' in the " + kernels.isa + " kernel set");
  const surfaces::ViewBox v = surface->view();
  const double wx = (v.x_max - v.x_min) / 4, wy = (v.y_max - v.y_min) / 4;
  constexpr float kSpecial[] = {std::numeric_limits<float>::quiet_NaN(),
                                std::numeric_limits<float>::infinity(), 0.0f, 1e20f, -1e20f};
  std::vector<float> xs(n), ys(n), x0(n), y0(n), gx(n), gy(n), f(n);
  std::vector<std::uint32_t> live(n), converged(n), steps(n);
  for (std::size_t i = 0; i < n; ++i) {
    xs[i] = seeded_uniform(seed, i, v.x_min - wx, v.x_max + wx);
    ys[i] = seeded_uniform(seed + 1, i, v.y_min - wy, v.y_max + wy);
    if (i % 97 == 13) xs[i] = kSpecial[(i / 97) % 5];
    if (i % 89 == 7) ys[i] = kSpecial[(i / 89) % 5];
    // The previous points a small step away, so that some count as converged.
    x0[i] = xs[i] + seeded_uniform(seed + 2, i, -1e-3, 1e-3);
    y0[i] = ys[i] + seeded_uniform(seed + 3, i, -1e-3, 1e-3);
    gx[i] = seeded_uniform(seed + 4, i, -0.5, 0.5);
    gy[i] = seeded_uniform(seed + 5, i, -0.5, 0.5);
    f[i] = seeded_uniform(seed + 6, i, -1, 1);
    live[i] = seeded_uniform(seed + 7, i, 0, 8) < 1 ? 0u : 0xffffffffu;
    converged[i] = seeded_uniform(seed + 8, i, 0, 8) < 1 ? 0xffffffffu : 0u;
    steps[i] = static_cast<std::uint32_t>(seeded_uniform(seed + 9, i, 0, 100));
  }
  KernelOutputs out;
  auto add = [&](const std::string& prefix, const char* name, std::vector<float> values) {
    out.names.push_back(prefix + name);
    out.arrays.push_back(std::move(values));
  };
  const Tolerances tol{0.3f, 1e-3f};
  for (const bool pending : {false, true}) {
    std::vector<float> a0 = x0, b0 = y0, ga = gx, gb = gy, fa = f;
    std::vector<std::uint32_t> la = live, ca = converged, sa = steps;
    screened(batch.args(), n, xs.data(), ys.data(), a0.data(), b0.data(), ga.data(), gb.data(),
             la.data(), fa.data(), pending ? &tol : nullptr, ca.data(), sa.data());
    const std::string prefix = pending ? "pending_" : "screened_";
    add(prefix, "x0", a0);
    add(prefix, "y0", b0);
    add(prefix, "gx", ga);
    add(prefix, "gy", gb);
    add(prefix, "f", fa);
    add(prefix, "live", bits_of(la));
    if (pending) {
      add(prefix, "converged", bits_of(ca));
      add(prefix, "steps", bits_of(sa));
    }
  }
  BatchOptimizer adam(optim::parse_spec("adam:lr=0.05"));
  std::vector<StepScalars> group_steps;
  for (int s = 0; s < 5; ++s) group_steps.push_back(adam.next_step(true));
  std::vector<std::vector<float>> state(6, std::vector<float>(n, 0.0f));
  float* state_x[] = {state[0].data(), state[1].data(), state[2].data()};
  float* state_y[] = {state[3].data(), state[4].data(), state[5].data()};
  group(batch.args(), group_steps.data(), static_cast<int>(group_steps.size()), tol, n, xs.data(),
        ys.data(), state_x, state_y, live.data(), f.data(), converged.data(), steps.data());
  add("group_", "xs", xs);
  add("group_", "ys", ys);
  add("group_", "f", f);
  add("group_", "live", bits_of(live));
  add("group_", "converged", bits_of(converged));
  add("group_", "steps", bits_of(steps));
  // Adam's m and v for x (0, 1) and y (3, 4); amsgrad's buffers stay unused.
  for (const std::size_t j : {0u, 1u, 3u, 4u})
    add("group_", ("state" + std::to_string(j)).c_str(), state[j]);
  return out;
}

KernelOutputs run_outputs(const std::string& surface, const std::string& optimizer, Twin twin,
                          std::size_t n, int steps, std::uint64_t seed) {
  std::shared_ptr<const surfaces::Surface> s = surfaces::make_surface(surface);
  BatchRun run(s, optim::parse_spec(optimizer), n, kernel_set(twin));
  const surfaces::ViewBox v = s->view();
  std::vector<float> xs(n), ys(n);
  for (std::size_t i = 0; i < n; ++i) {
    xs[i] = seeded_uniform(seed, i, v.x_min, v.x_max);
    ys[i] = seeded_uniform(seed + 1, i, v.y_min, v.y_max);
  }
  run.set_starts(xs, ys);
  run.step(steps);
  auto copy = [](auto span) { return std::vector<float>(span.begin(), span.end()); };
  auto bits = [](auto span) {
    return bits_of(std::vector<std::uint32_t>(span.begin(), span.end()));
  };
  KernelOutputs out{{"xs", "ys", "f", "live", "converged", "steps"},
                    {copy(run.xs()), copy(run.ys()), copy(run.values()), bits(run.live()),
                     bits(run.converged()), bits(run.steps())}};
  for (std::size_t j = 0; j < run.state_count(); ++j) {
    out.names.push_back("state" + std::to_string(j));
    out.arrays.push_back(copy(run.state(j)));
  }
  return out;
}

std::vector<std::string> kernel_variant_specs() {
  std::vector<std::string> specs;
  auto add_if_valid = [&](const std::string& spec) {
    try {
      optim::parse_spec(spec);
      specs.push_back(spec);
      return true;
    } catch (const Error&) {
      return false;
    }
  };
  for (const auto& info : optim::registry()) {
    specs.push_back(info.id);
    for (const auto& p : info.params) {
      if (p.scale == optim::Scale::Bool) {
        const std::string on = info.id + ":" + p.key + "=" + (p.default_value != 0 ? "false" : "true");
        if (!add_if_valid(on)) add_if_valid(info.id + ":momentum=0.5," + p.key + "=true");
      } else if (p.default_value == 0.0 && p.key != "dampening") {
        add_if_valid(info.id + ":" + p.key + "=0.05");  // weight decay, momentum, lr_decay, ...
      }
    }
  }
  for (const char* mix : {"rmsprop:centered=true,momentum=0.9,eps_inside_root=true,weight_decay=0.1",
                          "adam:amsgrad=true,eps_inside_root=true,weight_decay=0.1,maximize=true",
                          "adamw:amsgrad=true,eps_inside_root=true,maximize=true",
                          "momentum:dampening=0.5,weight_decay=0.1,maximize=true",
                          "adagrad:initial_accumulator_value=0.1,lr_decay=0.1,eps_inside_root=true"})
    add_if_valid(mix);
  return specs;
}

}  // namespace descent::batch
