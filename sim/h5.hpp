#pragma once
// A thin RAII layer over the HDF5 C API.
//
// Every call is checked; a failure throws RunError (or InputError when the
// user handed us a bad file to read) naming the file and the object path.
// HDF5's own error printing is switched off: we report, we do not spam.
#include <hdf5.h>

#include <array>
#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

namespace borderland::sim::h5 {

// Owns one hid_t and closes it with the right function.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);
  Handle() = default;
  Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  Handle(Handle&& o) noexcept : id_(o.id_), closer_(o.closer_) { o.id_ = H5I_INVALID_HID; }
  Handle& operator=(Handle&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = o.id_, closer_ = o.closer_;
      o.id_ = H5I_INVALID_HID;
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }
  void reset() {
    if (id_ >= 0 && closer_ != nullptr) closer_(id_);
    id_ = H5I_INVALID_HID;
  }
  hid_t id() const { return id_; }
  bool valid() const { return id_ >= 0; }
  hid_t release() {  // gives up ownership without closing
    const hid_t id = id_;
    id_ = H5I_INVALID_HID;
    return id;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

// Maps C++ element types to HDF5 native types.
template <class T>
hid_t native_type();

// An object (file, group or dataset) that knows where it is, for messages.
struct Location {
  std::string file;
  std::string path;
  std::string where() const { return file + ":" + (path.empty() ? "/" : path); }
};

class Dataset;

class Group {
 public:
  Group() = default;
  Group(Handle h, Location loc) : handle_(std::move(h)), loc_(std::move(loc)) {}
  hid_t id() const { return handle_.id(); }
  const Location& location() const { return loc_; }

  bool has(const std::string& name) const;  // a link of that name (may be nested: "a/b")
  std::vector<std::string> names() const;   // direct children, sorted by name
  Group create_group(const std::string& name);
  Group open_group(const std::string& name) const;
  Group require_group(const std::string& name);  // open or create
  Dataset open_dataset(const std::string& name) const;

  // Whole-array datasets with a fixed shape, compressed when large enough.
  template <class T>
  Dataset write(const std::string& name, const std::vector<T>& values,
                const std::vector<hsize_t>& shape, const std::string& units = "",
                const std::string& description = "");
  // Text is variable-length UTF-8 (docs/hdf5_layout.md): write_strings is write_text,
  // write_string a scalar of one text.
  Dataset write_strings(const std::string& name, const std::vector<std::string>& values,
                        const std::string& description = "");
  Dataset write_string(const std::string& name, const std::string& value,
                       const std::string& description = "");
  // A 1-D dataset of variable-length UTF-8 strings (what h5py, h5netcdf and
  // netCDF readers give back as text).
  Dataset write_text(const std::string& name, const std::vector<std::string>& values,
                     const std::string& description = "");

  // A fixed-shape contiguous dataset whose raw bytes live in the plain file
  // `raw_path` (HDF5 external storage, from offset 0). The file may hold more
  // bytes than the shape needs: only the declared rows are read.
  template <class T>
  Dataset create_external(const std::string& name, const std::vector<hsize_t>& shape,
                          const std::string& raw_path, const std::string& units = "",
                          const std::string& description = "");
  Dataset create_external_strings(const std::string& name, hsize_t rows, std::size_t width,
                                  const std::string& raw_path, const std::string& description = "");
  // Snapshots (docs/hdf5_layout.md, "Working file"): float32 frames [rows, ny, nx] stored one
  // chunk per frame (deflate `level`, 0 = uncompressed), so that chunks can be copied between files
  // as they are (Dataset::read_chunk/write_chunk), never compressed twice.
  Dataset create_frames(const std::string& name, hsize_t rows, hsize_t ny, hsize_t nx,
                        unsigned level, const std::string& units = "",
                        const std::string& description = "");
  // A float32 virtual dataset [sum of rows, ny, nx] whose rows are, in order, the whole
  // datasets `dataset` of the files `sources` (rows[i] frames each; absolute paths).
  Dataset create_virtual_frames(const std::string& name, const std::vector<std::string>& sources,
                                const std::vector<hsize_t>& rows, const std::string& dataset,
                                hsize_t ny, hsize_t nx, const std::string& units = "",
                                const std::string& description = "");
  // A link to `object` in another file (`file`, as given).
  void link_external(const std::string& name, const std::string& file, const std::string& object);

  // Extendible dataset along the first axis; `row_shape` is the shape of one row.
  template <class T>
  Dataset create_extendible(const std::string& name, const std::vector<hsize_t>& row_shape,
                            hsize_t rows_per_chunk, const std::string& units = "",
                            const std::string& description = "");
  Dataset create_extendible_strings(const std::string& name, std::size_t max_length,
                                    hsize_t rows_per_chunk, const std::string& description = "");

  // Fixed-shape datasets whose storage is allocated (and zero-filled) at creation,
  // contiguous and uncompressed: later row writes change no metadata, so a
  // process killed between flushes cannot leave the file's structure inconsistent.
  template <class T>
  Dataset create_fixed(const std::string& name, const std::vector<hsize_t>& shape,
                       const std::string& units = "", const std::string& description = "");
  Dataset create_fixed_strings(const std::string& name, hsize_t rows, std::size_t max_length,
                               const std::string& description = "");
  // The same for variable-length UTF-8 text (rows never written read as "").
  Dataset create_text(const std::string& name, hsize_t rows, const std::string& description = "");
  // A fixed-shape dataset stored one compressed chunk per row (axis 0), allocated as rows are
  // written; rows never written read as 0. For sweep rows: each is written once, whole.
  template <class T>
  Dataset create_row_chunked(const std::string& name, const std::vector<hsize_t>& shape,
                             const std::string& units = "", const std::string& description = "");

  void remove(const std::string& name);                        // unlinks a child
  void move(const std::string& from, const std::string& to);   // renames a child link
  void copy_to(const std::string& name, Group& target) const;  // deep copy, same name
  void copy_attrs_to(Group& target) const;                     // every attribute, as stored

  void set_attr(const std::string& name, const std::string& value);
  void set_attr(const std::string& name, double value);
  void set_attr(const std::string& name, std::int64_t value);
  bool has_attr(const std::string& name) const;
  std::string attr_string(const std::string& name) const;
  double attr_double(const std::string& name) const;
  std::int64_t attr_int(const std::string& name) const;

 protected:
  Handle handle_;
  Location loc_;
};

class Dataset : public Group {  // shares the attribute helpers
 public:
  using Group::Group;
  std::vector<hsize_t> shape() const;
  H5T_class_t type_class() const;
  // HDF5 dimension scales (what netCDF readers and xarray take as dimensions
  // and coordinates): makes this dataset the scale of dimension `name`, or
  // attaches `scale` to dimension `dim` of this dataset.
  void make_scale(const std::string& name);
  void attach_scale(const Dataset& scale, unsigned dim);
  std::size_t type_size() const;

  // Appends rows along axis 0 (values hold rows * row-size elements).
  template <class T>
  void append(const std::vector<T>& values);
  void append_strings(const std::vector<std::string>& values);
  // Sets the number of rows of an extendible dataset (shrinking drops the tail).
  void resize_rows(hsize_t rows);

  // Row access along axis 0; values hold whole rows (rows * row-size elements).
  template <class T>
  void write_rows(hsize_t first, const std::vector<T>& values);
  void write_string_rows(hsize_t first, const std::vector<std::string>& values);
  // Raw rows in the dataset's own stored type (any type: numbers, fixed strings).
  std::size_t row_bytes() const;
  std::vector<char> read_rows_raw(hsize_t first, hsize_t count) const;
  void write_rows_raw(hsize_t first, const std::vector<char>& bytes);

  // The stored (compressed) bytes of the chunk at element `offset`, and its filter mask;
  // write_chunk stores such bytes as they are in a dataset of the same chunking and filters.
  std::vector<char> read_chunk(const std::vector<hsize_t>& offset,
                               std::uint32_t& filter_mask) const;
  void write_chunk(const std::vector<hsize_t>& offset, std::uint32_t filter_mask,
                   const std::vector<char>& bytes);

  // Reads the whole dataset, converting to T (HDF5 converts numeric types).
  template <class T>
  std::vector<T> read() const;
  std::vector<std::string> read_strings() const;
};

class File : public Group {
 public:
  enum class Mode { kCreate, kReadOnly, kReadWrite };
  File() = default;
  File(const std::string& path, Mode mode);
  void flush();
  // Closes the file and reports a failed close (the last metadata is written
  // then: a full disk shows here); the handle is given up either way, so no
  // second close of a failed file ever happens.
  void close();
  const std::string& path() const { return loc_.file; }
};

// Throws RunError "<where>: <what>" unless status >= 0.
void check(herr_t status, const Location& loc, const char* what);
hid_t check_id(hid_t id, const Location& loc, const char* what);

// True when the file exists and carries an HDF5 signature.
bool is_hdf5(const std::string& path);

}  // namespace borderland::sim::h5
