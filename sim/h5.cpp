#include "sim/h5.hpp"

#include <fmt/format.h>
#include <hdf5_hl.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "sim/error.hpp"

namespace borderland::sim::h5 {

// HDF5's default preemption policy of its chunk cache (H5Pset_cache's w0); the
// cache itself is off for files opened to write (see File::File).
constexpr double kChunkCachePreemption = 0.75;

namespace {
// HDF5 prints a stack of errors to stderr by default; we report our own.
// No HDF5 shutdown at exit either: after a failed close (a full disk) HDF5
// keeps the file half-closed and its atexit shutdown crashes closing it again
// (SIGSEGV in H5F__close_cb, HDF5 1.10.8). Every file we write is closed
// explicitly, and the kernel closes what is left.
struct SilenceHdf5 {
  SilenceHdf5() {
    H5dont_atexit();  // before any other call: it only works before the library starts
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  }
};
const SilenceHdf5 silence_once;

// Datasets smaller than this are stored contiguous: compression has nothing to gain.
constexpr hsize_t kCompressAboveElements = 4096;
constexpr unsigned kDeflateLevel = 4;  // a good size/speed trade-off for our fields
// A sweep's rows (create_row_chunked), compressed once a run: zlib's levels 1-3 (its fast
// matcher) cost 42% fewer instructions than 4 for a 7.5% larger file (historical TTP sweep of
// every series: 89M against 152M instructions a run in SweepFile::write; 8 runs 1,053,654
// against 979,925 bytes), and 3 keeps the most of the three.
constexpr unsigned kRowDeflateLevel = 3;

Handle string_type(std::size_t length) {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.id(), std::max<std::size_t>(length, 1));
  H5Tset_strpad(type.id(), H5T_STR_NULLTERM);
  H5Tset_cset(type.id(), H5T_CSET_UTF8);
  return type;
}

// Variable-length UTF-8: what h5py, h5netcdf and netCDF readers give back as text.
Handle text_type() {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.id(), H5T_VARIABLE);
  H5Tset_cset(type.id(), H5T_CSET_UTF8);
  return type;
}

std::string child_path(const Location& loc, const std::string& name) {
  return (loc.path == "/" || loc.path.empty() ? "/" : loc.path + "/") + name;
}

std::vector<char> pack_strings(const std::vector<std::string>& values, std::size_t width) {
  std::vector<char> buffer(values.size() * width, '\0');
  for (std::size_t i = 0; i < values.size(); ++i)
    std::memcpy(&buffer[i * width], values[i].data(), std::min(values[i].size(), width - 1));
  return buffer;
}

void annotate(Group& object, const std::string& units, const std::string& description) {
  if (!units.empty()) object.set_attr("units", units);
  if (!description.empty()) object.set_attr("description", description);
}
}  // namespace

template <>
hid_t native_type<double>() {
  return H5T_NATIVE_DOUBLE;
}
template <>
hid_t native_type<float>() {
  return H5T_NATIVE_FLOAT;
}
template <>
hid_t native_type<std::int64_t>() {
  return H5T_NATIVE_INT64;
}
template <>
hid_t native_type<std::int32_t>() {
  return H5T_NATIVE_INT32;
}
template <>
hid_t native_type<std::int16_t>() {
  return H5T_NATIVE_INT16;
}
template <>
hid_t native_type<std::int8_t>() {
  return H5T_NATIVE_INT8;
}
template <>
hid_t native_type<std::uint8_t>() {
  return H5T_NATIVE_UINT8;
}
template <>
hid_t native_type<std::uint64_t>() {
  return H5T_NATIVE_UINT64;
}

namespace {
// The system's reason for the failure when HDF5 recorded one (its file
// drivers note errno as "error message = '...'"), else "".
std::string system_cause() {
  std::string cause;
  auto visit = [](unsigned, const H5E_error2_t* e, void* data) -> herr_t {
    const std::string desc = e->desc != nullptr ? e->desc : "";
    const std::string key = "error message = '";
    const auto at = desc.find(key);
    if (at != std::string::npos) {
      const auto end = desc.find('\'', at + key.size());
      *static_cast<std::string*>(data) = desc.substr(at + key.size(), end - at - key.size());
    }
    return 0;
  };
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, visit, &cause);
  return cause.empty() ? "" : ": " + cause;
}
}  // namespace

void check(herr_t status, const Location& loc, const char* what) {
  if (status < 0)
    throw RunError(fmt::format("{}: HDF5 error: {}{}", loc.where(), what, system_cause()));
}
hid_t check_id(hid_t id, const Location& loc, const char* what) {
  if (id < 0)
    throw RunError(fmt::format("{}: HDF5 error: {}{}", loc.where(), what, system_cause()));
  return id;
}

bool is_hdf5(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) return false;
  return H5Fis_hdf5(path.c_str()) > 0;
}

