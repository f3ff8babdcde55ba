# Script mode (cmake -P): builds cargo test binaries and records cargo's JSON artifact
# messages, which CargoTestDiscovery.cmake reads to find the binaries.
# Inputs: CARGO, PACKAGES (comma-separated), TARGET_DIR, ARTIFACTS (output file).
string(REPLACE "," ";" packages "${PACKAGES}")
set(package_args "")
foreach(package IN LISTS packages)
  list(APPEND package_args --package "${package}")
endforeach()
file(MAKE_DIRECTORY "${TARGET_DIR}")
execute_process(
  COMMAND "${CARGO}" test --no-run --locked ${package_args} --target-dir "${TARGET_DIR}"
          --message-format=json-render-diagnostics
  OUTPUT_FILE "${ARTIFACTS}.new"
  RESULT_VARIABLE result)
if(NOT result EQUAL 0)
  file(REMOVE "${ARTIFACTS}.new")
  message(FATAL_ERROR "cargo test --no-run failed (exit ${result}); see the errors above")
endif()
file(RENAME "${ARTIFACTS}.new" "${ARTIFACTS}")
