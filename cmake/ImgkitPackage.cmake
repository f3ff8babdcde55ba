# The installed CMake package: `cmake --install <build> --prefix <dir>` gives
#
#   include/imgkit/, include/switchyard/        the public headers
#   lib/lib*.a                                   the static libraries, and the Rust staticlib
#   lib/cmake/imgkit/imgkit-config.cmake        find_package(imgkit CONFIG [COMPONENTS ...])
#     imgkit-switchyard-targets.cmake            component `switchyard`: imgkit::switchyard
#                                                (and imgkit::failpoints): no image code, no Rust
#     imgkit-targets.cmake                       component `imgkit`: imgkit::imgkit, the facades,
#                                                and everything they link (core, legacy, the bridge)
#     imgkit-capi-targets.cmake                  component `capi`: imgkit::capi, libimgkit.so
#   include/imgkit.h                             the C API (cbindgen's, bridge/imgkit-capi)
#   lib/libimgkit.so.0, lib/libimgkit_rs.so.0    its two implementations (C++ routed, Rust)
#   lib/pkgconfig/imgkit.pc                      `pkg-config --cflags --libs imgkit`
#
# Installed targets keep their in-tree names (the aliases in cpp/*/CMakeLists.txt and each
# target's EXPORT_NAME), so a consumer's CMakeLists reads the same inside and outside this
# tree. Static libraries carry their private link dependencies as $<LINK_ONLY:...>; the
# package config finds those (libpng, zlib, toml++, nlohmann-json, threads) again.
include(CMakePackageConfigHelpers)

set(IMGKIT_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/imgkit")

install(DIRECTORY
    "${PROJECT_SOURCE_DIR}/cpp/failpoints/include/"
    "${PROJECT_SOURCE_DIR}/cpp/switchyard/include/"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(TARGETS switchyard switchyard_failpoints
  EXPORT imgkit-switchyard-targets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(EXPORT imgkit-switchyard-targets
  NAMESPACE imgkit::
  DESTINATION "${IMGKIT_INSTALL_CMAKEDIR}")

# The Rust side. Corrosion's imgkit_ffi is an INTERFACE target over an IMPORTED archive
# (imgkit_ffi-static), which install(TARGETS) cannot take: the archive is installed as a
# file, and the package config imports it again as imgkit::ffi_staticlib, with the native
# libraries a Rust staticlib needs (Corrosion's list, and zlib: cmake/ImgkitRust.cmake).
# The cxx-generated headers stay in the build tree: no public header includes them.
set(IMGKIT_FFI_ARCHIVE "${CMAKE_STATIC_LIBRARY_PREFIX}imgkit_ffi${CMAKE_STATIC_LIBRARY_SUFFIX}")
get_target_property(IMGKIT_FFI_LINK_LIBRARIES imgkit_ffi-static INTERFACE_LINK_LIBRARIES)
get_target_property(IMGKIT_FFI_LINK_OPTIONS imgkit_ffi-static INTERFACE_LINK_OPTIONS)
if(NOT IMGKIT_FFI_LINK_OPTIONS)
  set(IMGKIT_FFI_LINK_OPTIONS "")
endif()
set_property(TARGET imgkit_ffi PROPERTY INTERFACE_LINK_LIBRARIES
  "$<BUILD_INTERFACE:imgkit_ffi-static>" "$<INSTALL_INTERFACE:imgkit::ffi_staticlib>")
set_target_properties(imgkit_ffi PROPERTIES EXPORT_NAME ffi)
set_target_properties(imgkit_ffi_cxx PROPERTIES EXPORT_NAME ffi_cxx)
install(FILES "$<TARGET_FILE:imgkit_ffi-static>"
  DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  RENAME "${IMGKIT_FFI_ARCHIVE}")

install(DIRECTORY
    "${PROJECT_SOURCE_DIR}/cpp/core/include/"
    "${PROJECT_SOURCE_DIR}/cpp/legacy/include/"
    "${PROJECT_SOURCE_DIR}/cpp/imgkit/include/"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(TARGETS imgkit imgkit_core imgkit_legacy imgkit_ffi_cxx imgkit_ffi
  EXPORT imgkit-targets
  ARCHIVE DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(EXPORT imgkit-targets
  NAMESPACE imgkit::
  DESTINATION "${IMGKIT_INSTALL_CMAKEDIR}")

# The C API: libimgkit.so (a shared library linking everything above in, exporting only
# imgkit.h's functions) and its twin libimgkit_rs.so, the Rust cdylib, installed as a
# file with its SONAME link: a program linked against libimgkit.so.0 switches to Rust by
# loading the other file (dlopen, ctypes) or through a libimgkit.so.0 link to it.
install(FILES "${PROJECT_SOURCE_DIR}/bridge/imgkit-capi/include/imgkit.h"
  DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
install(TARGETS imgkit_capi imgkit_capi_headers
  EXPORT imgkit-capi-targets
  LIBRARY DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  INCLUDES DESTINATION "${CMAKE_INSTALL_INCLUDEDIR}")
set_target_properties(imgkit_capi PROPERTIES EXPORT_NAME capi)
set_target_properties(imgkit_capi_headers PROPERTIES EXPORT_NAME capi_headers)
install(EXPORT imgkit-capi-targets
  NAMESPACE imgkit::
  DESTINATION "${IMGKIT_INSTALL_CMAKEDIR}")
install(FILES "$<TARGET_FILE:imgkit_rs-shared>" DESTINATION "${CMAKE_INSTALL_LIBDIR}"
  PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ
              WORLD_EXECUTE)
install(CODE "execute_process(COMMAND \"${CMAKE_COMMAND}\" -E create_symlink libimgkit_rs.so
  \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/libimgkit_rs.so.0\")")
configure_file("${CMAKE_CURRENT_LIST_DIR}/imgkit.pc.in" "${CMAKE_CURRENT_BINARY_DIR}/imgkit.pc"
  @ONLY)
install(FILES "${CMAKE_CURRENT_BINARY_DIR}/imgkit.pc"
  DESTINATION "${CMAKE_INSTALL_LIBDIR}/pkgconfig")

configure_package_config_file(
  "${CMAKE_CURRENT_LIST_DIR}/imgkit-config.cmake.in"
  "${CMAKE_CURRENT_BINARY_DIR}/imgkit-config.cmake"
  INSTALL_DESTINATION "${IMGKIT_INSTALL_CMAKEDIR}"
  PATH_VARS CMAKE_INSTALL_LIBDIR)
# 0.x: a minor version may break the API.
write_basic_package_version_file(
  "${CMAKE_CURRENT_BINARY_DIR}/imgkit-config-version.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES
    "${CMAKE_CURRENT_BINARY_DIR}/imgkit-config.cmake"
    "${CMAKE_CURRENT_BINARY_DIR}/imgkit-config-version.cmake"
  DESTINATION "${IMGKIT_INSTALL_CMAKEDIR}")
