// JSON descriptions of the registry, the catalogue and instances, for the page
// (through the bindings) and the CLI. Non-finite numbers become null
// (an unbounded range's `max` is null).
#pragma once

#include <string>

#include "optim/optimizer.h"
#include "surfaces/surface.h"

namespace descent::session {

// [{id, name, summary, params: [{key, meaning, default, min, max, min_open,
//   max_open, scale: "linear"|"log"|"bool", ui_min, ui_max}], state: [..], latex}]
std::string registry_json();

// {id, name, formula, note, view: {x_min, x_max, y_min, y_max}, start: [x, y],
//  minima: [{x, y, f}], local_minima: [{x, y, f}]}
std::string surface_json(const surfaces::Surface& surface);

// [surface_json(...)] for every built-in surface.
std::string catalogue_json();

// {key: value, ...}
std::string settings_json(const optim::Settings& settings);

}  // namespace descent::session
