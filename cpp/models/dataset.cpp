// Generated data sets: the kinds table, spec parsing, the generators.
#include "models/dataset.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <map>
#include <utility>

#include "common/error.h"
#include "models/counter_random.h"

namespace descent::models {
namespace {

using Values = std::map<std::string, double>;

// Numbers drawn per sample: draw kDrawsPerSample * i + j is sample i's j-th.
constexpr std::uint64_t kDrawsPerSample = 16;
constexpr double kMaxSeed = 9007199254740992.0;  // 2^53: every whole double below is exact

// Sample i's random numbers, drawn in order: uniform() and normal() advance.
class SampleDraws {
 public:
  SampleDraws(const CounterRandom& random, std::size_t i)
      : random_(random), next_(kDrawsPerSample * i) {}
  double uniform() { return random_.unit(next_++); }
  // Irwin-Hall: 12 uniforms minus 6 (dataset.h says why).
  double normal() {
    double sum = 0.0;
    for (int j = 0; j < 12; ++j) sum += uniform();
    return sum - 6.0;
  }

 private:
  const CounterRandom& random_;
  std::uint64_t next_;
};

void push_sample(Dataset& data, double x, double y) {
  const float x32 = static_cast<float>(x), y32 = static_cast<float>(y);
  data.xs32.push_back(x32);
  data.ys32.push_back(y32);
  data.xs.push_back(x32);
  data.ys.push_back(y32);
}

// line and outliers: y = w*x + b + noise*N(0,1) (+ size with probability fraction).
void fill_line(const Values& v, Dataset& data) {
  const CounterRandom random(static_cast<std::uint64_t>(v.at("seed")), Stream::data);
  const double fraction = v.count("fraction") ? v.at("fraction") : 0.0;
  const double size = v.count("size") ? v.at("size") : 0.0;
  const auto n = static_cast<std::size_t>(v.at("n"));
  for (std::size_t i = 0; i < n; ++i) {
    SampleDraws draw(random, i);
    const double x = v.at("xmin") + (v.at("xmax") - v.at("xmin")) * draw.uniform();
    double y = v.at("w") * x + v.at("b") + v.at("noise") * draw.normal();
    if (draw.uniform() < fraction) y += size;
    push_sample(data, x, y);
  }
}

// overlap and separable: class c = i mod 2 on its side of `center`. overlap:
// Gaussian around center -/+ separation/2; separable: uniform in a band of
// `width` beyond half the gap.
void fill_classes(const Values& v, Dataset& data) {
  const CounterRandom random(static_cast<std::uint64_t>(v.at("seed")), Stream::data);
  const bool overlap = v.count("separation") != 0;
  const auto n = static_cast<std::size_t>(v.at("n"));
  for (std::size_t i = 0; i < n; ++i) {
    SampleDraws draw(random, i);
    const double side = i % 2 ? 1.0 : -1.0;
    const double offset = overlap ? 0.5 * v.at("separation") + side * v.at("spread") * draw.normal()
                                  : 0.5 * v.at("gap") + v.at("width") * draw.uniform();
    push_sample(data, v.at("center") + side * offset, static_cast<double>(i % 2));
  }
}

struct Generator {
  DatasetKind info;
  void (*fill)(const Values&, Dataset&);
};

std::vector<Generator> make_generators() {
  const DatasetParam n{"n", "number of samples", 200, static_cast<double>(kMinGeneratedSamples),
                     static_cast<double>(kMaxSamples), true};
  const std::vector<DatasetParam> line = {
      n,
      {"w", "slope of the true line", 2, -1e6, 1e6, false},
      {"b", "intercept of the true line", 1, -1e6, 1e6, false},
      {"noise", "standard deviation of the noise on y", 0.5, 0, 1e6, false},
      {"xmin", "smallest x", 0, -1e6, 1e6, false},
      {"xmax", "largest x", 4, -1e6, 1e6, false},
  };
  std::vector<DatasetParam> outliers = line;
  outliers.push_back({"fraction", "share of samples moved up", 0.1, 0, 1, false});
  outliers.push_back({"size", "how far an outlier is moved up", 10, -1e6, 1e6, false});
  const DatasetParam center{"center", "x midway between the classes", 0, -1e6, 1e6, false};
  std::vector<Generator> list = {
      {{"line", "points around a line: linear regression's textbook case", false, line}, &fill_line},
      {{"outliers", "a line with some points moved far up: squared error follows them", false,
        outliers},
       &fill_line},
      {{"overlap", "two overlapping classes: logistic regression has a minimum", true,
        {n,
         {"separation", "distance between the class centres", 2, 0, 1e6, false},
         {"spread", "standard deviation of each class", 1, 1e-6, 1e6, false},
         center}},
       &fill_classes},
      {{"separable", "two classes with a gap: the logistic loss has no finite minimum", true,
        {n,
         {"gap", "empty space between the classes", 1, 1e-6, 1e6, false},
         {"width", "width of each class's band", 2, 1e-6, 1e6, false},
         center}},
       &fill_classes},
  };
  for (auto& g : list)  // every kind takes a seed, listed last
    g.info.params.push_back({"seed", "random seed of the samples", 1, 0, kMaxSeed, true});
  return list;
}

const std::vector<Generator>& generators() {
  static const std::vector<Generator> list = make_generators();
  return list;
}

const Generator& find_generator(std::string_view kind) {
  std::string known;
  for (const auto& g : generators()) {
    if (g.info.kind == kind) return g;
    known += (known.empty() ? "" : ", ") + g.info.kind;
  }
  throw Error("unknown data set '" + std::string(kind) + "' (known: " + known + ", or a .csv file)");
}

// `key=value,...` after the colon, checked against the kind's parameters.
Values parse_values(const DatasetKind& kind, std::string_view text) {
  Values values;
  for (const auto& p : kind.params) values[p.key] = p.default_value;
  std::map<std::string, bool> given;
  while (!text.empty()) {
    const std::string_view item = text.substr(0, text.find(','));
    text.remove_prefix(std::min(text.size(), item.size() + 1));
    const auto eq = item.find('=');
    const std::string key(item.substr(0, eq));
    if (eq == std::string_view::npos || key.empty())
      throw Error(kind.kind + ": expected key=value, got '" + std::string(item) + "'");
    const DatasetParam* param = nullptr;
    std::string known;
    for (const auto& p : kind.params) {
      if (p.key == key) param = &p;
      known += (known.empty() ? "" : ", ") + p.key;
    }
    if (!param)
      throw Error(kind.kind + ": unknown parameter '" + key + "' (known: " + known + ")");
    if (given[key]) throw Error(kind.kind + ": " + key + " is given twice");
    given[key] = true;
    const std::string value(item.substr(eq + 1));
    char* end = nullptr;
    const double v = std::strtod(value.c_str(), &end);
    if (value.empty() || end != value.c_str() + value.size() || !std::isfinite(v))
      throw Error(kind.kind + ": " + key + " expects a number, got '" + value + "'");
    if (v < param->min || v > param->max || (param->whole && v != std::floor(v)))
      throw Error(kind.kind + ": " + key + " must be " + (param->whole ? "a whole number " : "") +
                  "in [" + format_number(param->min) + ", " + format_number(param->max) +
                  "], got " + value);
    values[key] = v;
  }
  if (values.count("xmin") && !(values["xmin"] < values["xmax"]))
    throw Error(kind.kind + ": xmin must be less than xmax, got " + format_number(values["xmin"]) +
                " and " + format_number(values["xmax"]));
  return values;
}

}  // namespace

std::string Dataset::where(std::size_t i) const {
  return (lines.empty() ? "sample " + std::to_string(i + 1) : "line " + std::to_string(lines[i]));
}

const std::vector<DatasetKind>& dataset_kinds() {
  static const std::vector<DatasetKind> kinds = [] {
    std::vector<DatasetKind> out;
    for (const auto& g : generators()) out.push_back(g.info);
    return out;
  }();
  return kinds;
}

Dataset kernel_check_dataset(std::size_t n, std::uint64_t seed, bool classes) {
  const CounterRandom random(seed, Stream::kernel_check);
  Dataset data;
  data.source = "kernel-check";
  data.name = "kernel check (" + std::to_string(n) + " samples)";
  data.classes = classes;
  for (std::size_t i = 0; i < n; ++i) {
    SampleDraws draw(random, i);
    const double x = 6 * draw.uniform() - 3, u = draw.uniform();
    push_sample(data, x, classes ? static_cast<double>(u < 0.5) : 6 * u - 3);
  }
  return data;
}

Dataset generate_dataset(std::string_view spec) {
  const auto colon = spec.find(':');
  const Generator& generator = find_generator(spec.substr(0, colon));
  const Values values =
      parse_values(generator.info, colon == std::string_view::npos ? "" : spec.substr(colon + 1));
  Dataset data;
  data.source = std::string(spec);
  data.classes = generator.info.classes;
  const auto n = static_cast<std::size_t>(values.at("n"));
  data.name = generator.info.kind + " (" + std::to_string(n) + " samples)";
  for (auto* v : {&data.xs, &data.ys}) v->reserve(n);
  for (auto* v : {&data.xs32, &data.ys32}) v->reserve(n);
  generator.fill(values, data);
  return data;
}

}  // namespace descent::models
