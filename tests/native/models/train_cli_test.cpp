// `descent train` as a user runs it: the CSV, the defaults, the errors.
#include <catch2/catch.hpp>

#include <cstdio>
#include <fstream>
#include <string>

#include "../cli_runner.h"

using descent::testing::count_lines;
using descent::testing::run_cli;
using Catch::Matchers::Contains;

namespace {

// A file in the test's working directory, removed when the test ends.
struct TempFile {
  std::string path;
  TempFile(const std::string& name, const std::string& text) : path(name) {
    std::ofstream(path, std::ios::binary) << text;
  }
  ~TempFile() { std::remove(path.c_str()); }
};

}  // namespace

TEST_CASE("descent train prints the run CSV plus the mini-batch loss", "[cli][train]") {
  auto r = run_cli("train --model linear --data line:n=50,seed=3 --optimizer sgd:lr=0.05 "
                   "--batch 8 --seed 11 --steps 3");
  REQUIRE(r.status == 0);
  CHECK(r.err.empty());
  // float32 (the default): 9 significant digits, all a float32 loss carries.
  CHECK(r.out ==
        "optimizer,step,x,y,f,loss\n"
        "sgd:lr=0.05,0,0,0,35.4517871,59.5106659\n"
        "sgd:lr=0.05,1,2.46818447,0.76254797,1.16921089,1.47484481\n"
        "sgd:lr=0.05,2,2.17029798,0.658615839,0.338521042,0.439475864\n"
        "sgd:lr=0.05,3,2.19573684,0.676596837,0.356732407,0.467620432\n");
}

TEST_CASE("descent train prints float64 results with 17 significant digits", "[cli][train]") {
  auto f64 = run_cli("train --model linear --data line:n=50,seed=3 --optimizer sgd:lr=0.05 "
                     "--batch 8 --seed 11 --steps 3 --precision f64");
  REQUIRE(f64.status == 0);
  // Step 0 at (0, 0): the mean squared error of the data itself, the same to
  // float32's 7 digits, printed with all the digits a double holds.
  const std::string row = f64.out.substr(f64.out.find("\nsgd:lr=0.05,0,") + 1);
  const std::string f = row.substr(std::string("sgd:lr=0.05,0,0,0,").size());
  CHECK(f.substr(0, f.find(',')).size() >= 17);  // e.g. 35.451787xxxxxxxxx
  CHECK(f.rfind("35.45178", 0) == 0);
}

TEST_CASE("epochs, several optimizers, full batch, CSV files", "[cli][train]") {
  SECTION("--epochs counts ceil(n / batch) steps each; every optimizer gets its rows") {
    auto r = run_cli("train --model logistic --data overlap:n=100 --optimizer sgd:lr=0.5 "
                     "--optimizer \"momentum:lr=0.1,nesterov=true\" --batch 30 --epochs 3");
    REQUIRE(r.status == 0);
    CHECK(count_lines(r.out) == 1 + 2 * (3 * 4 + 1));
    CHECK_THAT(r.out, Contains("\n\"momentum:lr=0.1,nesterov=true\",12,"));
  }
  SECTION("full batch: loss equals f at every step") {
    auto r = run_cli("train --model linear --data line --optimizer sgd:lr=0.01 --batch full --epochs 2");
    REQUIRE(r.status == 0);
    std::string row = r.out.substr(r.out.find("\nsgd:lr=0.01,2,") + 1);
    row = row.substr(0, row.find('\n'));
    const auto comma = row.rfind(',');
    CHECK(row.substr(comma + 1) == row.substr(row.rfind(',', comma - 1) + 1, comma - row.rfind(',', comma - 1) - 1));
  }
  SECTION("a CSV file, header and all") {
    TempFile csv("train_cli_test_data.csv", "x,y\n0,1\n1,3\n2,5.2\n3,6.9\n");
    auto r = run_cli("train --model linear --data " + csv.path +
                     " --optimizer sgd:lr=0.05 --batch 2 --epochs 5 --precision f64 --start 1,1");
    REQUIRE(r.status == 0);
    CHECK(count_lines(r.out) == 1 + 11);
    CHECK_THAT(r.out, Contains("\nsgd:lr=0.05,0,1,1,"));
  }
}

TEST_CASE("bad train input exits 2 with one line on stderr and no table", "[cli][train]") {
  TempFile bad_columns("train_cli_test_bad.csv", "x,y\n1,2\n3,4,5\n");
  TempFile bad_label("train_cli_test_label.csv", "x,label\n1,0\n2,1\n3,2\n");
  const std::string cases[][2] = {
      {"train --data line --optimizer sgd", "train needs --model linear|logistic"},
      {"train --model linear --optimizer sgd", "train needs --data SPEC or --data FILE.csv"},
      {"train --model linear --data line", "train needs at least one --optimizer"},
      {"train --model ridge --data line --optimizer sgd", "model expects linear|logistic, got 'ridge'"},
      {"train --model linear --data lines --optimizer sgd", "unknown data set 'lines'"},
      {"train --model linear --data line:n=5 --optimizer sgd", "line: n must be a whole number in [10, 1000000], got 5"},
      {"train --model logistic --data line --optimizer sgd", "logistic regression needs labels 0 or 1"},
      {"train --model linear --data line --optimizer sgd --batch 0", "--batch expects a whole number from 1 to 1000000 or full, got '0'"},
      {"train --model linear --data line --optimizer sgd --sampling sometimes", "--sampling expects shuffle or replacement"},
      {"train --model linear --data line --optimizer sgd --precision f16", "precision expects f32|f64, got 'f16'"},
      {"train --model linear --data line --optimizer sgd --l2 -1", "l2 must be >= 0, got -1"},
      {"train --model linear --data line --optimizer sgd --epochs 2 --steps 3", "train takes --epochs or --steps, not both"},
      {"train --model linear --data line --optimizer sgd --epochs 200000", "--epochs 200000 takes more than 1000000 steps (7 per epoch)"},
      {"train --model linear --data line --optimizer adamm", "unknown optimizer 'adamm'"},
      {"train --model linear --data line --optimizer sgd --frob 1", "unknown option '--frob' for train"},
      {"train --model linear --data line --optimizer sgd --seed", "--seed needs a value"},
      {"train --model linear --data line --model logistic --optimizer sgd", "--model is given twice"},
      {"train --model linear --data missing.csv --optimizer sgd", "cannot read 'missing.csv'"},
      {"train --model linear --data " + bad_columns.path + " --optimizer sgd",
       bad_columns.path + ": line 3: expected 2 columns, got 3"},
      {"train --model logistic --data " + bad_label.path + " --optimizer sgd",
       "line 4: label must be 0 or 1, got 2"},
  };
  for (const auto& c : cases) descent::testing::check_cli_error(c[0], c[1]);
}
