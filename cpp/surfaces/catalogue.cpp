#include "common/error.h"
#include "surfaces/builtin.h"

namespace descent::surfaces {
namespace {

// 0.5 * (x^2 + 10 y^2): condition number 10, the classic zig-zag valley.
Evaluation quadratic(double x, double y) {
  return {0.5 * (x * x + 10.0 * y * y), x, 10.0 * y};
}

// (1 - x)^2 + 100 (y - x^2)^2: a curved, flat-bottomed valley.
Evaluation rosenbrock(double x, double y) {
  const double a = 1.0 - x;
  const double b = y - x * x;
  return {a * a + 100.0 * b * b, -2.0 * a - 400.0 * x * b, 200.0 * b};
}

}  // namespace

const std::vector<BuiltinDefinition>& builtin_definitions() {
  static const std::vector<BuiltinDefinition> list = {
      {"quadratic", "Elongated quadratic", "0.5*(x^2 + 10*y^2)",
       "Ill-conditioned bowl: plain SGD zig-zags across the narrow axis; momentum and adaptive "
       "steps fix it.",
       {-5, 5, -3, 3}, {-4, 1.5}, {{{0, 0}, 0.0}}, &quadratic},
      {"rosenbrock", "Rosenbrock", "(1-x)^2 + 100*(y-x^2)^2",
       "A curved valley with a flat floor: easy to reach, slow to follow to the minimum at (1, 1).",
       {-2, 2, -1, 3}, {-1.5, 2.5}, {{{1, 1}, 0.0}}, &rosenbrock},
  };
  return list;
}

std::vector<SurfaceInfo> catalogue() {
  std::vector<SurfaceInfo> out;
  for (const auto& d : builtin_definitions()) out.push_back({d.id, d.name, d.formula, d.note});
  return out;
}

std::unique_ptr<Surface> make_surface(std::string_view spec) {
  for (const auto& d : builtin_definitions())
    if (d.id == spec) return std::make_unique<BuiltinSurface>(d);
  std::string known;
  for (const auto& d : builtin_definitions()) known += (known.empty() ? "" : ", ") + d.id;
  throw Error("unknown surface '" + std::string(spec) + "' (known: " + known +
              ", or expr:<formula>)");
}

}  // namespace descent::surfaces
