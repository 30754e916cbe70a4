// A built-in surface: a plain description plus an analytic value-and-gradient
// function (builtin_functions.h's template at double). The catalogue
// (catalogue.cpp) is a list of these.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "surfaces/surface.h"

namespace descent::surfaces {

// The values of a definition's params, in order.
using ParamValues = std::span<const double>;
using EvaluateFn = Evaluation (*)(double x, double y, ParamValues params);

struct BuiltinDefinition {
  std::string id = {};  // id and evaluate: define<S> in catalogue.cpp
  std::string name;
  // The same function in the expression language; `{key}` stands for the
  // value of parameter `key`.
  std::string formula;
  std::string note;
  ViewBox view;
  Point start;
  std::vector<Minimum> minima = {};        // every global minimum, checked by the tests
  std::vector<Minimum> local_minima = {};  // the other local minima worth marking
  EvaluateFn evaluate = nullptr;
  std::vector<SurfaceParam> params = {};
};

class BuiltinSurface final : public Surface {
 public:
  // `values` holds one value per definition.params, already range-checked.
  BuiltinSurface(const BuiltinDefinition& definition, std::vector<double> values);

  // `ID` when every parameter is at its default, else `ID:key=value,...` with
  // the parameters that differ: make_surface(id()) makes the same surface.
  const std::string& id() const override { return id_; }
  const std::string& name() const override { return d_.name; }
  const std::string& formula() const override { return formula_; }
  const std::string& note() const override { return d_.note; }
  ViewBox view() const override { return d_.view; }
  Point start() const override { return d_.start; }
  const std::vector<Minimum>& minima() const override { return d_.minima; }
  const std::vector<Minimum>& local_minima() const override { return d_.local_minima; }
  Evaluation evaluate(double x, double y) const override { return d_.evaluate(x, y, values_); }

  const BuiltinDefinition& definition() const { return d_; }
  // One value per definition().params (the batch engine takes them from here).
  const std::vector<double>& values() const { return values_; }

 private:
  const BuiltinDefinition& d_;
  std::vector<double> values_;
  std::string id_;
  std::string formula_;
};

// Every built-in, in display order.
const std::vector<BuiltinDefinition>& builtin_definitions();

}  // namespace descent::surfaces
