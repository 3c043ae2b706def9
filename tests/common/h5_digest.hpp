#pragma once
// Every dataset of an HDF5 file as raw bytes, keyed by path: two files have
// identical outputs when their digests are equal. Attributes are left out on
// purpose (created_utc and threads differ between identical runs).
#include <hdf5.h>

#include <map>
#include <string>
#include <vector>

namespace borderland::testing {

inline std::map<std::string, std::vector<char>> dataset_digest(const std::string& path) {
  std::map<std::string, std::vector<char>> digest;
  const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (file < 0) return digest;
  auto visit = [](hid_t root, const char* name, const H5O_info_t* info, void* data) -> herr_t {
    if (info->type != H5O_TYPE_DATASET) return 0;
    const hid_t ds = H5Dopen2(root, name, H5P_DEFAULT);
    const hid_t type = H5Dget_type(ds);
    const hid_t space = H5Dget_space(ds);
    const auto points = static_cast<std::size_t>(H5Sget_simple_extent_npoints(space));
    std::vector<char> bytes;
    if (H5Tis_variable_str(type) > 0) {  // the text itself, not the pointers HDF5 hands out
      std::vector<char*> texts(points, nullptr);
      if (points > 0) H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, texts.data());
      for (const char* t : texts) {
        for (const char* c = t; c != nullptr && *c != '\0'; ++c) bytes.push_back(*c);
        bytes.push_back('\0');
      }
      if (points > 0) H5Dvlen_reclaim(type, space, H5P_DEFAULT, texts.data());
    } else {
      bytes.assign(points * H5Tget_size(type) + 1, 0);
      if (points > 0) H5Dread(ds, type, H5S_ALL, H5S_ALL, H5P_DEFAULT, bytes.data());
    }
    (*static_cast<std::map<std::string, std::vector<char>>*>(data))[name] = std::move(bytes);
    H5Sclose(space);
    H5Tclose(type);
    H5Dclose(ds);
    return 0;
  };
  H5Ovisit(file, H5_INDEX_NAME, H5_ITER_INC, visit, &digest);
  H5Fclose(file);
  return digest;
}

}  // namespace borderland::testing
