// Data sets for the two-parameter models (model.h): n samples (x, y), stored
// as structure-of-arrays in float32 and float64, so the batch kernels
// (batch_kernels.h) stream them in either precision.
//
// Generated sets come from a spec and a seed (counter-based, see
// counter_random.h, so native and WASM builds generate the same bits):
//
//   SPEC   := KIND [ ':' PARAM { ',' PARAM } ]      e.g. line:n=200,noise=0.5,seed=1
//   PARAM  := KEY '=' NUMBER
//
//   line       y = w*x + b + noise*N(0,1), x uniform in [xmin, xmax]
//              n=200 w=2 b=1 noise=0.5 xmin=0 xmax=4 seed=1
//   outliers   a line where each sample, with probability `fraction`, has y
//              moved up by `size` (squared error is pulled towards them)
//              n=200 w=2 b=1 noise=0.5 xmin=0 xmax=4 fraction=0.1 size=10 seed=1
//   overlap    two classes (labels 0, 1 alternating), x = center -/+ separation/2
//              + spread*N(0,1): the classes overlap, the logistic loss has a minimum
//              n=200 separation=2 spread=1 center=0 seed=1
//   separable  class 0 uniform in [center-gap/2-width, center-gap/2], class 1 in
//              [center+gap/2, center+gap/2+width]: the logistic loss keeps falling
//              as w grows, it has no finite minimum (unless l2 > 0)
//              n=200 gap=1 width=2 center=0 seed=1
//
// n is a whole number from 10 to 1,000,000; seed a whole number from 0 to 2^53.
// N(0,1) is approximated by the sum of 12 uniforms minus 6 (Irwin-Hall): mean
// 0, variance 1, tails cut at 6, and no libm call whose last bit could differ
// between platforms. Generated values are rounded to float32 first, so the
// float32 and float64 kernels see the same samples and differ only in arithmetic.
//
// CSV text (pasted or uploaded) holds `x,y` or `x,label` rows: numbers as C's
// strtod reads them, optionally in double quotes; an optional header (a first
// line where no field is a number); blank lines skipped; CRLF accepted. Values
// are kept in float64 as written and rounded to nearest for float32. Errors
// name the line: `line 7: expected 2 columns, got 3`, `line 3: 'abc' is not a
// number`, `line 5: 'inf' is not a finite number`, `no data rows`,
// `line 1000002: more than 1000000 rows`, `file is larger than 50 MB`
// (50,000,000 bytes). Labels are checked by the model that needs them
// (model.h: `line 4: label must be 0 or 1, got 2`).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace descent::models {

inline constexpr std::size_t kMinGeneratedSamples = 10;
inline constexpr std::size_t kMaxSamples = 1'000'000;
inline constexpr std::size_t kMaxCsvBytes = 50'000'000;

struct Dataset {
  std::string source;  // the spec as given, or `csv`
  std::string name;    // for display: `line (200 samples)`, `CSV (57 rows)`
  // Every y is 0 or 1: generated classes (overlap, separable), or a CSV whose
  // second column happens to hold only 0 and 1.
  bool classes = false;
  std::vector<double> xs, ys;
  std::vector<float> xs32, ys32;
  // The CSV line of each sample (1-based); empty for generated sets, where
  // sample i is reported as `sample i+1`.
  std::vector<std::uint32_t> lines;

  std::size_t size() const { return xs.size(); }
  // Where sample i came from, for messages: `line 7` or `sample 7`.
  std::string where(std::size_t i) const;
};

// A generated data set from its spec (grammar above). Throws descent::Error
// naming the kind and the field: `line: n must be a whole number in [10,
// 1000000], got 5`, `unknown data set 'lines' (known: ...)`.
Dataset generate_dataset(std::string_view spec);

// A data set from CSV text (rules above). Throws descent::Error naming the line.
Dataset parse_csv(std::string_view text);

// Seeded inputs for checking kernel twins against each other (tests, bench):
// n samples (any n, 0 included) with x uniform in [-3, 3) and y uniform in
// [-3, 3), or labels 0/1 when `classes`.
Dataset kernel_check_dataset(std::size_t n, std::uint64_t seed, bool classes);

// One parameter of a generated kind, for listings and the page's controls.
struct DatasetParam {
  std::string key;
  std::string meaning;
  double default_value;
  double min, max;  // valid range, both ends included
  bool whole;       // a whole number (n, seed)
};

struct DatasetKind {
  std::string kind;  // `line`
  std::string summary;
  bool classes;  // labels 0/1 (for logistic regression) or real-valued y
  std::vector<DatasetParam> params;
};

// Every generated kind, in display order.
const std::vector<DatasetKind>& dataset_kinds();

}  // namespace descent::models
