# Included by ctest (through TEST_INCLUDE_FILES) each time it runs: registers one test per
# `cargo test` case found in the binaries listed in IMGKIT_CARGO_ARTIFACTS.
if(NOT EXISTS "${IMGKIT_CARGO_ARTIFACTS}")
  add_test(rust.test_binaries_not_built "${CMAKE_COMMAND}" -E echo
           "Rust test binaries are missing: run cmake --build first")
  set_tests_properties(rust.test_binaries_not_built PROPERTIES WILL_FAIL TRUE LABELS rust)
  return()
endif()

file(STRINGS "${IMGKIT_CARGO_ARTIFACTS}" _messages REGEX "\"reason\":\"compiler-artifact\"")
foreach(_message IN LISTS _messages)
  string(JSON _executable ERROR_VARIABLE _no_executable GET "${_message}" executable)
  string(JSON _is_test GET "${_message}" profile test)
  if(_no_executable OR NOT _executable OR NOT _is_test)
    continue()
  endif()
  string(JSON _target GET "${_message}" target name)
  string(JSON _kind GET "${_message}" target kind 0)
  string(JSON _manifest GET "${_message}" manifest_path)
  get_filename_component(_package_dir "${_manifest}" DIRECTORY)
  get_filename_component(_package "${_package_dir}" NAME)
  # MATCHES, not STREQUAL "test": ctest runs this without the project's policies, and
  # under the old CMP0054 a quoted "test" would read a variable of that name.
  if(NOT _kind MATCHES "^test$")
    set(_target "lib")  # the crate's own #[cfg(test)] unit tests
  endif()

  execute_process(COMMAND "${_executable}" --list --format terse
                  OUTPUT_VARIABLE _listing RESULT_VARIABLE _list_result)
  if(NOT _list_result EQUAL 0)
    add_test(rust.${_package}.${_target}.listing_failed "${_executable}" --list)
    continue()
  endif()
  string(REPLACE "\n" ";" _lines "${_listing}")
  foreach(_line IN LISTS _lines)
    if(NOT _line MATCHES "^(.+): test$")
      continue()
    endif()
    set(_case "${CMAKE_MATCH_1}")
    set(_name "rust.${_package}.${_target}.${_case}")
    add_test("${_name}" "${_executable}" --exact "${_case}")
    set_tests_properties("${_name}" PROPERTIES LABELS rust WORKING_DIRECTORY "${_package_dir}")
  endforeach()
endforeach()
