#include "batch/basins.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

#include "common/error.h"

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

namespace {

struct Cluster {
  double seed_x, seed_y;
  surfaces::Minimum lowest;
  std::size_t count;
};

// Cells of side `radius`: a seed within radius of a point lies in the point's
// cell or one of its 8 neighbours.
// Far-out cells share the clamped edge cells: only the bucketing gets coarser.
std::int64_t cell_of(double v, double radius) {
  return static_cast<std::int64_t>(std::clamp(std::floor(v / radius), -1e9, 1e9));
}
std::int64_t cell_key(std::int64_t cx, std::int64_t cy) { return cx * 4294967311LL + cy; }

}  // namespace

EndPoints end_points(const BatchRun& run) {
  return {run.xs(), run.ys(), run.values(), run.live(), run.converged()};
}

std::vector<surfaces::Minimum> find_minima(std::span<const BatchRun* const> runs,
                                           const MinimaSearch& search) {
  std::vector<EndPoints> ends;
  ends.reserve(runs.size());
  for (const BatchRun* run : runs) ends.push_back(end_points(*run));
  return find_minima(std::span<const EndPoints>(ends), search);
}

std::vector<surfaces::Minimum> find_minima(std::span<const EndPoints> runs, const MinimaSearch& search) {
  if (!(search.radius > 0) || !std::isfinite(search.radius))
    throw Error("find minima: the radius must be a positive number, got " + format_number(search.radius));
  if (!(search.min_share >= 0 && search.min_share <= 1))
    throw Error("find minima: the minimum share must be in 0..1, got " + format_number(search.min_share));
  const double r2 = search.radius * search.radius;
  std::vector<Cluster> clusters;
  std::unordered_map<std::int64_t, std::vector<std::size_t>> cells;  // cell -> clusters seeded there
  std::size_t converged = 0;
  for (const EndPoints& run : runs) {
    const auto &xs = run.xs, &ys = run.ys, &fs = run.values;
    const auto &live = run.live, &done = run.converged;
    const std::size_t n = xs.size();
    if (ys.size() != n || fs.size() != n || live.size() != n || done.size() != n)
      throw Error("find minima: a run's x, y, f, live and converged arrays differ in length");
    for (std::size_t i = 0; i < n; ++i) {
      if (live[i] == 0 || done[i] == 0) continue;
      const double x = xs[i], y = ys[i], f = fs[i];
      if (!std::isfinite(x) || !std::isfinite(y) || !std::isfinite(f)) continue;
      ++converged;
      const auto cx = cell_of(x, search.radius);
      const auto cy = cell_of(y, search.radius);
      std::size_t first = clusters.size();  // the earliest cluster in reach
      for (std::int64_t dx = -1; dx <= 1; ++dx)
        for (std::int64_t dy = -1; dy <= 1; ++dy) {
          const auto it = cells.find(cell_key(cx + dx, cy + dy));
          if (it == cells.end()) continue;
          for (std::size_t c : it->second) {
            if (c >= first) break;  // each cell's list is in creation order
            const double ex = x - clusters[c].seed_x, ey = y - clusters[c].seed_y;
            if (ex * ex + ey * ey <= r2) first = c;
          }
        }
      if (first == clusters.size()) {
        cells[cell_key(cx, cy)].push_back(clusters.size());
        clusters.push_back({x, y, {{x, y}, f}, 1});
        continue;
      }
      Cluster& c = clusters[first];
      ++c.count;
      if (f < c.lowest.f) c.lowest = {{x, y}, f};
    }
  }
  const auto needed = std::max<std::size_t>(
      search.min_points, static_cast<std::size_t>(std::ceil(search.min_share * static_cast<double>(converged))));
  std::vector<surfaces::Minimum> out;
  for (const auto& c : clusters)
    if (c.count >= needed) out.push_back(c.lowest);
  std::sort(out.begin(), out.end(), [](const surfaces::Minimum& a, const surfaces::Minimum& b) {
    if (a.f != b.f) return a.f < b.f;
    if (a.at.x != b.at.x) return a.at.x < b.at.x;
    return a.at.y < b.at.y;
  });
  if (out.size() > search.max_minima) out.resize(search.max_minima);
  return out;
}

std::vector<surfaces::Point> points_of(const std::vector<surfaces::Minimum>& minima) {
  std::vector<surfaces::Point> out;
  out.reserve(minima.size());
  for (const auto& m : minima) out.push_back(m.at);
  return out;
}

}  // namespace descent::batch