File::File(const std::string& path, Mode mode) {
  loc_ = {path, "/"};
  hid_t id = H5I_INVALID_HID;
  if (mode == Mode::kCreate) {
    // Track no times, so two identical runs give identical bytes where HDF5 allows.
    Handle fcpl(H5Pcreate(H5P_FILE_CREATE), H5Pclose);
    Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    H5Pset_libver_bounds(fapl.id(), H5F_LIBVER_V18, H5F_LIBVER_LATEST);
    // close() really closes (and writes out) the file even while a group or
    // dataset handle of it is still alive: a caller may sync and rename it next.
    H5Pset_fclose_degree(fapl.id(), H5F_CLOSE_STRONG);
    // No sieve buffer: HDF5 would hold a small dataset's bytes there and write
    // them when the dataset closes, where a failed write goes unreported (found
    // by tests/faults: a failed write left /scenario/given broken in a file that
    // was then committed). Every H5Dwrite now reaches the disk or fails.
    H5Pset_sieve_buf_size(fapl.id(), 0);
    // Nor a chunk cache, for the same reason: a compressed chunk (a sweep run's
    // rows) would wait there for the close; written whole, it costs nothing.
    H5Pset_cache(fapl.id(), 0, 0, 0, kChunkCachePreemption);
    id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.id(), fapl.id());
    if (id < 0) {
      const std::string cause = system_cause();
      // A full disk or an I/O fault is a run failure (exit 1), not the user's input.
      if (cause.find("No space") != std::string::npos ||
          cause.find("Input/output") != std::string::npos ||
          cause.find("quota") != std::string::npos)
        throw RunError(fmt::format("{}: cannot create the file{}", path, cause));
      throw InputError(fmt::format(
          "{}: error: cannot create output file{} (check the folder exists and is writable)", path,
          cause));
    }
  } else {
    std::error_code ec;
    const auto status = std::filesystem::status(path, ec);
    if (ec && ec != std::errc::no_such_file_or_directory)  // too long a name, a file as a folder
      throw InputError(fmt::format("{}: error: cannot open: {}", path, ec.message()));
    if (!std::filesystem::exists(status))
      throw InputError(fmt::format("{}: error: file not found", path));
    if (std::filesystem::is_directory(status))
      throw InputError(fmt::format("{}: error: is a directory, expected an HDF5 file", path));
    if (!is_hdf5(path))
      throw InputError(fmt::format("{}: error: not an HDF5 file (corrupt or wrong file)", path));
    Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
    if (mode == Mode::kReadWrite) {  // as for kCreate
      H5Pset_sieve_buf_size(fapl.id(), 0);
      H5Pset_cache(fapl.id(), 0, 0, 0, kChunkCachePreemption);
    }
    id = H5Fopen(path.c_str(), mode == Mode::kReadOnly ? H5F_ACC_RDONLY : H5F_ACC_RDWR, fapl.id());
    if (id < 0) {
      const std::string cause = system_cause();
      if (cause.find("No space") != std::string::npos ||  // opening to write writes to it
          cause.find("Input/output") != std::string::npos)
        throw RunError(fmt::format("{}: cannot open the file to write{}", path, cause));
      throw InputError(
          fmt::format("{}: error: corrupt or truncated HDF5 file (cannot open it)", path));
    }
  }
  handle_ = Handle(id, H5Fclose);
}

void File::flush() {
  check(H5Fflush(id(), H5F_SCOPE_GLOBAL), loc_, "flush");
}

void File::close() {
  if (!handle_.valid()) return;
  const hid_t id = handle_.release();
  if (H5Fclose(id) < 0)
    throw RunError(
        fmt::format("{}: HDF5 error: close (the file is incomplete){}", loc_.file, system_cause()));
}

bool Group::has(const std::string& name) const {
  // H5Lexists must be asked one level at a time.
  std::string prefix;
  std::size_t start = 0;
  while (true) {
    const auto slash = name.find('/', start);
    prefix = name.substr(0, slash);
    if (H5Lexists(id(), prefix.c_str(), H5P_DEFAULT) <= 0) return false;
    if (slash == std::string::npos) return true;
    start = slash + 1;
  }
}

