// A cost surface f(x, y) with its exact gradient, and what the page needs to
// show it well: a view box, an instructive start point, its known minima.
//
// Built-in surfaces (builtin.h, catalogue.cpp) and typed formulas (`expr:...`,
// formula_surface.h) both implement this interface, so the session, the CLI and
// the bindings take either.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace descent::surfaces {

struct Point {
  double x = 0.0;
  double y = 0.0;
};

struct ViewBox {
  double x_min, x_max, y_min, y_max;
};

// A value and its gradient in number type T (builtin_functions.h instantiates
// the built-ins with float lanes too); Evaluation is the double one.
template <class T>
struct ValueAndGradient {
  T f;
  T dfdx;
  T dfdy;
};
using Evaluation = ValueAndGradient<double>;

struct Minimum {
  Point at;
  double f;
};

class Surface {
 public:
  virtual ~Surface() = default;
  virtual const std::string& id() const = 0;       // `rosenbrock`, or `expr:...`
  virtual const std::string& name() const = 0;     // display name
  virtual const std::string& formula() const = 0;  // plain-text formula in the expression language
  virtual const std::string& note() const = 0;     // one-line teaching note
  virtual ViewBox view() const = 0;
  virtual Point start() const = 0;
  virtual const std::vector<Minimum>& minima() const = 0;  // known global minima; may be empty
  // Known local minima that are not global (the wells a descent can get stuck in); may be empty.
  virtual const std::vector<Minimum>& local_minima() const {
    static const std::vector<Minimum> none;
    return none;
  }

  // Value and exact gradient. Outside the function's domain the result is
  // non-finite (never a crash); callers treat that as divergence.
  virtual Evaluation evaluate(double x, double y) const = 0;
  double value(double x, double y) const { return evaluate(x, y).f; }
};

// A numeric parameter of a built-in, set in its spec: `quadratic:kappa=100`.
struct SurfaceParam {
  std::string key;
  std::string meaning;  // one line, for hints and listings
  double default_value;
  double min;  // valid range, both ends included
  double max;
};

// Summary of one catalogue entry, for listings.
struct SurfaceInfo {
  std::string id;
  std::string name;
  std::string formula;  // with the parameters at their defaults
  std::string note;
  std::vector<SurfaceParam> params;
};

// Every built-in surface, in display order.
std::vector<SurfaceInfo> catalogue();

// A surface from its spec:
//   ID                    a built-in by id (`rosenbrock`)
//   ID:key=value,...      a built-in with parameters (`quadratic:kappa=100`)
//   expr:FORMULA          a typed formula (`expr:x^2 + 3*y^2`, see formula/compile.h)
// Throws descent::Error with a clear message otherwise (for a formula, the
// parse error and its column).
std::unique_ptr<Surface> make_surface(std::string_view spec);

}  // namespace descent::surfaces
