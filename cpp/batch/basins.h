// Which minimum each point of a batch run ended in: the basin map's colours.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "batch/batch_run.h"
#include "surfaces/surface.h"

namespace descent::batch {

inline constexpr std::int32_t kNotConverged = -1;  // near none of the minima
inline constexpr std::int32_t kDiverged = -2;

// Per point: the index in `minima` of the nearest minimum within `radius` of
// its final position, else kNotConverged; kDiverged for frozen points.
std::vector<std::int32_t> classify_basins(const BatchRun& run,
                                          const std::vector<surfaces::Point>& minima,
                                          double radius);

// The surface's global then local minima, the list classify_basins takes.
std::vector<surfaces::Point> known_minima(const surfaces::Surface& surface);

// How find_minima clusters end points. A cluster must hold at least
// max(min_points, min_share of all converged points) so that a few stray
// stops (a saddle, a plateau's edge) do not get a colour of their own.
struct MinimaSearch {
  double radius = 0.05;         // a point joins the first cluster whose seed is this near
  double min_share = 0.002;     // of the converged points, over all runs
  std::size_t min_points = 3;
  std::size_t max_minima = 12;  // the lowest ones are kept
};

// Where a run's points stopped, as find_minima reads them: views of a
// BatchRun's arrays (end_points), or of copies gathered from several runs that
// computed bands of one grid (the page's worker pool), in the grid's order.
struct EndPoints {
  std::span<const float> xs, ys, values;
  std::span<const std::uint32_t> live, converged;  // all ones or 0, as BatchRun's
};
EndPoints end_points(const BatchRun& run);

// Minima discovered from where runs stopped, for surfaces without a list (a
// typed formula). Takes the converged, live points of all `runs` in order and
// clusters them greedily: a point joins the first cluster (in creation order)
// whose seed, its first member, lies within `radius`, else seeds a new one.
// Returns each large enough cluster's lowest member (position and f), sorted
// by f ascending (ties by x, then y), at most max_minima of them; empty when
// nothing converged. Several runs share one list, so their colours agree.
// Seeds are bucketed in radius-sized cells, so a point looks only at the
// clusters around it: O(points x nearby clusters), even when converged points
// cover a plateau.
std::vector<surfaces::Minimum> find_minima(std::span<const EndPoints> runs, const MinimaSearch& search);
std::vector<surfaces::Minimum> find_minima(std::span<const BatchRun* const> runs,
                                           const MinimaSearch& search);

// The positions of `minima`, the list classify_basins takes.
std::vector<surfaces::Point> points_of(const std::vector<surfaces::Minimum>& minima);

}  // namespace descent::batch
