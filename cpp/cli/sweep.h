// `descent sweep`: one optimizer over a grid of hyperparameter values, one run
// per cell in double precision (each cell is exactly `descent run` of that
// cell's spec), one row per cell with the chosen metric.
//
//   descent sweep --surface S [--start X,Y] --optimizer SPEC --vary KEY=LO:HI:N[:log]
//                 [--vary KEY2=...] --steps K [--metric final|best|steps:TOL]
//                 [--format csv|json] [--best]
//
// A cell's value of KEY is LO + (HI - LO) i / (N - 1) (i = 0..N-1; LO when
// N = 1; HI itself at i = N - 1), or on a log axis LO (HI / LO)^(i / (N - 1));
// it replaces KEY in SPEC.
// Metrics: final, f after K steps; best, the lowest f seen; steps:TOL, the
// first step with f - f* <= TOL (f* the surface's known minimum, else the
// lowest f any cell reached), or nan when never (null in JSON). `final` is f
// as the run recorded it (non-finite once it has diverged), `best` the lowest
// finite f; diverged_at is the run's first non-finite step, or empty (null).
// `--best` prints only the best cell (lowest value; ties: the first in grid order).
#pragma once

#include <string>
#include <vector>

namespace descent::cli {

inline constexpr long kMaxSweepAxis = 512;

std::string sweep_command(const std::vector<std::string>& args);

}  // namespace descent::cli
