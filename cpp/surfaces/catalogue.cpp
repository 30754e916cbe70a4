// The built-in surfaces: what the page shows, with each one's analytic value
// and gradient from builtin_functions.h (the same template the batch engine
// runs on float lanes).
//
// Every minimum below was computed, not copied: Newton's method on the exact
// gradient at 40 significant digits (mpmath), then rounded to double. The
// tests check each value and that the gradient vanishes there. Where a
// minimum is known in closed form the comment says so.
//
// The two quadratics take their condition number as a parameter
// (`quadratic:kappa=100`, default 10, range [1, 1e6]); their minimum stays at
// the origin. Each start was picked by running SGD and momentum from it: it
// shows what the note says.
#include "surfaces/builtin.h"
#include "surfaces/builtin_functions.h"

namespace descent::surfaces {
namespace {

using builtin::kPi;

// d with the id and the double evaluation of S (builtin_functions.h).
template <class S>
BuiltinDefinition define(BuiltinDefinition d) {
  d.id = S::id;
  d.evaluate = &S::template at<double, ParamValues>;
  return d;
}

SurfaceParam condition_number() {
  return {"kappa", "condition number: curvature across the valley over curvature along it",
          10.0, 1.0, 1e6};
}

std::vector<BuiltinDefinition> build_definitions() {
  return {
      define<builtin::Quadratic>(
          {.name = "Elongated quadratic",
           .formula = "0.5*(x^2 + {kappa}*y^2)",
           .note = "Ill-conditioned bowl: plain SGD zig-zags across the narrow axis; momentum and "
                   "adaptive steps fix it.",
           .view = {-5, 5, -3, 3},
           .start = {-4, 1.5},
           .minima = {{{0, 0}, 0.0}},
           .params = {condition_number()}}),
      define<builtin::RotatedQuadratic>(
          {.name = "Rotated quadratic",
           .formula = "0.25*((x + y)^2 + {kappa}*(x - y)^2)",
           .note = "The same bowl turned 45 degrees: SGD and momentum do not notice, but "
                   "per-coordinate step sizes (AdaGrad, RMSProp, Adam) lose their edge.",
           .view = {-5, 5, -5, 5},
           .start = {-4, -2},
           .minima = {{{0, 0}, 0.0}},
           .params = {condition_number()}}),
      define<builtin::Booth>(
          {.name = "Booth",
           .formula = "(x + 2*y - 7)^2 + (2*x + y - 5)^2",
           .note = "A plain tilted bowl (curvatures 2 and 18): every method arrives; a baseline "
                   "for comparing speed and step sizes.",
           .view = {-10, 10, -10, 10},
           .start = {-8, -6},
           .minima = {{{1, 3}, 0.0}}}),
      define<builtin::Matyas>(
          {.name = "Matyas",
           .formula = "0.26*(x^2 + y^2) - 0.48*x*y",
           .note = "Almost flat along the diagonal (curvatures 0.04 and 1): plain SGD crawls along "
                   "the valley floor, momentum builds up speed there.",
           .view = {-10, 10, -10, 10},
           .start = {-8, -6},
           .minima = {{{0, 0}, 0.0}}}),
      define<builtin::Rosenbrock>(
          {.name = "Rosenbrock",
           .formula = "(1-x)^2 + 100*(y-x^2)^2",
           .note = "A curved valley with a flat floor: easy to reach, slow to follow to the "
                   "minimum at (1, 1).",
           .view = {-2, 2, -1, 3},
           .start = {-1.5, 2.5},
           .minima = {{{1, 1}, 0.0}}}),
      define<builtin::Beale>(
          {.name = "Beale",
           .formula = "(1.5 - x + x*y)^2 + (2.25 - x + x*y^2)^2 + (2.625 - x + x*y^3)^2",
           .note = "A flat plateau between steep walls: gradients span orders of magnitude, so one "
                   "fixed step size is too big in one place and too small in another.",
           .view = {-4.5, 4.5, -4.5, 4.5},
           .start = {1, 1.5},
           .minima = {{{3, 0.5}, 0.0}}}),
      define<builtin::Himmelblau>(
          {.name = "Himmelblau",
           .formula = "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
           .note = "Four equally low minima: which one a method reaches depends on the start and "
                   "on how it moves, not on how good it is.",
           .view = {-5, 5, -5, 5},
           .start = {0, 0},
           .minima = {{{3, 2}, 0.0},
                      {{-2.8051180869527449, 3.1313125182505730}, 0.0},
                      {{-3.7793102533777469, -3.2831859912861694}, 0.0},
                      {{3.5844283403304917, -1.8481265269644036}, 0.0}}}),
      define<builtin::GaussianWells>(
          {.name = "Gaussian wells",
           .formula = "0.1*(x^2 + y^2) - 3*exp(-((x - 2)^2 + (y - 1)^2)) - "
                      "2*exp(-((x + 2)^2 + (y + 1)^2)/2)",
           .note = "A deep narrow well and a shallow wide one: the start and the speed you carry "
                   "decide where you end; from here SGD and momentum part ways.",
           .view = {-4, 4, -4, 4},
           .start = {-0.5, 3},
           .minima = {{{1.9350741476753538, 0.96753707383767691}, -2.5162952481990760}},
           .local_minima = {{{-1.8145993679905147, -0.90729968399525736}, -1.5458951844109826}}}),
      define<builtin::ThreeHumpCamel>(
          {.name = "Three-hump camel",
           .formula = "2*x^2 - 1.05*x^4 + x^6/6 + x*y + y^2",
           .note = "One global and two local minima: started out on a side, plain descent settles "
                   "in a side hump.",
           .view = {-3, 3, -3, 3},
           .start = {-2.5, 2.5},
           .minima = {{{0, 0}, 0.0}},
           .local_minima = {{{1.7475523458302889, -0.87377617291514445}, 0.29863844223685982},
                            {{-1.7475523458302889, 0.87377617291514445}, 0.29863844223685982}}}),
      define<builtin::SixHumpCamel>(
          {.name = "Six-hump camel",
           .formula = "(4 - 2.1*x^2 + x^4/3)*x^2 + x*y + (-4 + 4*y^2)*y^2",
           .note = "Two equally low minima and four local ones in a small box: a compact map of "
                   "basins of attraction.",
           .view = {-2.5, 2.5, -1.5, 1.5},
           .start = {-2, 1.2},
           .minima = {{{0.089842013100318062, -0.71265640302073963}, -1.0316284534898774},
                      {{-0.089842013100318062, 0.71265640302073963}, -1.0316284534898774}},
           .local_minima = {{{1.7036067149699808, -0.79608356867262512}, -0.21546382438371764},
                            {{-1.7036067149699808, 0.79608356867262512}, -0.21546382438371764},
                            {{-1.6071047529201972, -0.56865145488413137}, 2.1042503103112583},
                            {{1.6071047529201972, 0.56865145488413137}, 2.1042503103112583}}}),
      define<builtin::StyblinskiTang>(
          {.name = "Styblinski-Tang",
           .formula = "0.5*(x^4 - 16*x^2 + 5*x + y^4 - 16*y^2 + 5*y)",
           .note = "Four wells of different depth, one per quadrant: descent finds the nearest, "
                   "not the deepest.",
           .view = {-5, 5, -5, 5},
           .start = {0.5, 0.5},
           .minima = {{{-2.9035340277711771, -2.9035340277711771}, -78.332331407542831}},
           .local_minima = {{{2.7468027709908370, -2.9035340277711771}, -64.195612359055358},
                            {{-2.9035340277711771, 2.7468027709908370}, -64.195612359055358},
                            {{2.7468027709908370, 2.7468027709908370}, -50.058893310567885}}}),
      // Closed form: x + y = -2 pi/3, x - y = 1, f = -sqrt(3)/2 - pi/3; the local
      // minimum has x + y = 4 pi/3. Along x - y = 1 the surface keeps falling
      // beyond the box (x + y = -8 pi/3 is lower still): it has no global minimum.
      define<builtin::McCormick>(
          {.name = "McCormick",
           .formula = "sin(x + y) + (x - y)^2 - 1.5*x + 2.5*y + 1",
           .note = "A tilted trough with a sine ripple: the marked minimum is the lowest in the "
                   "box; beyond its lower-left corner the surface falls without end.",
           .view = {-1.5, 4, -3, 4},
           .start = {0, 3},
           .minima = {{{-0.54719755119659775, -1.5471975511965977}, -1.9132229549810364}},
           .local_minima = {{{2.5943951023931955, 1.5943951023931955}, 1.2283696986087568}}}),
      // All four minima are exact: at each, x + y + 1 or 2x - 3y is 0 or 3.
      define<builtin::GoldsteinPrice>(
          {.name = "Goldstein-Price",
           .formula = "(1 + (x + y + 1)^2*(19 - 14*x + 3*x^2 - 14*y + 6*x*y + 3*y^2))*"
                      "(30 + (2*x - 3*y)^2*(18 - 32*x + 12*x^2 + 48*y - 36*x*y + 27*y^2))",
           .note = "Values from 3 to a million and three local minima: a step size that suits one "
                   "region explodes in another.",
           .view = {-2, 2, -2, 2},
           .start = {-1, 0},
           .minima = {{{0, -1}, 3.0}},
           .local_minima = {{{-0.6, -0.4}, 30.0}, {{1.8, 0.2}, 84.0}, {{1.2, 0.8}, 840.0}}}),
      define<builtin::Rastrigin>(
          {.name = "Rastrigin",
           .formula = "20 + x^2 + y^2 - 10*(cos(2*pi*x) + cos(2*pi*y))",
           .note = "A bowl covered in a regular grid of dips: descent stops in the nearest one; "
                   "big steps or momentum can hop across.",
           .view = {-5.12, 5.12, -5.12, 5.12},
           .start = {-4.5, 3.8},
           .minima = {{{0, 0}, 0.0}}}),
      define<builtin::Ackley>(
          {.name = "Ackley",
           .formula = "-20*exp(-0.2*sqrt(0.5*(x^2 + y^2))) - exp(0.5*(cos(2*pi*x) + cos(2*pi*y))) "
                      "+ e + 20",
           .note = "A bumpy, almost flat plain around one sharp funnel: far out, the gradient says "
                   "little about where the minimum is.",
           .view = {-5, 5, -5, 5},
           .start = {-4, 3.5},
           .minima = {{{0, 0}, 0.0}}}),
      define<builtin::Easom>(
          {.name = "Easom",
           .formula = "-cos(x)*cos(y)*exp(-((x - pi)^2 + (y - pi)^2))",
           .note = "Flat almost everywhere, with one narrow well: outside it the gradient is "
                   "nearly zero, so only a start close by finds the minimum.",
           .view = {-1, 7, -1, 7},
           .start = {1.5, 1.8},
           .minima = {{{kPi, kPi}, -1.0}}}),
      define<builtin::Saddle>(
          {.name = "Saddle",
           .formula = "x^2 - y^2",
           .note = "No minimum: descent slows down near the saddle point at the origin, then "
                   "escapes along y; methods differ in how soon.",
           .view = {-2, 2, -2, 2},
           .start = {-1.8, 0.01}}),
      define<builtin::MonkeySaddle>(
          {.name = "Monkey saddle",
           .formula = "x^3 - 3*x*y^2",
           .note = "Three valleys meet at a flat saddle: the gradient vanishes quadratically "
                   "there, so descent stalls longer than at an ordinary saddle.",
           .view = {-2, 2, -2, 2},
           .start = {1.5, 0.05}}),
  };
}

}  // namespace

const std::vector<BuiltinDefinition>& builtin_definitions() {
  static const std::vector<BuiltinDefinition> list = build_definitions();
  return list;
}

}  // namespace descent::surfaces
