#include "workloads/tile_packing.h"

#include "models/sim/checked.h"
#include "models/sim/errors.h"
#include "models/sim/units.h"

#include <fmt/format.h>

namespace aimcsim::workloads {

const std::vector<std::string>& packing_names() {
  static const std::vector<std::string> names{"none", "diagonal", "dense"};
  return names;
}

Packing parse_packing(const std::string& name) {
  if (name == "none") return Packing::none;
  if (name == "diagonal") return Packing::diagonal;
  if (name == "dense") return Packing::dense;
  throw sim::UserError(fmt::format("packing '{}': expected none, diagonal or dense", name));
}

std::string to_string(Packing packing) {
  return packing_names()[static_cast<std::size_t>(packing)];
}

namespace {

// A plane open to small blocks: diagonal uses rows_used/cols_used as one corner; dense keeps
// shelves, each as tall as its first block, filled left to right.
struct OpenPlane {
  struct Shelf {
    std::uint64_t height, cols_used;
  };
  std::uint64_t plane = 0, rows_used = 0, cols_used = 0;
  std::vector<Shelf> shelves;

  // Places s; where (row, col) on the plane.
  bool place(const LinearShape& s, std::uint64_t rows, std::uint64_t cols, Packing packing,
             std::uint64_t& row, std::uint64_t& col) {
    if (packing == Packing::diagonal) {
      if (rows_used + s.d_in > rows || cols_used + s.d_out > cols) return false;
      row = rows_used;
      col = cols_used;
      rows_used += s.d_in;
      cols_used += s.d_out;
      return true;
    }
    std::uint64_t top = 0;
    for (auto& shelf : shelves) {
      if (s.d_in <= shelf.height && shelf.cols_used + s.d_out <= cols) {
        row = top;
        col = shelf.cols_used;
        shelf.cols_used += s.d_out;
        return true;
      }
      top += shelf.height;
    }
    if (rows_used + s.d_in > rows) return false;
    row = rows_used;
    col = 0;
    rows_used += s.d_in;
    shelves.push_back(Shelf{s.d_in, s.d_out});
    return true;
  }
};

}  // namespace

PackedPlanes pack_planes(const std::vector<LinearShape>& linears, std::uint64_t rows,
                         std::uint64_t cols, Packing packing) {
  PackedPlanes out;
  std::vector<OpenPlane> open;
  std::vector<unsigned> users;  // per plane: linears on it
  for (const auto& s : linears) {
    PackedPlanes::Linear l;
    const bool small = s.d_in <= rows && s.d_out <= cols;
    if (packing != Packing::none && small) {
      OpenPlane* home = nullptr;
      for (auto& p : open)
        if (p.place(s, rows, cols, packing, l.row_offset, l.col_offset)) {
          home = &p;
          break;
        }
      if (home == nullptr) {
        open.push_back(OpenPlane{out.planes, 0, 0, {}});
        users.push_back(0);
        ++out.planes;
        home = &open.back();
        home->place(s, rows, cols, packing, l.row_offset, l.col_offset);
      }
      l.first_plane = home->plane;
      l.planes = 1;
    } else {
      l.first_plane = out.planes;
      l.planes = sim::mul(sim::ceil_div(s.d_in, rows), sim::ceil_div(s.d_out, cols),
                          "a linear's tile count");
      out.planes = sim::add(out.planes, l.planes, "the model's weight planes");
      users.resize(out.planes, 0);
    }
    ++users[l.first_plane];
    out.linears.push_back(l);
  }
  for (auto& l : out.linears) l.shared = l.planes == 1 && users[l.first_plane] > 1;
  return out;
}

}  // namespace aimcsim::workloads
