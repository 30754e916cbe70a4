// Data sets: generated from specs (reproducible, validated) and read from CSV
// (each bad case with its message naming the line).
#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include "common/error.h"
#include "models/dataset.h"
#include "models/model.h"

using namespace descent::models;
using Catch::Matchers::Contains;

TEST_CASE("a generated set is a pure function of its spec", "[models][dataset]") {
  const Dataset a = generate_dataset("line:n=500,noise=0.3,seed=7");
  const Dataset b = generate_dataset("line:n=500,noise=0.3,seed=7");
  const Dataset c = generate_dataset("line:n=500,noise=0.3,seed=8");
  REQUIRE(a.size() == 500);
  CHECK(a.xs == b.xs);
  CHECK(a.ys == b.ys);
  CHECK(a.ys != c.ys);
  CHECK(a.source == "line:n=500,noise=0.3,seed=7");
  CHECK(a.name == "line (500 samples)");
  CHECK_FALSE(a.classes);
  SECTION("float64 values are the float32 values, so both precisions see the same samples") {
    for (std::size_t i = 0; i < a.size(); ++i) {
      CHECK(a.xs[i] == static_cast<double>(a.xs32[i]));
      CHECK(a.ys[i] == static_cast<double>(a.ys32[i]));
    }
  }
}

TEST_CASE("every kind has defaults and its samples look as described", "[models][dataset]") {
  SECTION("line: x within [xmin, xmax], y around w*x + b") {
    const Dataset d = generate_dataset("line:n=20000,w=-3,b=2,noise=0.5,xmin=-1,xmax=5");
    double residual_sq = 0;
    for (std::size_t i = 0; i < d.size(); ++i) {
      CHECK((d.xs[i] >= -1 && d.xs[i] <= 5));
      residual_sq += std::pow(d.ys[i] - (-3 * d.xs[i] + 2), 2);
    }
    CHECK(std::sqrt(residual_sq / d.size()) == Approx(0.5).epsilon(0.03));
  }
  SECTION("outliers: about `fraction` of the samples moved up by `size`") {
    const Dataset d = generate_dataset("outliers:n=10000,noise=0,fraction=0.2,size=10");
    int moved = 0;
    for (std::size_t i = 0; i < d.size(); ++i) moved += d.ys[i] - (2 * d.xs[i] + 1) > 5;
    CHECK(moved == Approx(2000).margin(150));
  }
  SECTION("overlap and separable: labels 0, 1 alternating") {
    for (const char* spec : {"overlap", "separable"}) {
      const Dataset d = generate_dataset(spec);
      CHECK(d.classes);
      CHECK(d.size() == 200);
      for (std::size_t i = 0; i < d.size(); ++i) CHECK(d.ys[i] == static_cast<double>(i % 2));
    }
  }
  SECTION("separable: a gap between the classes") {
    const Dataset d = generate_dataset("separable:gap=2,width=1,center=3");
    for (std::size_t i = 0; i < d.size(); ++i) {
      if (d.ys[i] == 0) CHECK((d.xs[i] <= 2 && d.xs[i] >= 1));
      else CHECK((d.xs[i] >= 4 && d.xs[i] <= 5));
    }
  }
  SECTION("sizes from 10 to 1,000,000") {
    CHECK(generate_dataset("line:n=10").size() == 10);
    CHECK(generate_dataset("overlap:n=1000000").size() == 1000000);
  }
  SECTION("the kinds table lists every kind with a seed last") {
    REQUIRE(dataset_kinds().size() == 4);
    for (const auto& k : dataset_kinds()) {
      CAPTURE(k.kind);
      CHECK(k.params.front().key == "n");
      CHECK(k.params.back().key == "seed");
      CHECK_NOTHROW(generate_dataset(k.kind));
    }
  }
}

