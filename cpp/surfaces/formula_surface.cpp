#include "surfaces/formula_surface.h"

#include "surfaces/formula/compile.h"
#include "surfaces/formula/execute.h"

namespace descent::surfaces {

FormulaSurface::FormulaSurface(std::string_view formula)
    : id_("expr:" + std::string(formula)),
      formula_(formula),
      program_(formula::compile_formula(formula)) {}

Evaluation FormulaSurface::evaluate(double x, double y) const {
  return formula::evaluate(program_, x, y);
}

}  // namespace descent::surfaces
