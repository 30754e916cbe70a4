// The pieces of the spec grammar `ID[:key=value,...]` that optimizers
// (optim/registry.cpp), schedules (optim/schedule.cpp) and surfaces
// (surfaces/spec.cpp) share: one list walk, one number rule, one lookup by name,
// each with the same error messages everywhere.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "common/error.h"

namespace descent {

// Calls fn(key, value_text) for each item of a comma-separated `key=value`
// list. `who` names the owner in errors: "who: expected key=value, got 'x'",
// "who: key is given twice".
template <class Fn>
void for_each_setting(std::string_view items, const std::string& who, Fn&& fn) {
  std::set<std::string, std::less<>> seen;
  while (true) {
    const auto comma = items.find(',');
    const std::string_view item = items.substr(0, comma);
    const auto eq = item.find('=');
    if (eq == std::string_view::npos || eq == 0)
      throw Error(who + ": expected key=value, got '" + std::string(item) + "'");
    const std::string_view key = item.substr(0, eq);
    if (!seen.emplace(key).second) throw Error(who + ": " + std::string(key) + " is given twice");
    fn(key, item.substr(eq + 1));
    if (comma == std::string_view::npos) break;
    items = items.substr(comma + 1);
  }
}

// The whole of `text` as a number (strtod's syntax, no leading space), or
// nothing.
std::optional<double> parse_number(std::string_view text);

// The entry of `list` whose `name` member (&Info::id, &Param::key) is `name`;
// else Error "OWNERunknown WHAT 'name' (known: a, b, ...MORE)", OWNER "" or
// "adam: ".
template <class List, class Name>
const auto& find_by(const List& list, Name name_of, std::string_view name, std::string_view what,
                    std::string_view owner = "", std::string_view more = "") {
  for (const auto& entry : list)
    if (entry.*name_of == name) return entry;
  std::string known;
  for (const auto& entry : list) known += (known.empty() ? "" : ", ") + entry.*name_of;
  throw Error(std::string(owner) + "unknown " + std::string(what) + " '" + std::string(name) +
              "' (known: " + known + std::string(more) + ")");
}

}  // namespace descent