TEST_CASE("bad specs are rejected with a message naming the field", "[models][dataset]") {
  const char* cases[][2] = {
      {"lines", "unknown data set 'lines' (known: line, outliers, overlap, separable, or a .csv file)"},
      {"line:n=5", "line: n must be a whole number in [10, 1000000], got 5"},
      {"line:n=1000001", "line: n must be a whole number in [10, 1000000], got 1000001"},
      {"line:n=20.5", "line: n must be a whole number in [10, 1000000], got 20.5"},
      {"line:noise=-1", "line: noise must be in [0, 1000000], got -1"},
      {"line:noise=abc", "line: noise expects a number, got 'abc'"},
      {"line:noise", "line: expected key=value, got 'noise'"},
      {"line:slope=2", "line: unknown parameter 'slope' (known: n, w, b, noise, xmin, xmax, seed)"},
      {"line:n=20,n=30", "line: n is given twice"},
      {"line:xmin=3,xmax=1", "line: xmin must be less than xmax, got 3 and 1"},
      {"overlap:seed=-1", "overlap: seed must be a whole number in [0, 9.00719925474e+15], got -1"},
      {"separable:gap=0", "separable: gap must be in [1e-06, 1000000], got 0"},
  };
  for (const auto& c : cases) {
    CAPTURE(c[0]);
    CHECK_THROWS_WITH(generate_dataset(c[0]), c[1]);
  }
}

TEST_CASE("CSV: header optional, quotes, blank lines and CRLF accepted", "[models][dataset][csv]") {
  const Dataset d = parse_csv("x,y\r\n1,2\r\n\r\n \"3.5\" , -4e1 \r\n  \n5,6");
  REQUIRE(d.size() == 3);
  CHECK(d.xs == std::vector<double>{1, 3.5, 5});
  CHECK(d.ys == std::vector<double>{2, -40, 6});
  CHECK(d.lines == std::vector<std::uint32_t>{2, 4, 6});
  CHECK(d.source == "csv");
  CHECK(d.name == "CSV (3 rows)");
  CHECK_FALSE(d.classes);
  CHECK(parse_csv("0.1,0\n0.2,1\n").classes);
  CHECK(parse_csv("1,2").size() == 1);  // no header, no final newline
  SECTION("float32 values are the nearest floats") {
    const Dataset e = parse_csv("0.1,0.2\n");
    CHECK(e.xs32[0] == 0.1f);
    CHECK(e.xs[0] == 0.1);
  }
}

TEST_CASE("CSV: each bad case gets its message, naming the line", "[models][dataset][csv]") {
  const std::string big_rows = [] {
    std::string s = "x,y\n";
    for (int i = 0; i < 1000001; ++i) s += "1,2\n";
    return s;
  }();
  const std::pair<std::string, std::string> cases[] = {
      {"1,2\n3,4\n5,6,7\n", "line 3: expected 2 columns, got 3"},
      {"x,y\n1,2\n3\n", "line 3: expected 2 columns, got 1"},
      {"x\n1\n", "line 1: expected 2 columns, got 1"},
      {"x,y\n1,2\nabc,4\n", "line 3: 'abc' is not a number"},
      {"x,y\n1,\n", "line 2: '' is not a number"},
      {"1,abc\n", "line 1: 'abc' is not a number"},  // a first line with a number is data
      {"x,y\n1,2\n3,inf\n", "line 3: 'inf' is not a finite number"},
      {"x,y\n1,nan\n", "line 2: 'nan' is not a finite number"},
      {"", "no data rows"},
      {"\n\n  \n", "no data rows"},
      {"x,y\n", "no data rows"},
      {big_rows, "line 1000002: more than 1000000 rows"},
      {std::string(kMaxCsvBytes + 1, ' '), "file is larger than 50 MB"},
  };
  for (const auto& [text, message] : cases) {
    CAPTURE(text.substr(0, 40));
    CHECK_THROWS_WITH(parse_csv(text), message);
  }
  CHECK(parse_csv(big_rows.substr(0, big_rows.size() - 4)).size() == 1000000);
}

TEST_CASE("logistic regression needs labels 0 or 1, named by line", "[models][dataset][csv]") {
  const auto csv = std::make_shared<Dataset>(parse_csv("x,label\n1,0\n2,1\n3,2\n4,1\n"));
  ModelConfig logistic{Model::logistic, Precision::f64, 0};
  CHECK_THROWS_WITH(check_model(logistic, *csv), "line 4: label must be 0 or 1, got 2");
  CHECK_NOTHROW(check_model({Model::linear, Precision::f64, 0}, *csv));
  CHECK_THROWS_WITH(check_model(logistic, generate_dataset("line")),
                    "logistic regression needs labels 0 or 1; 'line' has real-valued y (use "
                    "overlap or separable data)");
  CHECK_THROWS_WITH(check_model({Model::linear, Precision::f64, -1}, *csv), "l2 must be >= 0, got -1");
}
