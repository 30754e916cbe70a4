#include "cli/train.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "cli/args.h"
#include "common/error.h"
#include "models/training.h"
#include "optim/registry.h"

namespace descent::cli {
namespace {

// The value of each `--flag value` pair; only --optimizer may repeat.
std::map<std::string, std::vector<std::string>> read_flags(const std::vector<std::string>& args) {
  static const char* const known[] = {"--model", "--data",   "--optimizer", "--batch",
                                      "--sampling", "--seed", "--epochs",   "--steps",
                                      "--l2",    "--precision", "--start"};
  std::map<std::string, std::vector<std::string>> flags;
  for (std::size_t i = 1; i < args.size(); i += 2) {
    const std::string& flag = args[i];
    if (std::find(std::begin(known), std::end(known), flag) == std::end(known))
      throw Error("unknown option '" + flag + "' for train (see descent --help)");
    if (i + 1 >= args.size()) throw Error(flag + " needs a value");
    if (flag != "--optimizer" && flags.count(flag)) throw Error(flag + " is given twice");
    flags[flag].push_back(args[i + 1]);
  }
  return flags;
}

bool names_a_file(const std::string& data) {
  return data.find('/') != std::string::npos ||
         (data.size() > 4 && data.compare(data.size() - 4, 4, ".csv") == 0);
}

std::shared_ptr<const models::Dataset> load_data(const std::string& data) {
  if (!names_a_file(data)) return std::make_shared<models::Dataset>(models::generate_dataset(data));
  std::error_code error;
  const auto bytes = std::filesystem::file_size(data, error);
  std::ifstream file(data, std::ios::binary);
  if (error || !file) throw Error("cannot read '" + data + "'");
  try {
    if (bytes > models::kMaxCsvBytes) throw Error("file is larger than 50 MB");
    std::ostringstream text;
    text << file.rdbuf();
    return std::make_shared<models::Dataset>(models::parse_csv(text.str()));
  } catch (const Error& e) {
    throw Error(data + ": " + e.what());
  }
}

// A whole number in [min, max] for `flag` (`full` allowed for --batch).
long parse_count(const std::string& flag, const std::string& text, long min, long max) {
  char* end = nullptr;
  const long v = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || end != text.c_str() + text.size() || v < min || v > max)
    throw Error(flag + " expects a whole number from " + std::to_string(min) + " to " +
                std::to_string(max) + (flag == "--batch" ? " or full" : "") + ", got '" + text +
                "'");
  return v;
}

}  // namespace

std::string train_command(const std::vector<std::string>& args) {
  auto flags = read_flags(args);
  const auto value = [&](const std::string& flag, const std::string& fallback) {
    return flags.count(flag) ? flags[flag][0] : fallback;
  };
  if (!flags.count("--model")) throw Error("train needs --model linear|logistic");
  if (!flags.count("--data")) throw Error("train needs --data SPEC or --data FILE.csv");
  if (!flags.count("--optimizer"))
    throw Error("train needs at least one --optimizer ID[:key=value,...]");
  if (flags.count("--epochs") && flags.count("--steps"))
    throw Error("train takes --epochs or --steps, not both");

  models::ModelConfig model;
  model.model = models::parse_model(value("--model", ""));
  model.precision = models::parse_precision(value("--precision", "f32"));
  model.l2 = parse_double("--l2", value("--l2", "0"));
  models::Sampling sampling;
  const std::string batch = value("--batch", "32");
  sampling.batch = batch == "full" ? models::kMaxSamples
                                   : static_cast<std::size_t>(parse_count(
                                         "--batch", batch, 1, models::kMaxSamples));
  const std::string how = value("--sampling", "shuffle");
  if (how != "shuffle" && how != "replacement")
    throw Error("--sampling expects shuffle or replacement, got '" + how + "'");
  sampling.replacement = how == "replacement";
  sampling.seed = parse_seed(value("--seed", "1"));
  std::vector<optim::OptimizerSpec> specs;
  for (const auto& spec : flags["--optimizer"]) specs.push_back(optim::parse_spec(spec));

  models::Training training(load_data(flags["--data"][0]), model, sampling);
  long steps = 0;
  if (flags.count("--steps")) {
    steps = parse_steps(flags["--steps"][0]);
  } else {
    const long epochs = parse_count("--epochs", value("--epochs", "10"), 0, kMaxSteps);
    const long per_epoch = training.source().steps_per_epoch();
    if (epochs > kMaxSteps / per_epoch)
      throw Error("--epochs " + std::to_string(epochs) + " takes more than " +
                  std::to_string(kMaxSteps) + " steps (" + std::to_string(per_epoch) +
                  " per epoch)");
    steps = epochs * per_epoch;
  }
  auto& session = training.session();
  if (flags.count("--start")) session.set_start(parse_point(flags["--start"][0]));
  for (const auto& spec : specs) session.add(spec);
  session.step(steps);
  // float32 losses and gradients: 9 significant digits hold all they carry.
  return trajectory_csv(session, true, model.precision == models::Precision::f32 ? 9 : 17);
}

}  // namespace descent::cli
