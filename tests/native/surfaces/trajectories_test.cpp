// A built-in and its typed formula are the same surface to an optimizer: the
// same trajectories, step for step, up to the order of roundings.
#include <catch2/catch.hpp>
#include <cmath>
#include <string>

#include "optim/registry.h"
#include "session/session.h"
#include "surfaces/surface.h"

using namespace descent;

namespace {

session::Session session_on(const std::string& spec, surfaces::Point start) {
  session::Session s(surfaces::make_surface(spec), start);
  s.add(optim::parse_spec("sgd:lr=0.001"));
  s.add(optim::parse_spec("momentum:lr=0.001"));
  s.step(1000);
  return s;
}

}  // namespace

TEST_CASE("built-ins and their typed formulas give the same trajectories", "[surfaces]") {
  for (const auto& info : surfaces::catalogue()) {
    CAPTURE(info.id, info.formula);
    const auto start = surfaces::make_surface(info.id)->start();
    const auto builtin = session_on(info.id, start);
    const auto typed = session_on("expr:" + info.formula, start);
    for (std::size_t r = 0; r < builtin.size(); ++r) {
      const auto& a = builtin.run(r);
      const auto& b = typed.run(r);
      CAPTURE(a.label);
      CHECK(a.diverged_at == b.diverged_at);
      REQUIRE(a.trajectory.size() == b.trajectory.size());
      for (std::size_t i = 0; i < a.trajectory.size(); ++i) {
        if (!std::isfinite(a.trajectory[i])) continue;
        CAPTURE(i / 3);
        CHECK(b.trajectory[i] == Approx(a.trajectory[i]).epsilon(1e-9).margin(1e-9));
      }
    }
  }
}
