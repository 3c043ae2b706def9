#pragma once
// The shapes of vision (Parameters::neighbourhood) as rows of cells: row dy
// of a window of vision v, dy = -v .. v, holds the cells dx = -w .. w with
// w = half_widths[dy + v]. Every shape is symmetric and holds its centre
// (the agent's own cell, which the rules then leave out), so one description
// serves the move, the window counts and the arrest.
#include <cstddef>
#include <cstdlib>
#include <vector>

#include "models/civil_violence/parameters.hpp"

namespace borderland::civil_violence {

inline std::vector<int> row_half_widths(Neighbourhood shape, int vision) {
  std::vector<int> half(static_cast<std::size_t>(2 * vision + 1));
  for (int dy = -vision; dy <= vision; ++dy) {
    const int ady = std::abs(dy);
    int w = vision;  // the square
    if (shape == Neighbourhood::kVonNeumann) w = vision - ady;
    if (shape == Neighbourhood::kCross) w = dy == 0 ? vision : 0;
    if (shape == Neighbourhood::kDisc) {
      w = 0;  // the widest w with w^2 + dy^2 <= v^2, in integers
      while ((w + 1) * (w + 1) + ady * ady <= vision * vision) ++w;
    }
    half[static_cast<std::size_t>(dy + vision)] = w;
  }
  return half;
}

// Cells of the window, its centre included.
inline std::size_t window_cells(const std::vector<int>& half_widths) {
  std::size_t cells = 0;
  for (const int w : half_widths) cells += static_cast<std::size_t>(2 * w + 1);
  return cells;
}

}  // namespace borderland::civil_violence
