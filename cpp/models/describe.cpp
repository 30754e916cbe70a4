#include "models/describe.h"

#include "common/json.h"
#include "models/batch_kernels.h"
#include "models/dataset.h"

namespace descent::models {

std::string models_json() {
  std::string out = "{\"models\":[" + json_string(model_name(Model::linear)) + "," +
                    json_string(model_name(Model::logistic)) + "],\"precisions\":[" +
                    json_string(precision_name(Precision::f32)) + "," +
                    json_string(precision_name(Precision::f64)) + "],\"datasets\":[";
  for (std::size_t k = 0; k < dataset_kinds().size(); ++k) {
    const auto& kind = dataset_kinds()[k];
    out += (k ? "," : "") + std::string("{\"kind\":") + json_string(kind.kind) +
           ",\"summary\":" + json_string(kind.summary) +
           ",\"classes\":" + (kind.classes ? "true" : "false") + ",\"params\":[";
    for (std::size_t i = 0; i < kind.params.size(); ++i) {
      const auto& p = kind.params[i];
      out += (i ? "," : "") + std::string("{\"key\":") + json_string(p.key) +
             ",\"meaning\":" + json_string(p.meaning) + ",\"default\":" +
             json_number(p.default_value) + ",\"min\":" + json_number(p.min) +
             ",\"max\":" + json_number(p.max) + ",\"whole\":" + (p.whole ? "true" : "false") + "}";
    }
    out += "]}";
  }
  return out + "]}";
}

}  // namespace descent::models
