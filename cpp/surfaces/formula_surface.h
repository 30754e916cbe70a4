// A surface the user typed (`expr:FORMULA`): compiled once, evaluated with its
// exact gradient by forward-mode automatic differentiation (formula/).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "surfaces/formula/program.h"
#include "surfaces/surface.h"

namespace descent::surfaces {

class FormulaSurface final : public Surface {
 public:
  // Throws descent::Error with the column if `formula` does not compile.
  explicit FormulaSurface(std::string_view formula);

  const std::string& id() const override { return id_; }
  const std::string& name() const override { return name_; }
  const std::string& formula() const override { return formula_; }
  const std::string& note() const override { return note_; }
  // Nothing is known of a typed formula, so these are the same for all: a
  // box around the origin and a start in its upper-left quarter.
  ViewBox view() const override { return {-3, 3, -3, 3}; }
  Point start() const override { return {-2, 2}; }
  const std::vector<Minimum>& minima() const override { return minima_; }
  Evaluation evaluate(double x, double y) const override;

  const formula::Program& program() const { return program_; }

 private:
  std::string id_;
  std::string name_ = "Typed formula";
  std::string formula_;
  std::string note_ = "Your own function; its gradient is exact (automatic differentiation).";
  std::vector<Minimum> minima_;  // unknown
  formula::Program program_;
};

}  // namespace descent::surfaces