std::vector<std::string> Group::names() const {
  std::vector<std::string> out;
  auto collect = [](hid_t, const char* name, const H5L_info_t*, void* data) -> herr_t {
    static_cast<std::vector<std::string>*>(data)->push_back(name);
    return 0;
  };
  check(H5Literate(id(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collect, &out), loc_, "list group");
  return out;
}

Group Group::create_group(const std::string& name) {
  const Location loc{loc_.file, child_path(loc_, name)};
  Handle lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
  H5Pset_create_intermediate_group(lcpl.id(), 1);
  return Group(Handle(check_id(H5Gcreate2(id(), name.c_str(), lcpl.id(), H5P_DEFAULT, H5P_DEFAULT),
                               loc, "create group"),
                      H5Gclose),
               loc);
}

Group Group::open_group(const std::string& name) const {
  const Location loc{loc_.file, child_path(loc_, name)};
  if (!has(name)) throw InputError(fmt::format("{}: error: missing group", loc.where()));
  return Group(
      Handle(check_id(H5Gopen2(id(), name.c_str(), H5P_DEFAULT), loc, "open group"), H5Gclose),
      loc);
}

Group Group::require_group(const std::string& name) {
  return has(name) ? open_group(name) : create_group(name);
}

Dataset Group::open_dataset(const std::string& name) const {
  const Location loc{loc_.file, child_path(loc_, name)};
  if (!has(name)) throw InputError(fmt::format("{}: error: missing dataset", loc.where()));
  return Dataset(
      Handle(check_id(H5Dopen2(id(), name.c_str(), H5P_DEFAULT), loc, "open dataset"), H5Dclose),
      loc);
}

namespace {
Dataset make_dataset(Group& parent, const std::string& name, hid_t type,
                     const std::vector<hsize_t>& shape, const std::vector<hsize_t>& max_shape,
                     const std::vector<hsize_t>& chunk, bool compress,
                     unsigned level = kDeflateLevel) {
  const Location loc{parent.location().file, child_path(parent.location(), name)};
  Handle space(check_id(H5Screate_simple(static_cast<int>(shape.size()), shape.data(),
                                         max_shape.empty() ? nullptr : max_shape.data()),
                        loc, "create dataspace"),
               H5Sclose);
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  H5Pset_obj_track_times(dcpl.id(), 0);  // reproducible bytes
  if (!chunk.empty()) {
    check(H5Pset_chunk(dcpl.id(), static_cast<int>(chunk.size()), chunk.data()), loc, "set chunk");
    if (compress) {
      H5Pset_shuffle(dcpl.id());
      H5Pset_deflate(dcpl.id(), level);
    }
  }
  Handle lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
  H5Pset_create_intermediate_group(lcpl.id(), 1);
  return Dataset(Handle(check_id(H5Dcreate2(parent.id(), name.c_str(), type, space.id(), lcpl.id(),
                                            dcpl.id(), H5P_DEFAULT),
                                 loc, "create dataset"),
                        H5Dclose),
                 loc);
}

hsize_t product(const std::vector<hsize_t>& shape) {
  hsize_t n = 1;
  for (auto s : shape) n *= s;
  return n;
}
}  // namespace

template <class T>
Dataset Group::write(const std::string& name, const std::vector<T>& values,
                     const std::vector<hsize_t>& shape, const std::string& units,
                     const std::string& description) {
  const Location loc{loc_.file, child_path(loc_, name)};
  if (product(shape) != values.size())
    throw RunError(fmt::format("{}: internal: {} values for shape of {}", loc.where(),
                               values.size(), product(shape)));
  std::vector<hsize_t> chunk;
  const bool compress = product(shape) > kCompressAboveElements && !shape.empty();
  if (compress) {  // chunk = one "row" of the last two axes at most
    chunk = shape;
    for (std::size_t i = 0; i + 2 < chunk.size(); ++i) chunk[i] = 1;
  }
  Dataset ds = make_dataset(*this, name, native_type<T>(), shape, {}, chunk, compress);
  if (!values.empty())
    check(H5Dwrite(ds.id(), native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), loc,
          "write dataset");
  annotate(ds, units, description);
  return ds;
}

Dataset Group::write_strings(const std::string& name, const std::vector<std::string>& values,
                             const std::string& description) {
  return write_text(name, values, description);
}

Dataset Group::write_string(const std::string& name, const std::string& value,
                            const std::string& description) {
  const Location loc{loc_.file, child_path(loc_, name)};
  Handle type = text_type();
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  H5Pset_obj_track_times(dcpl.id(), 0);
  Dataset ds(Handle(check_id(H5Dcreate2(id(), name.c_str(), type.id(), space.id(), H5P_DEFAULT,
                                        dcpl.id(), H5P_DEFAULT),
                             loc, "create string"),
                    H5Dclose),
             loc);
  const char* pointer = value.c_str();
  check(H5Dwrite(ds.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, &pointer), loc, "write string");
  annotate(ds, "", description);
  return ds;
}

Dataset Group::write_text(const std::string& name, const std::vector<std::string>& values,
                          const std::string& description) {
  const Location loc{loc_.file, child_path(loc_, name)};
  Handle type = text_type();
  Dataset ds = make_dataset(*this, name, type.id(), {values.size()}, {}, {}, false);
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const auto& v : values) pointers.push_back(v.c_str());
  if (!values.empty())
    check(H5Dwrite(ds.id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()), loc,
          "write text");
  annotate(ds, "", description);
  return ds;
}

namespace {
Dataset make_external(Group& parent, const std::string& name, hid_t type,
                      const std::vector<hsize_t>& shape, const std::string& raw_path) {
  const Location loc{parent.location().file, child_path(parent.location(), name)};
  Handle space(check_id(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr),
                        loc, "create dataspace"),
               H5Sclose);
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  H5Pset_obj_track_times(dcpl.id(), 0);
  check(H5Pset_external(dcpl.id(), raw_path.c_str(), 0, H5F_UNLIMITED), loc, "set external file");
  return Dataset(Handle(check_id(H5Dcreate2(parent.id(), name.c_str(), type, space.id(),
                                            H5P_DEFAULT, dcpl.id(), H5P_DEFAULT),
                                 loc, "create external dataset"),
                        H5Dclose),
                 loc);
}
}  // namespace

