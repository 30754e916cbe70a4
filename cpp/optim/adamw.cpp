#include "optim/adamw.h"

#include "optim/gradient.h"

namespace descent::optim {

void AdamWMethod::check(const std::string& id, const AdamHyper& h) {
  check_decoupled_weight_decay(id, h.lr, h.weight_decay);
}

}  // namespace descent::optim

#include "optim/registry_builder.h"

namespace descent::optim {

void register_adamw(RegistryBuilder& builder) {
  builder.add<AdamWMethod>(
      "adamw", "AdamW",
      "Adam with decoupled weight decay, torch.optim.AdamW (Loshchilov & Hutter 2019)",
      {lr(1e-3), beta1(0.9), beta2(0.999), eps(1e-8), decoupled_weight_decay(1e-2), amsgrad(),
       maximize(), bias_correction(true), eps_inside_root()},
      {"exp_avg", "exp_avg_sq", "max_exp_avg_sq"});
}

}  // namespace descent::optim
