// The `descent` command line: `list` and `run`. Kept apart from main() so the
// whole output is built before anything is printed (bad input never leaves a
// partial table).
#pragma once

#include <string>
#include <vector>

namespace descent::cli {

// Runs one command line (without the program name). Returns the text for
// stdout; throws descent::Error with the one line for stderr on bad input.
std::string run_command(const std::vector<std::string>& args);

std::string usage();

}  // namespace descent::cli