Dataset Group::create_frames(const std::string& name, hsize_t rows, hsize_t ny, hsize_t nx,
                             unsigned level, const std::string& units,
                             const std::string& description) {
  const Location loc{loc_.file, child_path(loc_, name)};
  const std::vector<hsize_t> shape{rows, ny, nx};
  const std::vector<hsize_t> chunk{1, std::max<hsize_t>(ny, 1), std::max<hsize_t>(nx, 1)};
  Handle space(check_id(H5Screate_simple(3, shape.data(), nullptr), loc, "create dataspace"),
               H5Sclose);
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  H5Pset_obj_track_times(dcpl.id(), 0);
  check(H5Pset_chunk(dcpl.id(), 3, chunk.data()), loc, "set chunk");
  if (level > 0) {  // 0: stored as they are
    H5Pset_shuffle(dcpl.id());
    H5Pset_deflate(dcpl.id(), level);
  }
  Handle lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
  H5Pset_create_intermediate_group(lcpl.id(), 1);
  Dataset ds(Handle(check_id(H5Dcreate2(id(), name.c_str(), H5T_NATIVE_FLOAT, space.id(), lcpl.id(),
                                        dcpl.id(), H5P_DEFAULT),
                             loc, "create dataset"),
                    H5Dclose),
             loc);
  annotate(ds, units, description);
  return ds;
}

Dataset Group::create_virtual_frames(const std::string& name,
                                     const std::vector<std::string>& sources,
                                     const std::vector<hsize_t>& rows, const std::string& dataset,
                                     hsize_t ny, hsize_t nx, const std::string& units,
                                     const std::string& description) {
  const Location loc{loc_.file, child_path(loc_, name)};
  hsize_t total = 0;
  for (auto r : rows) total += r;
  const std::vector<hsize_t> shape{total, ny, nx};
  Handle space(check_id(H5Screate_simple(3, shape.data(), nullptr), loc, "create dataspace"),
               H5Sclose);
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  H5Pset_obj_track_times(dcpl.id(), 0);
  hsize_t at = 0;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const std::vector<hsize_t> part{rows[i], ny, nx};
    Handle source(check_id(H5Screate_simple(3, part.data(), nullptr), loc, "create dataspace"),
                  H5Sclose);
    const std::vector<hsize_t> start{at, 0, 0};
    Handle target(H5Scopy(space.id()), H5Sclose);
    check(H5Sselect_hyperslab(target.id(), H5S_SELECT_SET, start.data(), nullptr, part.data(),
                              nullptr),
          loc, "select rows");
    check(H5Pset_virtual(dcpl.id(), target.id(), sources[i].c_str(), dataset.c_str(), source.id()),
          loc, "map virtual rows");
    at += rows[i];
  }
  if (sources.empty()) check(H5Pset_layout(dcpl.id(), H5D_CONTIGUOUS), loc, "set layout");
  Handle lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
  H5Pset_create_intermediate_group(lcpl.id(), 1);
  Dataset ds(Handle(check_id(H5Dcreate2(id(), name.c_str(), H5T_NATIVE_FLOAT, space.id(), lcpl.id(),
                                        dcpl.id(), H5P_DEFAULT),
                             loc, "create virtual dataset"),
                    H5Dclose),
             loc);
  annotate(ds, units, description);
  return ds;
}

std::vector<char> Dataset::read_chunk(const std::vector<hsize_t>& offset,
                                      std::uint32_t& filter_mask) const {
  hsize_t bytes = 0;
  check(H5Dget_chunk_storage_size(id(), offset.data(), &bytes), loc_, "size of a chunk");
  std::vector<char> data(static_cast<std::size_t>(bytes));
  check(H5Dread_chunk(id(), H5P_DEFAULT, offset.data(), &filter_mask, data.data()), loc_,
        "read chunk");
  return data;
}

void Dataset::write_chunk(const std::vector<hsize_t>& offset, std::uint32_t filter_mask,
                          const std::vector<char>& bytes) {
  check(H5Dwrite_chunk(id(), H5P_DEFAULT, filter_mask, offset.data(), bytes.size(), bytes.data()),
        loc_, "write chunk");
}

template <class T>
Dataset Group::create_external(const std::string& name, const std::vector<hsize_t>& shape,
                               const std::string& raw_path, const std::string& units,
                               const std::string& description) {
  Dataset ds = make_external(*this, name, native_type<T>(), shape, raw_path);
  annotate(ds, units, description);
  return ds;
}

Dataset Group::create_external_strings(const std::string& name, hsize_t rows, std::size_t width,
                                       const std::string& raw_path,
                                       const std::string& description) {
  Handle type = string_type(width);
  Dataset ds = make_external(*this, name, type.id(), {rows}, raw_path);
  annotate(ds, "", description);
  return ds;
}

void Group::link_external(const std::string& name, const std::string& file,
                          const std::string& object) {
  check(H5Lcreate_external(file.c_str(), object.c_str(), id(), name.c_str(), H5P_DEFAULT,
                           H5P_DEFAULT),
        {loc_.file, child_path(loc_, name)}, "create external link");
}

