// A cost surface f(x, y) with its exact gradient, and what the page needs to
// show it well: a view box, an instructive start point, its known minima.
//
// Built-in surfaces (catalogue.h) and typed formulas (`expr:...`) both implement
// this interface, so the session, the CLI and the bindings take either.
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

struct Evaluation {
  double f;
  double dfdx;
  double dfdy;
};

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

  // Value and exact gradient. Outside the function's domain the result is
  // non-finite (never a crash); callers treat that as divergence.
  virtual Evaluation evaluate(double x, double y) const = 0;
  double value(double x, double y) const { return evaluate(x, y).f; }
};

// Summary of one catalogue entry, for listings.
struct SurfaceInfo {
  std::string id;
  std::string name;
  std::string formula;
  std::string note;
};

// Every built-in surface, in display order.
std::vector<SurfaceInfo> catalogue();

// A built-in by id, or a typed formula when `spec` starts with `expr:`.
// Throws descent::Error with a clear message otherwise.
std::unique_ptr<Surface> make_surface(std::string_view spec);

}  // namespace descent::surfaces
