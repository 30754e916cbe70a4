#include "batch/bench_workloads.h"

#include <chrono>
#include <memory>
#include <vector>

#include "batch/batch_run.h"
#include "batch/optimizer_batch.h"
#include "batch/surface_batch.h"
#include "batch/twin_check.h"

namespace descent::batch {

namespace {

template <class F>
double seconds(F&& work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

double time_optimizer_update(const KernelSet& kernels, const std::string& spec, std::size_t n,
                             int steps) {
  BatchOptimizer optimizer(optim::parse_spec(spec));
  const OptimizerKernel kernel = kernels.optimizer(optimizer.family());
  std::vector<float> p(n), g(n);
  for (std::size_t i = 0; i < n; ++i) {
    p[i] = seeded_uniform(1, i, -1, 1);
    g[i] = seeded_uniform(2, i, -1, 1);
  }
  std::vector<std::vector<float>> buffers(optimizer.state_count(), std::vector<float>(n, 0.0f));
  std::vector<float*> state;
  for (auto& b : buffers) state.push_back(b.data());
  kernel(optimizer.next_step(false), n, p.data(), g.data(), state.data(), nullptr);  // warm the pages
  return seconds([&] {
    for (int s = 0; s < steps; ++s)
      kernel(optimizer.next_step(false), n, p.data(), g.data(), state.data(), nullptr);
  });
}

double time_particles(const KernelSet& kernels, const std::string& surface,
                      const std::string& optimizer, std::size_t n, int steps) {
  std::shared_ptr<const surfaces::Surface> s = surfaces::make_surface(surface);
  BatchRun run(s, optim::parse_spec(optimizer), n, kernels);
  const surfaces::ViewBox v = s->view();
  std::vector<float> xs(n), ys(n);
  for (std::size_t i = 0; i < n; ++i) {
    xs[i] = seeded_uniform(3, i, v.x_min, v.x_max);
    ys[i] = seeded_uniform(4, i, v.y_min, v.y_max);
  }
  run.set_starts(xs, ys);
  return seconds([&] { run.step(steps); });
}

double time_heat_map(const KernelSet& kernels, const std::string& surface, std::size_t nx,
                     std::size_t ny, int reps) {
  const std::unique_ptr<surfaces::Surface> s = surfaces::make_surface(surface);
  return seconds([&] {
    for (int r = 0; r < reps; ++r) heat_map(*s, s->view(), nx, ny, kernels);
  });
}

}  // namespace descent::batch