void Dataset::make_scale(const std::string& name) {
  check(H5DSset_scale(id(), name.c_str()), loc_, "make dimension scale");
}

void Dataset::attach_scale(const Dataset& scale, unsigned dim) {
  check(H5DSattach_scale(id(), scale.id(), dim), loc_, "attach dimension scale");
}

template <class T>
Dataset Group::create_extendible(const std::string& name, const std::vector<hsize_t>& row_shape,
                                 hsize_t rows_per_chunk, const std::string& units,
                                 const std::string& description) {
  std::vector<hsize_t> shape{0}, max_shape{H5S_UNLIMITED}, chunk{rows_per_chunk};
  for (auto s : row_shape) shape.push_back(s), max_shape.push_back(s), chunk.push_back(s);
  Dataset ds = make_dataset(*this, name, native_type<T>(), shape, max_shape, chunk, true);
  annotate(ds, units, description);
  return ds;
}

Dataset Group::create_extendible_strings(const std::string& name, std::size_t max_length,
                                         hsize_t rows_per_chunk, const std::string& description) {
  Handle type = string_type(max_length + 1);
  Dataset ds = make_dataset(*this, name, type.id(), {0}, {H5S_UNLIMITED}, {rows_per_chunk}, true);
  annotate(ds, "", description);
  return ds;
}

namespace {
Dataset make_fixed(Group& parent, const std::string& name, hid_t type,
                   const std::vector<hsize_t>& shape) {
  const Location loc{parent.location().file, child_path(parent.location(), name)};
  Handle space(check_id(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr),
                        loc, "create dataspace"),
               H5Sclose);
  Handle dcpl(H5Pcreate(H5P_DATASET_CREATE), H5Pclose);
  H5Pset_obj_track_times(dcpl.id(), 0);
  check(H5Pset_layout(dcpl.id(), H5D_CONTIGUOUS), loc, "set layout");
  check(H5Pset_alloc_time(dcpl.id(), H5D_ALLOC_TIME_EARLY), loc, "set allocation time");
  check(H5Pset_fill_time(dcpl.id(), H5D_FILL_TIME_ALLOC), loc, "set fill time");
  Handle lcpl(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
  H5Pset_create_intermediate_group(lcpl.id(), 1);
  return Dataset(Handle(check_id(H5Dcreate2(parent.id(), name.c_str(), type, space.id(), lcpl.id(),
                                            dcpl.id(), H5P_DEFAULT),
                                 loc, "create dataset"),
                        H5Dclose),
                 loc);
}
}  // namespace

template <class T>
Dataset Group::create_fixed(const std::string& name, const std::vector<hsize_t>& shape,
                            const std::string& units, const std::string& description) {
  Dataset ds = make_fixed(*this, name, native_type<T>(), shape);
  annotate(ds, units, description);
  return ds;
}

template <class T>
Dataset Group::create_row_chunked(const std::string& name, const std::vector<hsize_t>& shape,
                                  const std::string& units, const std::string& description) {
  std::vector<hsize_t> chunk = shape;
  if (!chunk.empty()) chunk[0] = 1;
  for (auto& c : chunk) c = std::max<hsize_t>(c, 1);  // a chunk has no zero dimension
  Dataset ds =
      make_dataset(*this, name, native_type<T>(), shape, {}, chunk, true, kRowDeflateLevel);
  annotate(ds, units, description);
  return ds;
}

Dataset Group::create_fixed_strings(const std::string& name, hsize_t rows, std::size_t max_length,
                                    const std::string& description) {
  Handle type = string_type(max_length + 1);
  Dataset ds = make_fixed(*this, name, type.id(), {rows});
  annotate(ds, "", description);
  return ds;
}

Dataset Group::create_text(const std::string& name, hsize_t rows, const std::string& description) {
  Handle type = text_type();
  Dataset ds = make_fixed(*this, name, type.id(), {rows});
  annotate(ds, "", description);
  return ds;
}

void Group::remove(const std::string& name) {
  check(H5Ldelete(id(), name.c_str(), H5P_DEFAULT), {loc_.file, child_path(loc_, name)},
        "delete link");
}

void Group::move(const std::string& from, const std::string& to) {
  check(H5Lmove(id(), from.c_str(), id(), to.c_str(), H5P_DEFAULT, H5P_DEFAULT),
        {loc_.file, child_path(loc_, from)}, "rename link");
}

