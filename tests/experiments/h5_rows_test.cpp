// The h5 wrapper functions the sweep file relies on: fixed datasets allocated
// at creation, row writes in any order, raw row copies, object and attribute
// copies, shrinking extendible datasets, unlinking and renaming.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "sim/error.hpp"
#include "sim/h5.hpp"

namespace borderland::sim::h5 {

namespace {
std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() /
          ("borderland_h5rows_" + std::to_string(::getpid()) + "_" + name))
      .string();
}
}  // namespace

TEST(H5Rows, FixedDatasetsTakeRowsInAnyOrder) {
  const std::string path = temp_path("fixed.h5");
  {
    File f(path, File::Mode::kCreate);
    Dataset d = f.create_fixed<double>("runs/x", {4, 3}, "1", "rows");
    d.write_rows(2, std::vector<double>{7, 8, 9});
    d.write_rows(0, std::vector<double>{1, 2, 3, 4, 5, 6});  // rows 0 and 1
    Dataset s = f.create_fixed_strings("runs/error", 3, 8, "text");
    s.write_string_rows(1, {"a much longer text than eight"});
    EXPECT_THROW(d.write_rows(3, std::vector<double>{1, 2, 3, 4, 5, 6}), RunError);  // past the end
    EXPECT_THROW(d.write_rows(0, std::vector<double>{1, 2}), RunError);              // not a row
  }
  const File f(path, File::Mode::kReadOnly);
  EXPECT_EQ(f.open_dataset("runs/x").read<double>(),
            (std::vector<double>{1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 0, 0}));  // unwritten rows are 0
  EXPECT_EQ(f.open_dataset("runs/error").read_strings(),
            (std::vector<std::string>{"", "a much l", ""}));
  EXPECT_EQ(f.open_dataset("runs/x").attr_string("units"), "1");
}

TEST(H5Rows, RawRowsCopyBetweenFilesAndObjectsCopyWhole) {
  const std::string a = temp_path("a.h5"), b = temp_path("b.h5");
  {
    File f(a, File::Mode::kCreate);
    f.set_attr("format", std::string("x"));
    f.set_attr("n", std::int64_t{3});
    f.create_fixed<std::int64_t>("g/v", {3, 2}).write_rows(1, std::vector<std::int64_t>{5, 6});
    f.create_fixed_strings("g/s", 3, 4).write_string_rows(1, {"ab"});
  }
  {
    const File src(a, File::Mode::kReadOnly);
    File dst(b, File::Mode::kCreate);
    src.copy_attrs_to(dst);
    src.copy_to("g", dst);
    Dataset v = dst.open_dataset("g/v");
    EXPECT_EQ(v.row_bytes(), 16u);
    v.write_rows_raw(2, src.open_dataset("g/v").read_rows_raw(1, 1));
    dst.open_dataset("g/s").write_rows_raw(0, src.open_dataset("g/s").read_rows_raw(1, 1));
    EXPECT_THROW(v.write_rows_raw(0, std::vector<char>(3)), RunError);
  }
  const File f(b, File::Mode::kReadOnly);
  EXPECT_EQ(f.attr_string("format"), "x");
  EXPECT_EQ(f.attr_int("n"), 3);
  EXPECT_EQ(f.open_dataset("g/v").read<std::int64_t>(),
            (std::vector<std::int64_t>{0, 0, 5, 6, 5, 6}));
  EXPECT_EQ(f.open_dataset("g/s").read_strings(), (std::vector<std::string>{"ab", "ab", ""}));
}

TEST(H5Rows, ResizeRemoveAndMove) {
  const std::string path = temp_path("resize.h5");
  File f(path, File::Mode::kCreate);
  Dataset d = f.create_extendible<std::int64_t>("t", {}, 16);
  d.append(std::vector<std::int64_t>{1, 2, 3, 4});
  d.resize_rows(2);
  d.append(std::vector<std::int64_t>{9});
  EXPECT_EQ(d.read<std::int64_t>(), (std::vector<std::int64_t>{1, 2, 9}));
  f.create_group("old");
  f.move("old", "new");
  EXPECT_FALSE(f.has("old"));
  EXPECT_TRUE(f.has("new"));
  f.remove("new");
  EXPECT_FALSE(f.has("new"));
}

}  // namespace borderland::sim::h5
