#include "sim/grid.hpp"

#include <cmath>

#include "sim/error.hpp"

namespace borderland::sim {

Grid::Grid(int nx, int ny, Edges edges, GeoRef geo) : nx_(nx), ny_(ny), edges_(edges), geo_(geo) {
  if (nx <= 0 || ny <= 0) throw InputError("grid size must be positive");
}

std::optional<std::size_t> Grid::cell_at(double lon, double lat) const {
  const double fx = std::floor((lon - geo_.lon0) / geo_.dlon);
  const double fy = std::floor((lat - geo_.lat0) / geo_.dlat);
  if (fx < 0 || fy < 0 || fx >= nx_ || fy >= ny_) return std::nullopt;
  return index(static_cast<int>(fx), static_cast<int>(fy));
}

const Grid::AnyLayer& Grid::find(const std::string& name) const {
  const auto it = layers_.find(name);
  if (it == layers_.end()) throw RunError("grid has no layer '" + name + "'");
  return it->second;
}

}  // namespace borderland::sim