void Group::copy_to(const std::string& name, Group& target) const {
  check(H5Ocopy(id(), name.c_str(), target.id(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT),
        {loc_.file, child_path(loc_, name)}, "copy object");
}

void Group::copy_attrs_to(Group& target) const {
  struct Context {
    hid_t target;
    Location loc;
  } context{target.id(), loc_};
  auto copy_one = [](hid_t object, const char* name, const H5A_info_t*, void* data) -> herr_t {
    auto& c = *static_cast<Context*>(data);
    Handle attr(H5Aopen(object, name, H5P_DEFAULT), H5Aclose);
    Handle type(H5Aget_type(attr.id()), H5Tclose);
    Handle space(H5Aget_space(attr.id()), H5Sclose);
    const auto points = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.id()));
    std::vector<char> buffer(points * H5Tget_size(type.id()) + 1, '\0');
    if (H5Tis_variable_str(type.id()) > 0) return -1;  // we only write fixed-length text
    if (H5Aread(attr.id(), type.id(), buffer.data()) < 0) return -1;
    if (H5Aexists(c.target, name) > 0) H5Adelete(c.target, name);
    Handle copy(H5Acreate2(c.target, name, type.id(), space.id(), H5P_DEFAULT, H5P_DEFAULT),
                H5Aclose);
    if (!copy.valid() || H5Awrite(copy.id(), type.id(), buffer.data()) < 0) return -1;
    return 0;
  };
  hsize_t index = 0;
  check(H5Aiterate2(id(), H5_INDEX_NAME, H5_ITER_INC, &index, copy_one, &context), loc_,
        "copy attributes");
}

namespace {
void write_attr(hid_t object, const Location& loc, const std::string& name, hid_t type,
                const void* data) {
  if (H5Aexists(object, name.c_str()) > 0) H5Adelete(object, name.c_str());
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  Handle attr(check_id(H5Acreate2(object, name.c_str(), type, space.id(), H5P_DEFAULT, H5P_DEFAULT),
                       loc, "create attribute"),
              H5Aclose);
  check(H5Awrite(attr.id(), type, data), loc, "write attribute");
}
}  // namespace

void Group::set_attr(const std::string& name, const std::string& value) {
  Handle type = string_type(value.size() + 1);
  write_attr(id(), loc_, name, type.id(), value.c_str());
}
void Group::set_attr(const std::string& name, double value) {
  write_attr(id(), loc_, name, H5T_NATIVE_DOUBLE, &value);
}
void Group::set_attr(const std::string& name, std::int64_t value) {
  write_attr(id(), loc_, name, H5T_NATIVE_INT64, &value);
}
bool Group::has_attr(const std::string& name) const {
  return H5Aexists(id(), name.c_str()) > 0;
}

namespace {
Handle open_attr(hid_t object, const Location& loc, const std::string& name) {
  if (H5Aexists(object, name.c_str()) <= 0)
    throw InputError(fmt::format("{}: error: missing attribute '{}'", loc.where(), name));
  return Handle(check_id(H5Aopen(object, name.c_str(), H5P_DEFAULT), loc, "open attribute"),
                H5Aclose);
}
}  // namespace

