// Proof that a refactor moved nothing: the CLI's trajectories and the batch
// kernels' outputs, bit for bit, against digests recorded before the change
// (tests/golden/*.txt, one `key digest` line each).
//
//   cli.txt      `descent run` for every registry entry and each variant switch
//                (batch::kernel_variant_specs) x every built-in surface plus
//                typed formulas with libm functions x three starts x 200 steps;
//                the digest of that optimizer's CSV rows.
//   kernels.txt  every optimizer kernel variant, every surface kernel, the
//                fused kernels and whole BatchRuns on the twin inputs
//                (batch/twin_check.h), scalar twin; the digest of every
//                output array's bits.
//
// A recorded key whose digest differs, or that is no longer produced, fails.
// A key produced but not recorded (a new method or surface) fails too, until
// recorded: `DESCENT_GOLDEN=record ctest -R golden` rewrites the files, and
// `git diff tests/golden` must then show only added lines.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "../cli_runner.h"
#include "batch/twin_check.h"
#include "common/json.h"
#include "lanes/simd128.h"
#include "optim/registry.h"
#include "surfaces/surface.h"

using namespace descent;

namespace {

using Digests = std::map<std::string, std::string>;

// FNV-1a, 64 bits: plenty to notice a changed bit, and the same everywhere.
struct Fnv {
  std::uint64_t h = 1469598103934665603ull;
  void add(const void* data, std::size_t n) {
    const auto* p = static_cast<const unsigned char*>(data);
    for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * 1099511628211ull;
  }
  std::string hex() const {
    char out[17];
    std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
    return out;
  }
};

// Typed formulas beside the built-ins: libm functions and the interpreter's ops.
const std::vector<std::string> kFormulas = {
    "expr:sin(x)*cos(y) + 0.1*(x^2 + y^2)",
    "expr:log(1 + x^2) + exp(-y/3)*sqrt(y^2 + 1) - tanh(x*y)/2",
    "expr:abs(x - 1) + max(y, -y)^2 + atan2(y, x + 3) + hypot(x, y)^1.5",
};

std::vector<std::string> surface_specs() {
  std::vector<std::string> specs;
  for (const auto& info : surfaces::catalogue()) specs.push_back(info.id);
  specs.push_back("quadratic:kappa=100");
  specs.insert(specs.end(), kFormulas.begin(), kFormulas.end());
  return specs;
}

// The surface's own start and two points inside its view box.
std::vector<surfaces::Point> starts_of(const std::string& spec) {
  const auto surface = surfaces::make_surface(spec);
  const auto v = surface->view();
  const auto at = [&](double u, double w) {
    return surfaces::Point{v.x_min + u * (v.x_max - v.x_min), v.y_min + w * (v.y_max - v.y_min)};
  };
  return {surface->start(), at(0.23, 0.71), at(0.83, 0.37)};
}

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

Digests cli_digests() {
  const auto specs = batch::kernel_variant_specs();
  Digests out;
  for (const auto& surface : surface_specs()) {
    for (const auto& start : starts_of(surface)) {
      std::string args = "run --steps 200 --surface " + quoted(surface) + " --start " +
                         quoted(number17(start.x) + "," + number17(start.y));
      for (const auto& spec : specs) args += " --optimizer " + quoted(spec);
      const auto r = testing::run_cli(args);
      CAPTURE(args, r.err);
      REQUIRE(r.status == 0);
      // Rows are `label,step,x,y,f`, each optimizer's 201 rows together, in order.
      std::istringstream lines(r.out);
      std::string line;
      std::getline(lines, line);  // header
      std::map<std::string, Fnv> by_label;
      std::size_t rows = 0;
      while (std::getline(lines, line)) {
        // The label may be CSV-quoted (it holds commas): the row's last four cells are numbers.
        std::size_t cut = line.size();
        for (int i = 0; i < 4; ++i) cut = line.rfind(',', cut - 1);
        std::string label = line.substr(0, cut);
        if (label.size() >= 2 && label.front() == '"') label = label.substr(1, label.size() - 2);
        by_label[label].add(line.data() + cut, line.size() - cut);
        by_label[label].add("\n", 1);
        ++rows;
      }
      REQUIRE(rows == 201 * specs.size());
      for (const auto& spec : specs) {
        REQUIRE(by_label.count(spec) == 1);
        out[spec + " | " + surface + " | " + number17(start.x) + "," + number17(start.y)] =
            by_label[spec].hex();
      }
    }
  }
  return out;
}

std::string digest(const batch::KernelOutputs& outputs) {
  Fnv h;
  for (std::size_t i = 0; i < outputs.names.size(); ++i) {
    h.add(outputs.names[i].data(), outputs.names[i].size());
    h.add(outputs.arrays[i].data(), outputs.arrays[i].size() * sizeof(float));
  }
  return h.hex();
}

// The batch kernels' outputs on the twin inputs, by key, for one twin.
std::map<std::string, batch::KernelOutputs> kernel_outputs(batch::Twin twin) {
  std::map<std::string, batch::KernelOutputs> out;
  // Each key's inputs come from a seed derived from the key itself, so adding
  // a method, a variant or a surface leaves every recorded key's inputs alone.
  auto seed_of = [](const std::string& key) {
    Fnv h;
    h.add(key.data(), key.size());
    return h.h;
  };
  auto record = [&](const std::string& key, auto&& outputs_for_seed) {
    out[key] = outputs_for_seed(seed_of(key));
  };
  for (const auto& spec : batch::kernel_variant_specs()) {
    for (std::size_t n : {std::size_t{1}, std::size_t{9}, std::size_t{37}})
      record("optimizer " + spec + " n=" + std::to_string(n), [&](std::uint64_t seed) {
        return batch::optimizer_kernel_outputs(spec, twin, n, seed, 8);
      });
    record("run rosenbrock " + spec, [&](std::uint64_t seed) {
      return batch::run_outputs("rosenbrock", spec, twin, 41, 70, seed);
    });
  }
  for (const auto& surface : surface_specs()) {
    record("surface " + surface, [&](std::uint64_t seed) {
      return batch::surface_kernel_outputs(surface, twin, 301, seed);
    });
    record("fused " + surface, [&](std::uint64_t seed) {
      return batch::fused_kernel_outputs(surface, twin, 77, seed);
    });
    for (const char* optimizer : {"adam", "sgd:lr=0.01", "momentum", "rmsprop"})
      record("run " + surface + " " + optimizer, [&](std::uint64_t seed) {
        return batch::run_outputs(surface, optimizer, twin, 41, 130, seed);
      });
  }
  return out;
}

Digests kernel_digests(batch::Twin twin) {
  Digests out;
  for (const auto& [key, outputs] : kernel_outputs(twin)) out[key] = digest(outputs);
  return out;
}

Digests read_digests(const std::string& path) {
  Digests out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const auto space = line.rfind(' ');
    if (line.empty() || line[0] == '#' || space == std::string::npos) continue;
    out[line.substr(0, space)] = line.substr(space + 1);
  }
  return out;
}

