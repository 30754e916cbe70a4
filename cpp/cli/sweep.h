// `descent sweep`: one optimizer over a grid of hyperparameter values, one run
// per cell in double precision (each cell is exactly `descent run` of that
// cell's spec), one row per cell with the chosen metric.
//
//   descent sweep --surface S [--start X,Y] --optimizer SPEC --vary KEY=LO:HI:N[:log]
//                 [--vary KEY2=...] --steps K [--metric final|best|steps:TOL]
//                 [--format csv|json] [--best]
//
// The grid, the cells and the metrics are session/sweep.h's (the explore
// page's hyperparameter map computes its cells there too); nan values are
// null in JSON, and diverged_at is empty (null) for a run that stays finite.
// `--best` prints only the best cell (lowest value; ties: the first in grid order).
#pragma once

#include <string>
#include <vector>

namespace descent::cli {

std::string sweep_command(const std::vector<std::string>& args);

}  // namespace descent::cli
