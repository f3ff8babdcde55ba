# imgkit_project_warnings(<target>): the warning set for the project's own C++.
#
# Warnings are errors when IMGKIT_WARNINGS_AS_ERRORS is on (the ci preset and CI
# scripts turn it on; a developer may turn it off while iterating). Generated code
# (cxx bridges) and third-party headers are not given these flags.
function(imgkit_project_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                                           -Wnon-virtual-dtor -Wconversion
                                           -Wno-sign-conversion)
  if(IMGKIT_WARNINGS_AS_ERRORS)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
