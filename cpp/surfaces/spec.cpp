// Surface specs (`rosenbrock`, `quadratic:kappa=100`, `expr:x^2 + y^2`) and the
// catalogue listing.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "common/error.h"
#include "common/spec_text.h"
#include "surfaces/builtin.h"
#include "surfaces/formula_surface.h"

namespace descent::surfaces {
namespace {

constexpr std::string_view kFormulaPrefix = "expr:";

// The shortest text that reads back as exactly `v`, so a parameter shown in a
// formula or an id is the value used; whole numbers without an exponent.
std::string shortest_number(double v) {
  char buffer[32];
  int precision = 1;
  for (; precision < 17; ++precision) {
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, v);
    if (std::strtod(buffer, nullptr) == v) break;
  }
  // %g writes 1e+01 for 10 at precision 1: widen to the integer digits.
  const double magnitude = std::abs(v);
  if (magnitude >= 1 && magnitude < 1e17)
    precision = std::max(precision, 1 + static_cast<int>(std::floor(std::log10(magnitude))));
  std::snprintf(buffer, sizeof buffer, "%.*g", precision, v);
  return buffer;
}

std::string substitute(std::string text, std::string_view key, double value) {
  const std::string placeholder = "{" + std::string(key) + "}";
  const std::string number =
      value < 0 ? "(" + shortest_number(value) + ")" : shortest_number(value);
  for (auto at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at))
    text.replace(at, placeholder.size(), number);
  return text;
}

const BuiltinDefinition& find_definition(std::string_view id) {
  return find_by(builtin_definitions(), &BuiltinDefinition::id, id, "surface", "",
                 ", or expr:<formula>");
}

std::size_t find_param(const BuiltinDefinition& d, std::string_view key) {
  if (d.params.empty()) throw Error(d.id + ": takes no parameters, got '" + std::string(key) + "'");
  const SurfaceParam& p = find_by(d.params, &SurfaceParam::key, key, "parameter", d.id + ": ");
  return static_cast<std::size_t>(&p - d.params.data());
}

double parse_value(const BuiltinDefinition& d, const SurfaceParam& p, std::string_view text) {
  const auto number = parse_number(text);
  if (!number)
    throw Error(d.id + ": " + p.key + " expects a number, got '" + std::string(text) + "'");
  const double v = *number;
  if (!(v >= p.min && v <= p.max))
    throw Error(d.id + ": " + p.key + " must be in [" + format_number(p.min) + ", " +
                format_number(p.max) + "], got " + format_number(v));
  return v;
}

std::vector<double> default_values(const BuiltinDefinition& d) {
  std::vector<double> values;
  for (const auto& p : d.params) values.push_back(p.default_value);
  return values;
}

// `key=value,...` after the id: one value per parameter, defaults filled in.
std::vector<double> parse_params(const BuiltinDefinition& d, std::string_view text) {
  std::vector<double> values = default_values(d);
  for_each_setting(text, d.id, [&](std::string_view key, std::string_view value) {
    const std::size_t i = find_param(d, key);
    values[i] = parse_value(d, d.params[i], value);
  });
  return values;
}

}  // namespace

BuiltinSurface::BuiltinSurface(const BuiltinDefinition& definition, std::vector<double> values)
    : d_(definition), values_(std::move(values)), id_(d_.id), formula_(d_.formula) {
  std::string changed;
  for (std::size_t i = 0; i < d_.params.size(); ++i) {
    const SurfaceParam& p = d_.params[i];
    formula_ = substitute(formula_, p.key, values_[i]);
    if (values_[i] != p.default_value)
      changed += (changed.empty() ? ":" : ",") + p.key + "=" + shortest_number(values_[i]);
  }
  id_ += changed;
}

std::vector<SurfaceInfo> catalogue() {
  std::vector<SurfaceInfo> out;
  for (const auto& d : builtin_definitions()) {
    const BuiltinSurface s(d, default_values(d));
    out.push_back({d.id, d.name, s.formula(), d.note, d.params});
  }
  return out;
}

std::unique_ptr<Surface> make_surface(std::string_view spec) {
  if (spec.starts_with(kFormulaPrefix))
    return std::make_unique<FormulaSurface>(spec.substr(kFormulaPrefix.size()));
  const auto colon = spec.find(':');
  const BuiltinDefinition& d = find_definition(spec.substr(0, colon));
  return std::make_unique<BuiltinSurface>(d, colon == std::string_view::npos
                                                 ? default_values(d)
                                                 : parse_params(d, spec.substr(colon + 1)));
}

}  // namespace descent::surfaces
