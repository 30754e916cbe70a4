// The few JSON pieces Descent writes (CLI output, descriptions for the page).
// Writing is all we need; nlohmann/json would be a dependency for six lines.
#pragma once

#include <string>
#include <string_view>

namespace descent {

// A JSON string literal, quotes and escapes included.
std::string json_string(std::string_view s);

// `%.17g` (round-trips a double); non-finite values, which JSON lacks, as null.
std::string json_number(double v);

// `%.17g` with non-finite values spelled nan, inf, -inf (the CLI's CSV).
std::string number17(double v);

}  // namespace descent
