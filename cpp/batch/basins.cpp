#include "batch/basins.h"

namespace descent::batch {

std::vector<std::int32_t> classify_basins(const BatchRun& run,
                                          const std::vector<surfaces::Point>& minima,
                                          double radius) {
  const auto xs = run.xs(), ys = run.ys();
  const auto live = run.live();
  std::vector<std::int32_t> out(run.size(), kNotConverged);
  for (std::size_t i = 0; i < run.size(); ++i) {
    if (live[i] == 0) {
      out[i] = kDiverged;
      continue;
    }
    double best = radius * radius;
    for (std::size_t m = 0; m < minima.size(); ++m) {
      const double dx = xs[i] - minima[m].x, dy = ys[i] - minima[m].y;
      const double d2 = dx * dx + dy * dy;
      if (d2 <= best) {
        best = d2;
        out[i] = static_cast<std::int32_t>(m);
      }
    }
  }
  return out;
}

std::vector<surfaces::Point> known_minima(const surfaces::Surface& surface) {
  std::vector<surfaces::Point> out;
  for (const auto& m : surface.minima()) out.push_back(m.at);
  for (const auto& m : surface.local_minima()) out.push_back(m.at);
  return out;
}

}  // namespace descent::batch
