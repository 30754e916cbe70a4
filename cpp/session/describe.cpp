#include "session/describe.h"

#include "common/json.h"
#include "optim/registry.h"

namespace descent::session {
namespace {

const char* scale_name(optim::Scale scale) {
  switch (scale) {
    case optim::Scale::Log: return "log";
    case optim::Scale::Bool: return "bool";
    case optim::Scale::Linear: break;
  }
  return "linear";
}

std::string json_bool(bool b) { return b ? "true" : "false"; }

std::string minima_json(const std::vector<surfaces::Minimum>& minima) {
  std::string out;
  for (std::size_t i = 0; i < minima.size(); ++i) {
    const auto& m = minima[i];
    out += (i ? "," : "") + std::string("{\"x\":") + json_number(m.at.x) +
           ",\"y\":" + json_number(m.at.y) + ",\"f\":" + json_number(m.f) + "}";
  }
  return out;
}

}  // namespace

std::string settings_json(const optim::Settings& settings) {
  std::string out = "{";
  for (const auto& [key, value] : settings)
    out += (out.size() > 1 ? "," : "") + json_string(key) + ":" + json_number(value);
  return out + "}";
}

std::string registry_json() {
  std::string out = "[";
  for (const auto& info : optim::registry()) {
    out += (out.size() > 1 ? "," : "");
    out += "{\"id\":" + json_string(info.id) + ",\"name\":" + json_string(info.name) +
           ",\"summary\":" + json_string(info.summary) + ",\"params\":[";
    optim::Settings defaults;
    for (std::size_t i = 0; i < info.params.size(); ++i) {
      const auto& p = info.params[i];
      defaults[p.key] = p.default_value;
      out += (i ? "," : "");
      out += "{\"key\":" + json_string(p.key) + ",\"meaning\":" + json_string(p.meaning) +
             ",\"default\":" + json_number(p.default_value) + ",\"min\":" + json_number(p.min) +
             ",\"max\":" + json_number(p.max) + ",\"min_open\":" + json_bool(p.min_open) +
             ",\"max_open\":" + json_bool(p.max_open) + ",\"scale\":\"" + scale_name(p.scale) +
             "\",\"ui_min\":" + json_number(p.ui_min) + ",\"ui_max\":" + json_number(p.ui_max) +
             "}";
    }
    out += "],\"state\":[";
    for (std::size_t i = 0; i < info.state.size(); ++i)
      out += (i ? "," : "") + json_string(info.state[i]);
    out += "],\"state_symbols\":[";
    for (std::size_t i = 0; i < info.state_symbols.size(); ++i)
      out += (i ? "," : "") + json_string(info.state_symbols[i]);
    out += "],\"first_moment\":" + std::to_string(info.first_moment) +
           ",\"latex\":" + json_string(info.latex(defaults)) + "}";
  }
  return out + "]";
}

std::string surface_json(const surfaces::Surface& s) {
  const auto v = s.view();
  std::string out = "{\"id\":" + json_string(s.id()) + ",\"name\":" + json_string(s.name()) +
                    ",\"formula\":" + json_string(s.formula()) + ",\"note\":" +
                    json_string(s.note()) + ",\"view\":{\"x_min\":" + json_number(v.x_min) +
                    ",\"x_max\":" + json_number(v.x_max) + ",\"y_min\":" + json_number(v.y_min) +
                    ",\"y_max\":" + json_number(v.y_max) + "},\"start\":[" +
                    json_number(s.start().x) + "," + json_number(s.start().y) + "],\"minima\":[";
  out += minima_json(s.minima()) + "],\"local_minima\":[" + minima_json(s.local_minima());
  return out + "]}";
}

std::string catalogue_json() {
  std::string out = "[";
  for (const auto& info : surfaces::catalogue())
    out += (out.size() > 1 ? "," : "") + surface_json(*surfaces::make_surface(info.id));
  return out + "]";
}

}  // namespace descent::session
