# imgkit_add_cargo_tests(PACKAGES <crate>...): every `cargo test` case of the given
# workspace crates becomes its own ctest test, labelled `rust`, beside the gtest cases.
#
#   * At build time the target `cargo_test_binaries` (part of ALL) compiles the crates'
#     test binaries, so `cmake --build` reports Rust compile errors and ctest only runs.
#   * When ctest starts, each binary is asked for its cases (`--list`) and every case is
#     registered as `rust.<crate>.<target>.<case>`, run alone with `--exact`: a failure
#     names the one Rust test, and `ctest -R` / `-L rust` select Rust tests like any other.
#   * Doc tests cannot be listed that way; they run as one test, `rust.doctests`, with the
#     same package set as the build step: cargo unifies features over the packages it is
#     given, so the same set reuses every dependency instead of rebuilding some.
set(_imgkit_cargo_tests_dir "${CMAKE_CURRENT_LIST_DIR}")

function(imgkit_add_cargo_tests)
  cmake_parse_arguments(PARSE_ARGV 0 arg "" "" "PACKAGES")
  find_program(IMGKIT_CARGO cargo HINTS "$ENV{HOME}/.cargo/bin" REQUIRED)
  set(target_dir "${CMAKE_BINARY_DIR}/cargo-test")
  if(IMGKIT_CARGO_TARGET_DIR)
    set(target_dir "${IMGKIT_CARGO_TARGET_DIR}/tests")  # shared by every build directory
  endif()
  set(artifacts "${CMAKE_BINARY_DIR}/cargo-test-artifacts.json")
  string(REPLACE ";" "," packages "${arg_PACKAGES}")
  set(package_args "")
  foreach(package IN LISTS arg_PACKAGES)
    list(APPEND package_args --package ${package})
  endforeach()

  # Cargo decides what is stale; this target only asks it, every build (a no-op build is
  # about 0.1 s).
  add_custom_target(cargo_test_binaries ALL
    COMMAND "${CMAKE_COMMAND}"
            "-DCARGO=${IMGKIT_CARGO}"
            "-DPACKAGES=${packages}"
            "-DTARGET_DIR=${target_dir}"
            "-DARTIFACTS=${artifacts}"
            -P "${_imgkit_cargo_tests_dir}/CargoTestBuild.cmake"
    WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}"
    COMMENT "Building cargo test binaries"
    USES_TERMINAL
    VERBATIM)

  set(include_file "${CMAKE_CURRENT_BINARY_DIR}/cargo_tests_include.cmake")
  file(WRITE "${include_file}"
       "set(IMGKIT_CARGO_ARTIFACTS [==[${artifacts}]==])\n"
       "include([==[${_imgkit_cargo_tests_dir}/CargoTestDiscovery.cmake]==])\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${include_file}")

  add_test(NAME rust.doctests
           COMMAND "${IMGKIT_CARGO}" test --doc --locked ${package_args} --target-dir "${target_dir}"
           WORKING_DIRECTORY "${PROJECT_SOURCE_DIR}")
  set_tests_properties(rust.doctests PROPERTIES LABELS rust)
endfunction()
