// Data sets from CSV text: `x,y` rows, an optional header (dataset.h).
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <optional>

#include "common/error.h"
#include "models/dataset.h"

namespace descent::models {
namespace {

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t\r") - first + 1);
}

// A field as written, shortened for a message.
std::string quoted(std::string_view field) {
  constexpr std::size_t kMax = 40;
  return "'" + std::string(field.substr(0, kMax)) + (field.size() > kMax ? "...'" : "'");
}

// The field's number, or nothing when it is not one (a header's name).
// Throws for a number that is not finite.
std::optional<double> read_number(std::string_view field, std::size_t line) {
  field = trim(field);
  if (field.size() >= 2 && field.front() == '"' && field.back() == '"')
    field = trim(field.substr(1, field.size() - 2));
  if (field.empty()) return std::nullopt;
  const std::string text(field);
  char* end = nullptr;
  const double v = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  if (!std::isfinite(v))
    throw Error("line " + std::to_string(line) + ": " + quoted(field) + " is not a finite number");
  return v;
}

}  // namespace

Dataset parse_csv(std::string_view text) {
  if (text.size() > kMaxCsvBytes) throw Error("file is larger than 50 MB");
  Dataset data;
  data.source = "csv";
  bool first = true;
  std::size_t line = 0;
  while (!text.empty()) {
    const std::string_view row = text.substr(0, text.find('\n'));
    text.remove_prefix(std::min(text.size(), row.size() + 1));
    ++line;
    if (trim(row).empty()) continue;
    const auto comma = row.find(',');
    const std::size_t columns = 1 + static_cast<std::size_t>(std::count(row.begin(), row.end(), ','));
    if (columns != 2)
      throw Error("line " + std::to_string(line) + ": expected 2 columns, got " +
                  std::to_string(columns));
    const std::string_view fields[2] = {row.substr(0, comma), row.substr(comma + 1)};
    const std::optional<double> x = read_number(fields[0], line), y = read_number(fields[1], line);
    if (first && !x && !y) {  // a header
      first = false;
      continue;
    }
    first = false;
    for (int c = 0; c < 2; ++c)
      if (!(c == 0 ? x : y))
        throw Error("line " + std::to_string(line) + ": " + quoted(trim(fields[c])) +
                    " is not a number");
    if (data.size() == kMaxSamples)
      throw Error("line " + std::to_string(line) + ": more than " + std::to_string(kMaxSamples) +
                  " rows");
    data.xs.push_back(*x);
    data.ys.push_back(*y);
    data.lines.push_back(static_cast<std::uint32_t>(line));
  }
  if (data.size() == 0) throw Error("no data rows");
  data.xs32.assign(data.xs.begin(), data.xs.end());
  data.ys32.assign(data.ys.begin(), data.ys.end());
  data.classes = std::all_of(data.ys.begin(), data.ys.end(), [](double y) { return y == 0 || y == 1; });
  data.name = "CSV (" + std::to_string(data.size()) + " rows)";
  return data;
}

}  // namespace descent::models
