#include "batch/optimizer_batch.h"

#include <memory>

#include "batch/families.h"
#include "common/error.h"
#include "optim/method_optimizer.h"
#include "optim/schedule.h"

namespace descent::batch {

using namespace optim;

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
            return F::step_scalars(h, t, carry);
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
          return F::step_scalars(scheduled, t, carry);
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
