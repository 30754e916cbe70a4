#include "batch/optimizer_batch.h"

#include <cmath>
#include <memory>

#include "batch/families.h"
#include "common/error.h"
#include "optim/method_optimizer.h"
#include "optim/schedule.h"

namespace descent::batch {

namespace {

using namespace optim;

float f32(double v) { return static_cast<float>(v); }

unsigned flag(bool on, unsigned bit) { return on ? bit : 0u; }

// The two decays and their complements.
void betas(StepScalars& k, double beta1, double beta2) {
  k.beta1 = f32(beta1);
  k.one_minus_beta1 = f32(1.0 - beta1);
  k.beta2 = f32(beta2);
  k.one_minus_beta2 = f32(1.0 - beta2);
}

// maximize and coupled weight decay, shared by most methods.
void preprocess(StepScalars& k, bool maximize, double weight_decay) {
  k.flags |= flag(maximize || weight_decay != 0.0, kPreprocess);
  k.gsign = maximize ? -1.0f : 1.0f;
  k.weight_decay = f32(weight_decay);
}

StepScalars step_scalars(const SgdHyper& h, long t, NoCarry&) {
  StepScalars k;
  preprocess(k, h.maximize, h.weight_decay);
  k.lr = f32(h.lr);
  if (h.moving_average) {
    k.flags |= kVariantA;
    k.beta1 = f32(h.momentum);
    k.one_minus_beta1 = f32(1.0 - h.momentum);
  } else if (h.momentum != 0.0) {
    k.flags |= kVariantA | flag(h.nesterov, kVariantB);
    const bool first = t == 1;  // torch's first buffer is g, undamped
    k.beta1 = first ? 0.0f : f32(h.momentum);
    k.one_minus_beta1 = first ? 1.0f : f32(1.0 - h.dampening);
    k.lr2 = f32(h.momentum);
  }
  return k;
}

StepScalars step_scalars(const AdagradHyper& h, long t, NoCarry&) {
  StepScalars k;
  preprocess(k, h.maximize, h.weight_decay);
  k.flags |= flag(h.eps_inside_root, kVariantA);
  k.lr = f32(adagrad_step_size(h, t));
  k.keep = t == 1 ? 0.0f : 1.0f;  // the first step seeds the sum
  k.lr2 = t == 1 ? f32(h.initial_accumulator_value) : 0.0f;
  k.eps = f32(h.eps);
  return k;
}

StepScalars step_scalars(const AdamHyper& h, long t, NoCarry&) {
  StepScalars k;
  const bool decoupled = h.decoupled_weight_decay && h.weight_decay != 0.0;
  preprocess(k, h.maximize, h.decoupled_weight_decay ? 0.0 : h.weight_decay);
  k.flags |= flag(h.amsgrad, kVariantA) | flag(h.eps_inside_root, kVariantB) |
             flag(decoupled, kVariantC);
  const auto [bc1, bc2] = adam_bias_corrections(h, t);
  k.lr = f32(h.lr / bc1);
  k.scale2 = f32(h.eps_inside_root ? 1.0 / bc2 : 1.0 / std::sqrt(bc2));
  k.keep = f32(1.0 - h.lr * h.weight_decay);
  betas(k, h.beta1, h.beta2);
  k.eps = f32(h.eps);
  return k;
}

StepScalars step_scalars(const NadamHyper& h, long t, NadamCarry& carry) {
  StepScalars k;
  preprocess(k, h.maximize, h.weight_decay);
  const auto [grad_step, momentum_step, bc2] = nadam_step_scalars(h, t, carry.mu_product);
  k.lr = f32(grad_step);
  k.lr2 = f32(momentum_step);
  k.scale2 = f32(1.0 / bc2);
  betas(k, h.beta1, h.beta2);
  k.eps = f32(h.eps);
  return k;
}

StepScalars step_scalars(const RadamHyper& h, long t, NoCarry&) {
  StepScalars k;
  preprocess(k, h.maximize, h.weight_decay);
  const auto [bc1, bc2, rectified, rect] = radam_step_scalars(h, t);
  k.flags |= flag(rectified, kVariantA);
  k.lr = f32(rectified ? h.lr * rect * std::sqrt(bc2) : h.lr);
  k.lr2 = f32(1.0 / bc1);
  betas(k, h.beta1, h.beta2);
  k.eps = f32(h.eps);
  return k;
}

// Family F's scalars for step t: its own (an UpdateFamily's coefficients) or
// the step_scalars overload above for its hyperparameter struct.
template <class F, class H>
StepScalars scalars_for(const H& h, long t, typename F::Carry& carry) {
  if constexpr (requires { F::step_scalars(h, t, carry); }) return F::step_scalars(h, t, carry);
  else return step_scalars(h, t, carry);
}

}  // namespace

std::size_t family_index(const std::string& name) {
  std::size_t found = Families::size;
  Families::each([&]<class F>(std::size_t i) {
    if (name == F::name) found = i;
  });
  if (found == Families::size) throw Error("no batch optimizer family '" + name + "'");
  return found;
}

BatchOptimizer::BatchOptimizer(const OptimizerSpec& spec) : id_(spec.id), label_(spec.label) {
  const OptimizerInfo& info = find_optimizer(spec.id);
  settings_ = complete_settings(info, spec.settings);
  if (spec.schedule && spec.schedule->uses_metric())
    throw Error(spec.id + ": the batch engine gives every point one rate per step, and plateau's "
                "rate depends on each point's loss");
  Families::each([&]<class F>(std::size_t i) {
    F::with_traits(info.method, [&]<class T>() {
      family_ = i;
      if (!spec.schedule) {
        make_schedule_ = [h = T::hyper(settings_)] {
          return [h, carry = typename F::Carry{}](long t) mutable {
            return scalars_for<F>(h, t, carry);
          };
        };
        return;
      }
      // The rate (and momentum) of step t from the one Scheduler, in double,
      // then the family's scalars from them as without a schedule.
      make_schedule_ = [h = T::hyper(settings_), schedule = spec.schedule,
                        base_lr = settings_.at("lr")] {
        auto scheduler = std::make_shared<Scheduler>(*schedule, base_lr);
        return [h, scheduler, carry = typename F::Carry{}](long t) mutable {
          const ScheduledValues v = scheduler->next();
          auto scheduled = h;
          set_scheduled_hyper(scheduled, v.lr, v.momentum);
          return scalars_for<F>(scheduled, t, carry);
        };
      };
    });
  });
  if (!make_schedule_) throw Error(spec.id + ": no batch kernel for this optimizer yet");
  state_count_ = info.state.size();
  schedule_ = make_schedule_();
}

StepScalars BatchOptimizer::next_step(bool masked) {
  StepScalars k = schedule_(++t_);
  if (masked) k.flags |= kMasked;
  return k;
}

void BatchOptimizer::reset() {
  t_ = 0;
  schedule_ = make_schedule_();
}

}  // namespace descent::batch
