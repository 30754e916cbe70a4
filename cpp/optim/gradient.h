// The two stages torch.optim applies to the raw gradient before any method's
// own update, shared by every method that offers them (in this order):
//
//   g <- -g                       if maximize   (ascend instead of descend)
//   g <- g + weight_decay * p     L2 penalty, "coupled" weight decay
//
// AdamW and Lion decay the parameter itself instead (decoupled weight decay);
// they pass weight_decay = 0 here and scale p themselves.
#pragma once

#include <string>

#include "common/error.h"

namespace descent::optim {

inline double preprocess_gradient(double grad, double param, bool maximize, double weight_decay) {
  double g = maximize ? -grad : grad;
  if (weight_decay != 0.0) g += weight_decay * param;
  return g;
}

// Decoupled decay scales p by 1 - lr * weight_decay. Torch accepts any
// weight_decay >= 0, but past lr * weight_decay = 1 the factor turns negative
// and flips p every step, so Descent rejects that (the `check` of AdamW, Lion).
inline void check_decoupled_weight_decay(const std::string& id, double lr, double weight_decay) {
  if (lr * weight_decay > 1.0)
    throw Error(id +
                ": lr * weight_decay must be <= 1 (it scales p by 1 - lr * weight_decay), got " +
                format_number(lr * weight_decay));
}

}  // namespace descent::optim
