// The run-time compiled group step's emitter (batch/formula_wasm.h) natively:
// here the module cannot run (tests/node/formula-jit.test.mjs runs it and
// compares it with the scalar twin bit for bit), so these check its framing:
// the header, the sections in order with sizes that add up, the one import
// (env.memory) and export (run) with FastGroupKernel's wasm32 type, which
// programs get a module at all, and that the bytes are deterministic.
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "batch/formula_lanes.h"
#include "batch/formula_wasm.h"
#include "surfaces/formula/compile.h"

using namespace descent;
using namespace descent::batch;

namespace {

std::vector<std::uint8_t> module_of(const std::string& formula, int tile_vectors = kFastTileVectors) {
  return fast_group_module(LaneProgram(surfaces::formula::compile_formula(formula)), tile_vectors);
}

// A reader over the module's bytes; REQUIREs that it never runs off the end.
struct Reader {
  const std::vector<std::uint8_t>& bytes;
  std::size_t at = 0;
  std::uint8_t byte() {
    REQUIRE(at < bytes.size());
    return bytes[at++];
  }
  std::uint32_t u32() {
    std::uint32_t v = 0;
    for (int shift = 0;; shift += 7) {
      REQUIRE(shift < 35);
      const std::uint8_t b = byte();
      v |= static_cast<std::uint32_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) return v;
    }
  }
  std::string name() {
    const std::uint32_t n = u32();
    REQUIRE(at + n <= bytes.size());
    std::string s(bytes.begin() + static_cast<long>(at), bytes.begin() + static_cast<long>(at + n));
    at += n;
    return s;
  }
};

}  // namespace

TEST_CASE("a supported formula compiles to a framed module with env.memory and run", "[batch][formula_wasm]") {
  auto formula = GENERATE(as<std::string>{}, "(1-x)^2 + 100*(y-x^2)^2", "x^2 + 3*y^2",
                          "abs(x) + sqrt(x^2 + y^2 + 1)", "min(x, y)^2 + max(x, 2*y)",
                          "1/(1 + x^2 + y^2)", "x^-2 + y^3 - 2/x", "-(x - y)^4 / 7", "3", "x",
                          "2 - y", "min(3, x) + max(y, -1)");
  CAPTURE(formula);
  const std::vector<std::uint8_t> m = module_of(formula);
  REQUIRE(m.size() > 8);
  const std::vector<std::uint8_t> header = {0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00};
  CHECK(std::vector<std::uint8_t>(m.begin(), m.begin() + 8) == header);

  Reader r{m, 8};
  std::vector<std::uint8_t> ids;
  while (r.at < m.size()) {
    const std::uint8_t id = r.byte();
    ids.push_back(id);
    const std::uint32_t size = r.u32();
    const std::size_t end = r.at + size;
    REQUIRE(end <= m.size());
    if (id == 1) {  // type: (i32 i32 f32 f32 i32 x11) -> i32
      CHECK(r.u32() == 1);
      CHECK(r.byte() == 0x60);
      const std::vector<std::uint8_t> want = {0x7f, 0x7f, 0x7d, 0x7d, 0x7f, 0x7f, 0x7f, 0x7f,
                                              0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f};
      REQUIRE(r.u32() == want.size());
      std::vector<std::uint8_t> params;
      for (std::size_t j = 0; j < want.size(); ++j) params.push_back(r.byte());
      CHECK(params == want);
      CHECK(r.u32() == 1);
      CHECK(r.byte() == 0x7f);
    } else if (id == 2) {  // import: env.memory, min 0, no max
      CHECK(r.u32() == 1);
      CHECK(r.name() == "env");
      CHECK(r.name() == "memory");
      CHECK(r.byte() == 0x02);
      CHECK(r.byte() == 0x00);
      CHECK(r.u32() == 0);
    } else if (id == 7) {  // export: run = function 0
      CHECK(r.u32() == 1);
      CHECK(r.name() == "run");
      CHECK(r.byte() == 0x00);
      CHECK(r.u32() == 0);
    } else if (id == 10) {  // code: one body that fills the section and ends with `end`
      CHECK(r.u32() == 1);
      const std::uint32_t body = r.u32();
      CHECK(r.at + body == end);
      CHECK(m[end - 1] == 0x0b);
    }
    CHECK(r.at <= end);
    r.at = end;
  }
  CHECK(r.at == m.size());
  CHECK(ids == std::vector<std::uint8_t>{1, 2, 3, 7, 10});
}

TEST_CASE("formulas with ops that need libm get no module", "[batch][formula_wasm]") {
  auto formula = GENERATE(as<std::string>{}, "sin(x) + y^2", "x^2 + exp(y)", "pow(abs(x) + 1, 1.5)",
                          "atan2(y, x)", "hypot(x, y)", "log(x^2 + 1)", "2^x", "x*y + tanh(y)");
  CAPTURE(formula);
  const LaneProgram program(surfaces::formula::compile_formula(formula));
  CHECK_FALSE(fast_group_supported(program));
  CHECK(fast_group_module(program).empty());
}

TEST_CASE("the module is deterministic and depends on the formula and the tile", "[batch][formula_wasm]") {
  const std::string formula = "(1-x)^2 + 100*(y-x^2)^2";
  CHECK(fast_group_supported(LaneProgram(surfaces::formula::compile_formula(formula))));
  CHECK(module_of(formula) == module_of(formula));
  CHECK(module_of(formula) != module_of("(1-x)^2 + 10*(y-x^2)^2"));
  CHECK(module_of(formula, 1) != module_of(formula, 2));
  CHECK(module_of(formula, 0).empty());
}

TEST_CASE("without a registered loader nothing is compiled", "[batch][formula_wasm]") {
  // Natively no host registers one: the interpreter runs.
  CHECK(fast_kernel_loader() == nullptr);
  CHECK(fast_kernel_release() == nullptr);
}
