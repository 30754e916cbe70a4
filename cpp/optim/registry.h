// The one list of optimizers: what the CLI prints, what the page builds its
// controls from, what the tests iterate over.
#pragma once

#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <typeindex>
#include <vector>

#include "optim/optimizer.h"

namespace descent::optim {

enum class Scale { Linear, Log, Bool };

struct ParamInfo {
  std::string key;      // PyTorch name, or the variant's name
  std::string meaning;  // one line, for hints and `descent list`
  double default_value;
  // Valid range; an open end excludes its bound. Bool params are {0, 1}.
  double min;
  double max;
  bool min_open;
  bool max_open;
  Scale scale;
  // Range a slider on the page spans (a subset of the valid range).
  double ui_min;
  double ui_max;
};

struct OptimizerInfo {
  std::string id;       // `adam`, `momentum_ema`, ...
  std::string name;     // display name, `Adam`
  std::string summary;  // one line: what it is and where it comes from
  std::vector<ParamInfo> params;
  std::vector<std::string> state;  // names of the per-coordinate buffers
  // Each buffer's symbol in the update rule's LaTeX (`m_t` for exp_avg), as
  // the page labels the state it shows.
  std::vector<std::string> state_symbols;
  // The traits type of the method (SgdMethod, AdamWMethod, ...): how other
  // parts of the core (the batch engine's families) recognize it.
  std::type_index method = typeid(void);
  // Index into `state` of the buffer holding the momentum or first moment
  // (the traits' first_moment), or -1.
  int first_moment = -1;
  // Makes an instance for `dimension` parameters with already complete,
  // already validated settings.
  std::function<std::unique_ptr<Optimizer>(const Settings&, std::size_t dimension)> make;
  // The update rule as LaTeX for the given (complete) settings.
  std::function<std::string(const Settings&)> latex;
};

const std::vector<OptimizerInfo>& registry();

// Throws descent::Error "unknown optimizer 'x'" listing the known ids.
const OptimizerInfo& find_optimizer(std::string_view id);

// Defaults of `info` overridden by `overrides`, validated: every key known,
// every value in range, plus the method's own cross-field rules. Throws
// descent::Error naming the optimizer and the field.
Settings complete_settings(const OptimizerInfo& info, const Settings& overrides);

std::unique_ptr<Optimizer> make_optimizer(std::string_view id, const Settings& overrides,
                                          std::size_t dimension);

struct ScheduleSpec;  // schedule.h

// `ID[:key=value,...][@SCHEDULE]` as written on the command line or in the
// page's URL (the schedule's grammar: schedule.h).
struct OptimizerSpec {
  std::string label;  // the text as given
  std::string id;
  Settings settings;  // only the keys given
  // The learning-rate schedule after '@', or null: the constant rate.
  std::shared_ptr<const ScheduleSpec> schedule;
};
// Parses and validates a spec; throws descent::Error on any mistake.
OptimizerSpec parse_spec(std::string_view text);

}  // namespace descent::optim
