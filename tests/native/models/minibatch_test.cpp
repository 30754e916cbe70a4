// Mini-batches: what each step's batch holds, that it is a pure function of
// (seed, step), and that a fixed seed gives a fixed path.
#include <catch2/catch.hpp>

#include <algorithm>
#include <numeric>

#include "common/error.h"
#include "models/minibatch.h"
#include "models/training.h"
#include "optim/registry.h"

using namespace descent;
using namespace descent::models;

namespace {

std::shared_ptr<const Dataset> line(std::size_t n) {
  return std::make_shared<Dataset>(generate_dataset("line:n=" + std::to_string(n)));
}

const ModelLoss kLinear({Model::linear, Precision::f64, 0});

}  // namespace

TEST_CASE("without replacement each epoch visits every sample once; the last batch is short",
          "[models][minibatch]") {
  const MiniBatchSource source(line(103), kLinear, {10, false, 5});
  REQUIRE(source.steps_per_epoch() == 11);
  std::vector<std::uint32_t> epoch[2];
  for (long k = 0; k < 22; ++k) {
    const auto batch = source.indices(k);
    CHECK(batch.size() == (k % 11 == 10 ? 3u : 10u));
    epoch[k / 11].insert(epoch[k / 11].end(), batch.begin(), batch.end());
  }
  CHECK(epoch[0] != epoch[1]);  // reshuffled
  for (auto& e : epoch) {
    std::sort(e.begin(), e.end());
    std::vector<std::uint32_t> all(103);
    std::iota(all.begin(), all.end(), 0u);
    CHECK(e == all);
  }
}

TEST_CASE("a batch as large as the set is the set in stored order", "[models][minibatch]") {
  const MiniBatchSource source(line(40), kLinear, {1000, false, 5});
  CHECK(source.batch_size() == 40);
  CHECK(source.steps_per_epoch() == 1);
  std::vector<std::uint32_t> all(40);
  std::iota(all.begin(), all.end(), 0u);
  for (long k : {0, 1, 17}) CHECK(source.indices(k) == all);
}

TEST_CASE("with replacement a batch is B uniform draws", "[models][minibatch]") {
  const MiniBatchSource source(line(50), kLinear, {20, true, 9});
  std::vector<int> counts(50, 0);
  for (long k = 0; k < 500; ++k) {
    const auto batch = source.indices(k);
    REQUIRE(batch.size() == 20);
    for (auto i : batch) ++counts.at(i);
  }
  for (int c : counts) CHECK(c == Approx(200).margin(60));  // 10000 draws over 50
  CHECK(MiniBatchSource(line(50), kLinear, {20, true, 10}).indices(0) != source.indices(0));
}

TEST_CASE("batch k is a pure function of (seed, k), in any call order", "[models][minibatch]") {
  for (bool replacement : {false, true}) {
    CAPTURE(replacement);
    const MiniBatchSource a(line(200), kLinear, {16, replacement, 3});
    const MiniBatchSource b(line(200), kLinear, {16, replacement, 3});
    const auto late = a.estimate(1.5, -0.5, 40);  // epoch 3 first
    CHECK(a.indices(2) == b.indices(2));
    const auto again = a.estimate(1.5, -0.5, 40);
    CHECK(late.f == again.f);
    CHECK(late.dfdx == again.dfdx);
    CHECK(b.estimate(1.5, -0.5, 40).dfdy == late.dfdy);
  }
  CHECK_THROWS_WITH(MiniBatchSource(line(20), kLinear, {0, false, 1}),
                    "batch size must be at least 1, got 0");
}

TEST_CASE("a fixed seed gives a fixed path", "[models][minibatch][golden]") {
  // descent train --model linear --data line:n=50,seed=3 --optimizer sgd:lr=0.05
  //               --batch 8 --seed 11 --steps 3   (float32, shuffled)
  Training t(std::make_shared<Dataset>(generate_dataset("line:n=50,seed=3")),
             {Model::linear, Precision::f32, 0}, {8, false, 11});
  t.session().add(optim::parse_spec("sgd:lr=0.05"));
  t.session().step(3);
  const auto& run = t.session().run(0);
  CHECK(run.trajectory[9] == 2.1957368373870851);
  CHECK(run.trajectory[10] == 0.67659683674573889);
  CHECK(run.trajectory[11] == 0.35673240661621092);
  CHECK(run.estimated_loss[3] == 0.46762043237686157);
  CHECK(run.estimated_loss[0] == 59.510665893554688);

  SECTION("reset replays it; a run added later catches up on the same batches") {
    const auto first = run.trajectory;
    t.session().reset();
    t.session().step(3);
    CHECK(t.session().run(0).trajectory == first);
    t.session().add(optim::parse_spec("sgd:lr=0.05"));
    CHECK(t.session().run(1).trajectory == first);
  }
  SECTION("another seed, another path") {
    t.set_sampling({8, false, 12});
    t.session().step(3);
    CHECK(t.session().run(0).trajectory[9] != 2.1957368373870851);
  }
}

TEST_CASE("epoch loss is the batch-size weighted mean of the epoch's batch losses",
          "[models][minibatch]") {
  Training t(line(25), {Model::linear, Precision::f64, 0}, {10, false, 1});  // 10, 10, 5
  t.session().add(optim::parse_spec("sgd:lr=0.01"));
  t.session().step(8);
  const auto epochs = t.epoch_losses(0);
  REQUIRE(epochs.size() == 2);
  const auto& l = t.session().run(0).estimated_loss;
  CHECK(epochs[1] == Approx((10 * l[3] + 10 * l[4] + 5 * l[5]) / 25).epsilon(1e-15));
  CHECK(epochs[0] > epochs[1]);
}
