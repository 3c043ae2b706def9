#pragma once
#include "sim/model.hpp"

namespace borderland::ttp {

// The TTP insurgency model as the engine sees it.
class Model final : public sim::Model {
 public:
  Model();
  const sim::ModelSpec& spec() const override { return spec_; }
  std::unique_ptr<sim::Simulation> create(const sim::Scenario& scenario) const override;

 private:
  sim::ModelSpec spec_;
};

}  // namespace borderland::ttp