std::string Group::attr_string(const std::string& name) const {
  Handle attr = open_attr(id(), loc_, name);
  Handle type(H5Aget_type(attr.id()), H5Tclose);
  if (H5Tget_class(type.id()) != H5T_STRING)
    throw InputError(fmt::format("{}: error: attribute '{}' is not a string", loc_.where(), name));
  if (H5Tis_variable_str(type.id()) > 0) {
    char* text = nullptr;
    Handle mem = Handle(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(mem.id(), H5T_VARIABLE);
    H5Tset_cset(mem.id(), H5Tget_cset(type.id()));
    check(H5Aread(attr.id(), mem.id(), &text), loc_, "read attribute");
    std::string value = text ? text : "";
    H5free_memory(text);
    return value;
  }
  std::vector<char> buffer(H5Tget_size(type.id()) + 1, '\0');
  check(H5Aread(attr.id(), type.id(), buffer.data()), loc_, "read attribute");
  return std::string(buffer.data());
}

double Group::attr_double(const std::string& name) const {
  Handle attr = open_attr(id(), loc_, name);
  double value = 0;
  check(H5Aread(attr.id(), H5T_NATIVE_DOUBLE, &value), loc_, "read attribute");
  return value;
}

std::int64_t Group::attr_int(const std::string& name) const {
  Handle attr = open_attr(id(), loc_, name);
  std::int64_t value = 0;
  check(H5Aread(attr.id(), H5T_NATIVE_INT64, &value), loc_, "read attribute");
  return value;
}

std::vector<hsize_t> Dataset::shape() const {
  Handle space(check_id(H5Dget_space(id()), loc_, "get dataspace"), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(space.id());
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  if (rank > 0) H5Sget_simple_extent_dims(space.id(), dims.data(), nullptr);
  return dims;
}

H5T_class_t Dataset::type_class() const {
  Handle type(H5Dget_type(id()), H5Tclose);
  return H5Tget_class(type.id());
}

std::size_t Dataset::type_size() const {
  Handle type(H5Dget_type(id()), H5Tclose);
  return H5Tget_size(type.id());
}

namespace {
// Grows a dataset by `rows` along axis 0 and returns the file space of the new rows.
Handle extend(const Dataset& ds, hsize_t rows, std::vector<hsize_t>& new_shape, hsize_t& old_rows) {
  new_shape = ds.shape();
  old_rows = new_shape[0];
  new_shape[0] += rows;
  check(H5Dset_extent(ds.id(), new_shape.data()), ds.location(), "extend dataset");
  Handle space(H5Dget_space(ds.id()), H5Sclose);
  std::vector<hsize_t> start(new_shape.size(), 0), count = new_shape;
  start[0] = old_rows;
  count[0] = rows;
  check(
      H5Sselect_hyperslab(space.id(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr),
      ds.location(), "select rows");
  return space;
}
}  // namespace

template <class T>
void Dataset::append(const std::vector<T>& values) {
  if (values.empty()) return;
  const auto dims = shape();
  hsize_t row_size = 1;
  for (std::size_t i = 1; i < dims.size(); ++i) row_size *= dims[i];
  if (values.size() % row_size != 0)
    throw RunError(fmt::format("{}: internal: {} values is not whole rows of {}", loc_.where(),
                               values.size(), row_size));
  const hsize_t rows = values.size() / row_size;
  std::vector<hsize_t> new_shape;
  hsize_t old_rows = 0;
  Handle file_space = extend(*this, rows, new_shape, old_rows);
  std::vector<hsize_t> mem_shape = new_shape;
  mem_shape[0] = rows;
  Handle mem_space(H5Screate_simple(static_cast<int>(mem_shape.size()), mem_shape.data(), nullptr),
                   H5Sclose);
  check(
      H5Dwrite(id(), native_type<T>(), mem_space.id(), file_space.id(), H5P_DEFAULT, values.data()),
      loc_, "append rows");
}

void Dataset::append_strings(const std::vector<std::string>& values) {
  if (values.empty()) return;
  Handle type(H5Dget_type(id()), H5Tclose);
  const std::size_t width = H5Tget_size(type.id());
  const auto buffer = pack_strings(values, width);
  std::vector<hsize_t> new_shape;
  hsize_t old_rows = 0;
  Handle file_space = extend(*this, values.size(), new_shape, old_rows);
  const hsize_t rows = values.size();
  Handle mem_space(H5Screate_simple(1, &rows, nullptr), H5Sclose);
  check(H5Dwrite(id(), type.id(), mem_space.id(), file_space.id(), H5P_DEFAULT, buffer.data()),
        loc_, "append strings");
}

void Dataset::resize_rows(hsize_t rows) {
  std::vector<hsize_t> dims = shape();
  dims[0] = rows;
  check(H5Dset_extent(id(), dims.data()), loc_, "resize dataset");
}

namespace {
// Selects rows [first, first + count) of a dataset; returns the file space.
Handle select_rows(const Dataset& ds, hsize_t first, hsize_t count, std::vector<hsize_t>& block) {
  block = ds.shape();
  if (block.empty() || first + count > block[0])
    throw RunError(fmt::format("{}: internal: rows {}..{} outside the dataset",
                               ds.location().where(), first, first + count));
  Handle space(H5Dget_space(ds.id()), H5Sclose);
  std::vector<hsize_t> start(block.size(), 0);
  start[0] = first;
  block[0] = count;
  check(
      H5Sselect_hyperslab(space.id(), H5S_SELECT_SET, start.data(), nullptr, block.data(), nullptr),
      ds.location(), "select rows");
  return space;
}
}  // namespace

std::size_t Dataset::row_bytes() const {
  const auto dims = shape();
  std::size_t n = type_size();
  for (std::size_t i = 1; i < dims.size(); ++i) n *= dims[i];
  return n;
}

template <class T>
void Dataset::write_rows(hsize_t first, const std::vector<T>& values) {
  const auto dims = shape();
  hsize_t row_size = 1;
  for (std::size_t i = 1; i < dims.size(); ++i) row_size *= dims[i];
  if (values.empty()) return;
  if (values.size() % row_size != 0)
    throw RunError(fmt::format("{}: internal: {} values is not whole rows of {}", loc_.where(),
                               values.size(), row_size));
  std::vector<hsize_t> block;
  Handle file_space = select_rows(*this, first, values.size() / row_size, block);
  Handle mem_space(H5Screate_simple(static_cast<int>(block.size()), block.data(), nullptr),
                   H5Sclose);
  check(
      H5Dwrite(id(), native_type<T>(), mem_space.id(), file_space.id(), H5P_DEFAULT, values.data()),
      loc_, "write rows");
}

void Dataset::write_string_rows(hsize_t first, const std::vector<std::string>& values) {
  if (values.empty()) return;
  Handle type(H5Dget_type(id()), H5Tclose);
  std::vector<hsize_t> block;
  Handle file_space = select_rows(*this, first, values.size(), block);
  Handle mem_space(H5Screate_simple(static_cast<int>(block.size()), block.data(), nullptr),
                   H5Sclose);
  if (H5Tis_variable_str(type.id()) > 0) {
    std::vector<const char*> pointers;
    for (const auto& v : values) pointers.push_back(v.c_str());
    check(H5Dwrite(id(), type.id(), mem_space.id(), file_space.id(), H5P_DEFAULT, pointers.data()),
          loc_, "write string rows");
    return;
  }
  const auto buffer = pack_strings(values, H5Tget_size(type.id()));
  check(H5Dwrite(id(), type.id(), mem_space.id(), file_space.id(), H5P_DEFAULT, buffer.data()),
        loc_, "write string rows");
}

std::vector<char> Dataset::read_rows_raw(hsize_t first, hsize_t count) const {
  Handle type(H5Dget_type(id()), H5Tclose);
  std::vector<char> bytes(count * row_bytes());
  if (count == 0) return bytes;
  std::vector<hsize_t> block;
  Handle file_space = select_rows(*this, first, count, block);
  Handle mem_space(H5Screate_simple(static_cast<int>(block.size()), block.data(), nullptr),
                   H5Sclose);
  check(H5Dread(id(), type.id(), mem_space.id(), file_space.id(), H5P_DEFAULT, bytes.data()), loc_,
        "read rows");
  return bytes;
}

void Dataset::write_rows_raw(hsize_t first, const std::vector<char>& bytes) {
  const std::size_t row = row_bytes();
  if (bytes.empty()) return;
  if (row == 0 || bytes.size() % row != 0)
    throw RunError(
        fmt::format("{}: internal: {} bytes is not whole rows", loc_.where(), bytes.size()));
  Handle type(H5Dget_type(id()), H5Tclose);
  std::vector<hsize_t> block;
  Handle file_space = select_rows(*this, first, bytes.size() / row, block);
  Handle mem_space(H5Screate_simple(static_cast<int>(block.size()), block.data(), nullptr),
                   H5Sclose);
  check(H5Dwrite(id(), type.id(), mem_space.id(), file_space.id(), H5P_DEFAULT, bytes.data()), loc_,
        "write rows");
}

template <class T>
std::vector<T> Dataset::read() const {
  const H5T_class_t cls = type_class();
  if (cls != H5T_INTEGER && cls != H5T_FLOAT)
    throw InputError(fmt::format("{}: error: expected a numeric dataset", loc_.where()));
  hsize_t n = 1;
  for (auto s : shape()) n *= s;
  std::vector<T> values(n);
  if (n > 0)
    check(H5Dread(id(), native_type<T>(), H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), loc_,
          "read dataset");
  return values;
}

std::vector<std::string> Dataset::read_strings() const {
  if (type_class() != H5T_STRING)
    throw InputError(fmt::format("{}: error: expected a string dataset", loc_.where()));
  Handle type(H5Dget_type(id()), H5Tclose);
  const auto dims = shape();
  const hsize_t n = dims.empty() ? 1 : dims[0];
  std::vector<std::string> out;
  if (H5Tis_variable_str(type.id()) > 0) {
    std::vector<char*> ptrs(n, nullptr);
    Handle mem(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(mem.id(), H5T_VARIABLE);
    H5Tset_cset(mem.id(), H5Tget_cset(type.id()));  // HDF5 converts no text between csets
    check(H5Dread(id(), mem.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), loc_,
          "read strings");
    for (auto* p : ptrs) out.emplace_back(p ? p : "");
    Handle space(H5Dget_space(id()), H5Sclose);
    H5Dvlen_reclaim(mem.id(), space.id(), H5P_DEFAULT, ptrs.data());
    return out;
  }
  const std::size_t width = H5Tget_size(type.id());
  std::vector<char> buffer(n * width + 1, '\0');
  check(H5Dread(id(), type.id(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()), loc_,
        "read strings");
  for (hsize_t i = 0; i < n; ++i) {
    const char* start = &buffer[i * width];
    out.emplace_back(start, strnlen(start, width));
  }
  return out;
}

#define BORDERLAND_H5_INSTANTIATE(T)                                                             \
  template Dataset Group::write<T>(const std::string&, const std::vector<T>&,                    \
                                   const std::vector<hsize_t>&, const std::string&,              \
                                   const std::string&);                                          \
  template Dataset Group::create_extendible<T>(const std::string&, const std::vector<hsize_t>&,  \
                                               hsize_t, const std::string&, const std::string&); \
  template void Dataset::append<T>(const std::vector<T>&);                                       \
  template void Dataset::write_rows<T>(hsize_t, const std::vector<T>&);                          \
  template Dataset Group::create_fixed<T>(const std::string&, const std::vector<hsize_t>&,       \
                                          const std::string&, const std::string&);               \
  template Dataset Group::create_row_chunked<T>(const std::string&, const std::vector<hsize_t>&, \
                                                const std::string&, const std::string&);         \
  template Dataset Group::create_external<T>(const std::string&, const std::vector<hsize_t>&,    \
                                             const std::string&, const std::string&,             \
                                             const std::string&);                                \
  template std::vector<T> Dataset::read<T>() const;
BORDERLAND_H5_INSTANTIATE(double)
BORDERLAND_H5_INSTANTIATE(float)
BORDERLAND_H5_INSTANTIATE(std::int64_t)
BORDERLAND_H5_INSTANTIATE(std::int32_t)
BORDERLAND_H5_INSTANTIATE(std::int16_t)
BORDERLAND_H5_INSTANTIATE(std::int8_t)
BORDERLAND_H5_INSTANTIATE(std::uint8_t)
BORDERLAND_H5_INSTANTIATE(std::uint64_t)
#undef BORDERLAND_H5_INSTANTIATE

}  // namespace borderland::sim::h5
