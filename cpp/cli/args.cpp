#include "cli/args.h"

#include <cmath>
#include <cstdlib>

#include "common/error.h"
#include "common/json.h"

namespace descent::cli {

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

double parse_double(const std::string& flag, const std::string& text) { return parse_finite(flag, text); }

surfaces::Point parse_point(const std::string& text) {
  const auto comma = text.find(',');
  if (comma == std::string::npos)
    throw Error("--start expects X,Y (for example -1.5,2), got '" + text + "'");
  return {parse_double("--start", text.substr(0, comma)),
          parse_double("--start", text.substr(comma + 1))};
}

long parse_steps(const std::string& text) {
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || end != text.c_str() + text.size() || v < 0 || v > kMaxSteps)
    throw Error("--steps expects a whole number from 0 to " + std::to_string(kMaxSteps) +
                ", got '" + text + "'");
  return v;
}

std::uint64_t parse_seed(const std::string& text) {
  char* end = nullptr;
  const unsigned long long v = std::strtoull(text.c_str(), &end, 10);
  if (text.empty() || text[0] == '-' || end != text.c_str() + text.size())
    throw Error("--seed expects a whole number >= 0, got '" + text + "'");
  return v;
}

std::string trajectory_csv(const session::Session& session, bool with_loss, int digits) {
  const auto number = [digits](double v) { return number_digits(v, digits); };
  std::string out = with_loss ? "optimizer,step,x,y,f,loss\n" : "optimizer,step,x,y,f\n";
  for (std::size_t i = 0; i < session.size(); ++i) {
    const auto& run = session.run(i);
    const std::string label = csv_field(run.label);
    for (long k = 0; k <= session.steps(); ++k) {
      const auto at = static_cast<std::size_t>(k);
      const double* row = &run.trajectory[3 * at];
      out += label + "," + std::to_string(k) + "," + number(row[0]) + "," + number(row[1]) + "," +
             number(row[2]);
      out += with_loss ? "," + number(run.estimated_loss[at]) + "\n" : "\n";
    }
  }
  return out;
}

}  // namespace descent::cli
