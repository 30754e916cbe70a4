// A built-in surface: a plain description plus an analytic value-and-gradient
// function. The catalogue (catalogue.cpp) is a list of these.
#pragma once

#include "surfaces/surface.h"

namespace descent::surfaces {

using EvaluateFn = Evaluation (*)(double x, double y);

struct BuiltinDefinition {
  std::string id;
  std::string name;
  std::string formula;  // the same function in the expression language
  std::string note;
  ViewBox view;
  Point start;
  std::vector<Minimum> minima;
  EvaluateFn evaluate;
};

class BuiltinSurface final : public Surface {
 public:
  explicit BuiltinSurface(const BuiltinDefinition& definition) : d_(definition) {}
  const std::string& id() const override { return d_.id; }
  const std::string& name() const override { return d_.name; }
  const std::string& formula() const override { return d_.formula; }
  const std::string& note() const override { return d_.note; }
  ViewBox view() const override { return d_.view; }
  Point start() const override { return d_.start; }
  const std::vector<Minimum>& minima() const override { return d_.minima; }
  Evaluation evaluate(double x, double y) const override { return d_.evaluate(x, y); }

 private:
  const BuiltinDefinition& d_;
};

// Every built-in, in display order.
const std::vector<BuiltinDefinition>& builtin_definitions();

}  // namespace descent::surfaces
