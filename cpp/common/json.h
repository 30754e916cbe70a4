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

// `%.<significant>g` with non-finite values spelled nan, inf, -inf (the CLI's
// CSV): 17 digits round-trip a double, 9 a float.
std::string number_digits(double v, int significant);
std::string number17(double v);  // number_digits(v, 17)

}  // namespace descent
