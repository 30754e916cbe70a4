// Decoupled weight decay's range rule, for the methods that scale the
// parameter itself (AdamW, Lion). The two stages torch.optim applies to the raw
// gradient (maximize, then coupled L2 decay) are GradientStage in
// update_method.h.
#pragma once

#include <string>

#include "common/error.h"

namespace descent::optim {

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
