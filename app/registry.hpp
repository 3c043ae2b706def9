#pragma once
// The models the executable knows, in one explicit list (no static-initialisation tricks).
#include <string>
#include <vector>

#include "sim/model.hpp"

namespace borderland::app {

const std::vector<const sim::Model*>& models();
std::vector<const sim::ModelSpec*> model_specs();
const sim::Model* find_model(const std::string& name);

}  // namespace borderland::app
