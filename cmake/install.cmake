# install() and export() rules: `find_package(borderland)` gives borderland::sim and one target per
# model (borderland::civil_violence, borderland::ttp), from an installed tree
# (cmake --install BUILD --prefix PREFIX) or straight from the build folder (BUILD/borderlandConfig.cmake).
# Headers keep their paths below PREFIX/include/borderland ("sim/run.hpp", "models/ttp/model.hpp").
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(BORDERLAND_INSTALL_INCLUDE ${CMAKE_INSTALL_INCLUDEDIR}/borderland)
set(BORDERLAND_INSTALL_CMAKE ${CMAKE_INSTALL_LIBDIR}/cmake/borderland)
set(borderland_export_targets borderland_sim borderland_civil_violence)
if(TARGET borderland_ttp)
  list(APPEND borderland_export_targets borderland_ttp)
endif()
target_include_directories(borderland_sim PUBLIC $<INSTALL_INTERFACE:${BORDERLAND_INSTALL_INCLUDE}>)
foreach(target IN LISTS borderland_export_targets)
  string(REGEX REPLACE "^borderland_" "" short ${target})  # borderland::sim, borderland::ttp, ...
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${short})
endforeach()

install(TARGETS ${borderland_export_targets} EXPORT borderlandTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS borderland RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY sim DESTINATION ${BORDERLAND_INSTALL_INCLUDE} FILES_MATCHING PATTERN "*.hpp")
install(DIRECTORY models DESTINATION ${BORDERLAND_INSTALL_INCLUDE} FILES_MATCHING PATTERN "*.hpp")
install(FILES ${PROJECT_BINARY_DIR}/generated/borderland/version.hpp
        DESTINATION ${BORDERLAND_INSTALL_INCLUDE}/borderland)

# What a consumer must find first: the public dependencies of the exported targets.
set(BORDERLAND_CONFIG_DEPENDENCIES "")
get_target_property(borderland_sim_links borderland_sim LINK_LIBRARIES)
foreach(dep IN ITEMS "TBB::tbb|TBB" "yaml-cpp|yaml-cpp" "fmt::fmt|fmt" "Eigen3::Eigen|Eigen3 NO_MODULE"
                     "Threads::Threads|Threads" "MPI::MPI_C|MPI COMPONENTS C")
  string(REPLACE "|" ";" pair "${dep}")
  list(GET pair 0 dep_target)
  list(GET pair 1 dep_package)
  if(dep_target IN_LIST borderland_sim_links)
    if(dep_target STREQUAL "MPI::MPI_C")  # FindMPI's C component needs the C language
      string(APPEND BORDERLAND_CONFIG_DEPENDENCIES
             "get_property(_borderland_languages GLOBAL PROPERTY ENABLED_LANGUAGES)\n"
             "if(NOT \"C\" IN_LIST _borderland_languages)\n  enable_language(C)\nendif()\n")
    endif()
    string(APPEND BORDERLAND_CONFIG_DEPENDENCIES "find_dependency(${dep_package})\n")
  endif()
endforeach()
configure_package_config_file(cmake/borderlandConfig.cmake.in ${PROJECT_BINARY_DIR}/borderlandConfig.cmake
                              INSTALL_DESTINATION ${BORDERLAND_INSTALL_CMAKE})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/borderlandConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(EXPORT borderlandTargets NAMESPACE borderland:: DESTINATION ${BORDERLAND_INSTALL_CMAKE})
install(FILES ${PROJECT_BINARY_DIR}/borderlandConfig.cmake ${PROJECT_BINARY_DIR}/borderlandConfigVersion.cmake
        DESTINATION ${BORDERLAND_INSTALL_CMAKE})
export(EXPORT borderlandTargets NAMESPACE borderland:: FILE ${PROJECT_BINARY_DIR}/borderlandTargets.cmake)
