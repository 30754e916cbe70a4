// Pieces the `descent` subcommands share: reading option values (each error
// names the option and the text) and writing trajectories as CSV.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "session/session.h"
#include "surfaces/surface.h"

namespace descent::cli {

inline constexpr long kMaxSteps = 1'000'000;

// RFC 4180: quote a field holding a comma, quote or newline.
std::string csv_field(std::string_view s);

// Each throws descent::Error naming `flag` (or --start, --steps, --seed).
double parse_double(const std::string& flag, const std::string& text);
surfaces::Point parse_point(const std::string& text);  // --start X,Y
long parse_steps(const std::string& text);              // --steps, 0 .. kMaxSteps
std::uint64_t parse_seed(const std::string& text);      // --seed, a whole number >= 0

// `optimizer,step,x,y,f` and one row per instance and step (0 .. steps), every
// number with `digits` significant digits (`%.17g` round-trips a double; a
// float32 computation's results carry 9, the rest would be noise); with
// `with_loss`, a last column `loss`: the loss that came with the step's
// gradient (Run::estimated_loss, the mini-batch loss).
std::string trajectory_csv(const session::Session& session, bool with_loss, int digits = 17);

}  // namespace descent::cli
