// AdamW, PyTorch's `torch.optim.AdamW` (torch/optim/adamw.py, `_single_tensor_adamw`).
//
//   g <- -g if maximize             (no L2 term: weight decay is decoupled)
//   p <- p * (1 - lr * weight_decay)        on the pre-step p
//   then Adam's update (adam.h) with g: m, v, amsgrad, bias correction.
//
// Defaults (torch): lr 1e-3, beta1 0.9, beta2 0.999, eps 1e-8,
// weight_decay 1e-2, amsgrad off. Loshchilov & Hutter 2019. Same switches
// (`bias_correction`, `eps_inside_root`) and state as Adam.
// Other libraries: Optax and Keras also multiply the decay by the learning rate;
// the paper scales lambda by the schedule multiplier eta_t only, not by lr.
// Torch takes any weight_decay >= 0; with lr * weight_decay > 1 the factor turns
// negative and flips p each step, so Descent rejects that combination
// (check_decoupled_weight_decay in gradient.h).
#pragma once

#include <string>
#include <vector>

#include "optim/adam.h"
#include "optim/gradient.h"

namespace descent::optim {

// Adam's rule, coefficients and state with decoupled weight decay.
struct Adamw : Adam {
  static constexpr const char* id = "adamw";
  static std::vector<RegistryEntry> entries() {
    return {{"adamw", "AdamW",
             "Adam with decoupled weight decay, torch.optim.AdamW (Loshchilov & Hutter 2019)",
             {lr(1e-3), beta1(0.9), beta2(0.999), eps(1e-8), decoupled_weight_decay(1e-2),
              amsgrad(), maximize(), bias_correction(true), eps_inside_root()}}};
  }
  static Hyper hyper(const Settings& s) { return Adam::hyper(s, true); }
  static void check(const std::string& id, const Hyper& h) {
    check_decoupled_weight_decay(id, h.lr, h.weight_decay);
  }
};

}  // namespace descent::optim
