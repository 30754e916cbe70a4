// Which minimum each point of a batch run ended in: the basin map's colours.
#pragma once

#include <cstdint>
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

}  // namespace descent::batch
