// JSON descriptions of the models part for the page (through the bindings):
// the generated data-set kinds with their parameters, the models.
#pragma once

#include <string>

namespace descent::models {

// {models: ["linear", "logistic"], precisions: ["f32", "f64"],
//  datasets: [{kind, summary, classes, params: [{key, meaning, default, min, max, whole}]}]}
std::string models_json();

}  // namespace descent::models
