#pragma once
// A georeferenced raster of cells with named layers.
//
// Indexing: cell (x, y) has linear index y * nx + x; y increases northwards
// (row 0 is the southernmost), x eastwards. lon0/lat0 are the west/south edges
// of cell (0, 0) (see docs/hdf5_layout.md, "Georeferencing").
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace borderland::sim {

struct GeoRef {
  double lon0 = 0.0;  // degrees east, west edge of column 0
  double lat0 = 0.0;  // degrees north, south edge of row 0
  double dlon = 1.0;  // degrees per column
  double dlat = 1.0;  // degrees per row
};

// What lies beyond the edge: nothing (bounded map) or the opposite edge (torus).
enum class Edges { kBounded, kTorus };

template <class T>
struct Layer {
  std::string units;
  std::string description;
  std::vector<T> values;  // nx * ny, row-major, row 0 south
};

class Grid {
 public:
  using AnyLayer = std::variant<Layer<float>, Layer<double>, Layer<std::int32_t>>;

  Grid() = default;
  Grid(int nx, int ny, Edges edges = Edges::kBounded, GeoRef geo = {});

  int nx() const { return nx_; }
  int ny() const { return ny_; }
  std::size_t cells() const {
    return static_cast<std::size_t>(nx_) * static_cast<std::size_t>(ny_);
  }
  Edges edges() const { return edges_; }
  const GeoRef& geo() const { return geo_; }

  std::size_t index(int x, int y) const {
    return static_cast<std::size_t>(y) * static_cast<std::size_t>(nx_) +
           static_cast<std::size_t>(x);
  }
  int x_of(std::size_t i) const { return static_cast<int>(i % static_cast<std::size_t>(nx_)); }
  int y_of(std::size_t i) const { return static_cast<int>(i / static_cast<std::size_t>(nx_)); }
  bool inside(int x, int y) const { return x >= 0 && y >= 0 && x < nx_ && y < ny_; }
  // Maps (x, y) onto the grid: wraps on a torus; nullopt off a bounded grid.
  std::optional<std::size_t> locate(
      int x, int y) const {  // inline: the hottest call of neighbourhood code
    if (edges_ == Edges::kTorus) {
      // Neighbourhood queries step at most one grid width away: wrap without
      // a division in that common case.
      if (x < 0)
        x += nx_;
      else if (x >= nx_)
        x -= nx_;
      if (y < 0)
        y += ny_;
      else if (y >= ny_)
        y -= ny_;
      if (!inside(x, y)) x = ((x % nx_) + nx_) % nx_, y = ((y % ny_) + ny_) % ny_;
      return index(x, y);
    }
    if (!inside(x, y)) return std::nullopt;
    return index(x, y);
  }

  double lon_of(int x) const { return geo_.lon0 + (x + 0.5) * geo_.dlon; }  // cell centre
  double lat_of(int y) const { return geo_.lat0 + (y + 0.5) * geo_.dlat; }  // cell centre
  std::optional<std::size_t> cell_at(double lon, double lat) const;

  // Named layers. Adding a layer that exists replaces it.
  template <class T>
  Layer<T>& add_layer(const std::string& name, std::string units, std::string description,
                      T fill = T{}) {
    Layer<T> layer{std::move(units), std::move(description), std::vector<T>(cells(), fill)};
    return std::get<Layer<T>>(layers_.insert_or_assign(name, std::move(layer)).first->second);
  }
  template <class T>
  const Layer<T>& layer(const std::string& name) const {
    return std::get<Layer<T>>(find(name));
  }
  template <class T>
  Layer<T>& layer(const std::string& name) {
    return std::get<Layer<T>>(const_cast<AnyLayer&>(find(name)));
  }
  bool has_layer(const std::string& name) const { return layers_.count(name) > 0; }
  const std::map<std::string, AnyLayer>& layers() const { return layers_; }

 private:
  const AnyLayer& find(const std::string& name) const;

  int nx_ = 0;
  int ny_ = 0;
  Edges edges_ = Edges::kBounded;
  GeoRef geo_{};
  std::map<std::string, AnyLayer> layers_;
};

}  // namespace borderland::sim
