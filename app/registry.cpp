#include "app/registry.hpp"

#include "models/civil_violence/model.hpp"
#if BORDERLAND_HAS_TTP
#include "models/ttp/model.hpp"
#endif

namespace borderland::app {

const std::vector<const sim::Model*>& models() {
  static const civil_violence::Model civil_violence_model;
#if BORDERLAND_HAS_TTP
  static const ttp::Model ttp_model;
  static const std::vector<const sim::Model*> all{&civil_violence_model, &ttp_model};
#else
  static const std::vector<const sim::Model*> all{&civil_violence_model};
#endif
  return all;
}

std::vector<const sim::ModelSpec*> model_specs() {
  std::vector<const sim::ModelSpec*> specs;
  for (const auto* m : models()) specs.push_back(&m->spec());
  return specs;
}

const sim::Model* find_model(const std::string& name) {
  for (const auto* m : models())
    if (m->spec().name == name) return m;
  return nullptr;
}

}  // namespace borderland::app
