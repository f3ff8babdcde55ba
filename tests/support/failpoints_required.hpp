// Tests that inject faults need a build with failpoints; a build configured with
// -DIMGKIT_FAILPOINTS=OFF has none, and those tests say so instead of failing.
#pragma once

#include <gtest/gtest.h>

#include "switchyard/failpoint.hpp"

#define IMGKIT_SKIP_WITHOUT_FAILPOINTS()        \
  if (!::switchyard::failpoints::compiled_in()) \
  GTEST_SKIP() << "this build has no failpoints (IMGKIT_FAILPOINTS=OFF)"
