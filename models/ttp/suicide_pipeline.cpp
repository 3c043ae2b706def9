// The suicide-attacker pipeline (see suicide_pipeline.hpp).
#include "models/ttp/suicide_pipeline.hpp"
#include "models/ttp/param_bindings.hpp"

#include <algorithm>
#include <stdexcept>

namespace borderland::ttp::suicide {

namespace {
// Fighters per unit of the intake rate (the rate is per 1000 fighters).
constexpr double kFightersPerUnit = 1000;
// Entries of state(): in training, stock, trained so far, spent so far.
constexpr std::size_t kStateSize = 4;

using sim::ParamSpec;

using Binding = ParamBinding<Parameters>;

const std::vector<Binding>& bindings() {
  static const std::vector<Binding> all{
      {ParamSpec::real("suicide.intake_rate", 0.013, 0, 1, "1/(1000 persons)/day",
                       "candidates entering suicide training per 1000 fighters in sanctuary per "
                       "day with the camps free: 4.7 a year per 1000. The model's sanctuary "
                       "holds fewer fighters than militants.sanctuary_fighters (a share is away "
                       "on missions), and the command keeps a reserve (tactic.suicide_reserve), "
                       "so this gives about 4 suicide attacks a year in 2020-21 and 16 in 2022 on "
                       "the historical ensemble (PICSS: 4 in 2020 and in 2021, 15 in 2022; PIPS "
                       "14) [judgement on PICSS]"),
       &Parameters::intake_rate},
      {ParamSpec::real("suicide.training_days", 90, 1, 1000, "day",
                       "mean time from recruitment to a bomber ready for use: months of "
                       "indoctrination and a handler's preparation [judgement]"),
       &Parameters::training_days},
      {ParamSpec::real("suicide.stock_max", 12, 0, 1000, "persons",
                       "most trained bombers the command holds ready; graduates beyond it wait "
                       "in camp [judgement: about a year's use at the 2022 rate]"),
       &Parameters::stock_max},
      {ParamSpec::real("suicide.initial_stock", 1, 0, 1000, "persons",
                       "bombers ready on the first day (1 Jan 2020: the pipeline was running at "
                       "the low 2020 rate) [judgement]"),
       &Parameters::initial_stock},
  };
  return all;
}

}  // namespace

std::vector<sim::ParamSpec> parameter_specs() {
  return specs_of(bindings());
}

Parameters Parameters::from(const sim::ParamValues& values) {
  return values_of(bindings(), values);
}

Pipeline::Pipeline(const Parameters& p) : p_(p), stock_(p.initial_stock) {
  // In training at the start: none beyond what the stock already holds; the
  // pipeline fills within training_days.
}

void Pipeline::step(double sanctuary_fighters, double camp_freedom) {
  const double freedom = std::clamp(camp_freedom, 0.0, 1.0);
  const double intake =
      p_.intake_rate * std::max(0.0, sanctuary_fighters) / kFightersPerUnit * freedom;
  const double graduating = std::min(in_training_, in_training_ / p_.training_days);
  const double room = std::max(0.0, p_.stock_max - stock_);
  const double admitted = std::min(graduating, room);
  in_training_ += intake - admitted;
  stock_ += admitted;
  trained_total_ += admitted;
}

bool Pipeline::spend() {
  if (stock_ < 1.0) return false;
  stock_ -= 1.0;
  spent_total_ += 1.0;
  return true;
}

std::vector<double> Pipeline::state() const {
  return {in_training_, stock_, trained_total_, spent_total_};
}

void Pipeline::restore(const std::vector<double>& state) {
  if (state.size() != kStateSize)
    throw std::invalid_argument("suicide pipeline: checkpoint holds " +
                                std::to_string(state.size()) + " values, expected " +
                                std::to_string(kStateSize));
  in_training_ = state[0];
  stock_ = state[1];
  trained_total_ = state[2];
  spent_total_ = state[3];
}

}  // namespace borderland::ttp::suicide
