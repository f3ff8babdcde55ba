# Rust integration: finds Corrosion and imports the workspace's one C++-linked staticlib.
#
# Corrosion 0.5.0 (the Debian 13 package) cannot parse current rustup's
# `rustup toolchain list` output and fails with "Could not find toolchain ''". Naming
# the compiler explicitly bypasses that probe, so we ask rustup for it when the user
# has not chosen one.
if(NOT Rust_COMPILER)
  find_program(IMGKIT_RUSTUP rustup HINTS "$ENV{HOME}/.cargo/bin")
  if(IMGKIT_RUSTUP)
    execute_process(
      COMMAND "${IMGKIT_RUSTUP}" which rustc
      OUTPUT_VARIABLE _imgkit_rustc
      OUTPUT_STRIP_TRAILING_WHITESPACE
      RESULT_VARIABLE _imgkit_rustup_result)
    if(_imgkit_rustup_result EQUAL 0 AND EXISTS "${_imgkit_rustc}")
      set(Rust_COMPILER "${_imgkit_rustc}" CACHE FILEPATH "rustc used by Corrosion")
    endif()
  endif()
endif()

find_package(Corrosion 0.5 REQUIRED)

# One cargo target directory for every build directory. The Rust side is built the same
# way in every preset of a profile (sanitizers do not instrument Rust), so the release
# staticlib the ci preset built is already fresh for the asan and tsan presets, and the
# cargo test binaries are shared by every preset. Corrosion 0.5 always builds in
# <build>/cargo/build, so that directory becomes a link into the shared one.
set(IMGKIT_CARGO_TARGET_DIR "" CACHE PATH
  "Cargo target directory shared by build directories (empty: one per build directory)")
if(IMGKIT_CARGO_TARGET_DIR)
  set(_imgkit_corrosion_dir "${CMAKE_BINARY_DIR}/cargo")
  file(MAKE_DIRECTORY "${IMGKIT_CARGO_TARGET_DIR}/corrosion")
  if(NOT IS_SYMLINK "${_imgkit_corrosion_dir}")
    file(REMOVE_RECURSE "${_imgkit_corrosion_dir}")
    file(CREATE_LINK "${IMGKIT_CARGO_TARGET_DIR}/corrosion" "${_imgkit_corrosion_dir}" SYMBOLIC)
  endif()
endif()

# The one staticlib linked into C++ (DESIGN invariant 4: two Rust staticlibs in one
# binary duplicate std). Every cxx bridge module lives in this crate. Its default
# feature is `failpoints`; IMGKIT_FAILPOINTS=OFF builds it without, as the C++ side.
set(_imgkit_ffi_features "")
if(NOT IMGKIT_FAILPOINTS)
  set(_imgkit_ffi_features NO_DEFAULT_FEATURES)
endif()
corrosion_import_crate(
  MANIFEST_PATH "${PROJECT_SOURCE_DIR}/Cargo.toml"
  CRATES imgkit-ffi
  CRATE_TYPES staticlib
  LOCKED
  ${_imgkit_ffi_features})

# imgkit-codecs inflates broken PNG streams with the system zlib (libz-sys links `z`, the
# zlib libpng links); a staticlib does not carry that dependency, so the link names it,
# after the archive (on the archive's own target, whose native libraries follow it).
find_package(ZLIB REQUIRED)
target_link_libraries(imgkit_ffi-static INTERFACE ZLIB::ZLIB)

# cxx/cc compile C++ inside build scripts; give them the compiler CMake chose.
corrosion_set_env_vars(imgkit_ffi "CXX=${CMAKE_CXX_COMPILER}" "CC=${CMAKE_C_COMPILER}")

# libimgkit_rs.so, the pure-Rust C library (bridge/imgkit-capi): no C++ is linked into it,
# and nothing C++ links it; programs load it by path, as they would libimgkit.so.
set(_imgkit_capi_features "")
if(NOT IMGKIT_FAILPOINTS)
  set(_imgkit_capi_features NO_DEFAULT_FEATURES)
endif()
corrosion_import_crate(
  MANIFEST_PATH "${PROJECT_SOURCE_DIR}/Cargo.toml"
  CRATES imgkit-capi
  CRATE_TYPES cdylib
  LOCKED
  ${_imgkit_capi_features})