void write_digests(const std::string& path, const Digests& digests, const std::string& what) {
  std::ofstream out(path);
  out << "# " << what << "\n# Recorded by tests/native/golden/golden_test.cpp; see there.\n";
  for (const auto& [key, value] : digests) out << key << " " << value << "\n";
}

void check_against_record(const std::string& file, const Digests& now, const std::string& what) {
  const std::string path = std::string(DESCENT_GOLDEN_DIR) + "/" + file;
  const char* mode = std::getenv("DESCENT_GOLDEN");
  if (mode != nullptr && std::strcmp(mode, "record") == 0) {
    write_digests(path, now, what);
    WARN("recorded " << now.size() << " digests in " << path);
    return;
  }
  const Digests recorded = read_digests(path);
  REQUIRE(recorded.size() > 100);  // the file is there and whole
  int changed = 0, missing = 0, unrecorded = 0;
  for (const auto& [key, value] : recorded) {
    const auto it = now.find(key);
    if (it == now.end()) {
      ++missing;
      UNSCOPED_INFO("no longer produced: " << key);
    } else if (it->second != value) {
      ++changed;
      UNSCOPED_INFO("changed: " << key);
    }
  }
  for (const auto& [key, value] : now)
    if (!recorded.count(key)) {
      ++unrecorded;
      UNSCOPED_INFO("not recorded yet (DESCENT_GOLDEN=record): " << key);
    }
  CAPTURE(path, changed, missing, unrecorded);
  CHECK(changed + missing + unrecorded == 0);
}

}  // namespace

TEST_CASE("the CLI's trajectories are the recorded bits", "[golden]") {
  check_against_record("cli.txt", cli_digests(),
                       "descent run: registry variants x surfaces x 3 starts x 200 steps");
}

TEST_CASE("the batch kernels' outputs on the twin inputs are the recorded bits", "[golden]") {
  check_against_record("kernels.txt", kernel_digests(batch::Twin::scalar),
                       "batch kernels (scalar twin) on the twin inputs");
}

#if DESCENT_SIMD128  // a native build without SIMDe has the scalar twin only
// The SIMD twin natively (SIMDe on SSE/AVX) against the scalar twin, whose bits
// the test above holds to the record: every output the same bits, except that
// a NaN may carry the other sign. IEEE 754 leaves a NaN's sign to the
// operation, and x86's default NaN has the sign set where a libm call or a
// scalar path may give it clear (seen: 3 NaNs in 429 outputs), as WebAssembly
// also leaves it open (tests/node/twins.mjs compares NaN as NaN).
TEST_CASE("natively, the SIMD twin gives the scalar twin's (recorded) bits", "[golden][twins]") {
  const auto scalar = kernel_outputs(batch::Twin::scalar);
  const auto simd = kernel_outputs(batch::Twin::wasm_simd128);
  REQUIRE(simd.size() == scalar.size());
  REQUIRE(scalar.size() > 100);
  std::size_t values = 0, nan_signs = 0, differ = 0;
  for (const auto& [key, want] : scalar) {
    const auto& got = simd.at(key);
    REQUIRE(got.names == want.names);
    for (std::size_t j = 0; j < want.arrays.size(); ++j) {
      REQUIRE(got.arrays[j].size() == want.arrays[j].size());
      for (std::size_t i = 0; i < want.arrays[j].size(); ++i, ++values) {
        const float a = want.arrays[j][i], b = got.arrays[j][i];
        if (std::memcmp(&a, &b, sizeof a) == 0) continue;
        if (std::isnan(a) && std::isnan(b)) {
          ++nan_signs;
          continue;
        }
        if (++differ <= 10) UNSCOPED_INFO(key << ": " << want.names[j] << "[" << i << "] " << a << " vs " << b);
      }
    }
  }
  CAPTURE(values, nan_signs, differ);
  CHECK(values > 10000);
  CHECK(differ == 0);
}
#endif  // DESCENT_SIMD128
