// `imgkit serve` as a command: its help documents every flag, and mistakes in how it is
// called end it at once with exit status 2, before anything listens. What it does while
// serving is tests/serve/serve_test.py's (ctest -L serve).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "cli/cli_fixture.hpp"

namespace {

using imgkit::testing::CliTest;
using imgkit::testing::RunResult;
using ::testing::HasSubstr;

using ServeCliTest = CliTest;

TEST_F(ServeCliTest, HelpDocumentsEveryFlagAndTheOperations) {
  const RunResult r = run("serve --help");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* flag :
       {"--listen", "--config", "--threads", "--max-body-mb", "--max-pixels", "--timeout-ms"}) {
    EXPECT_THAT(r.out, HasSubstr(flag)) << flag;
  }
  EXPECT_THAT(r.out, HasSubstr("gaussian_blur:sigma=N"));
}

TEST_F(ServeCliTest, IsAKnownCommand) {
  const RunResult r = run("serv");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("known commands: process, status, parity, report, serve"));
}

TEST_F(ServeCliTest, RefusesAListenAddressWithoutAPort) {
  const RunResult r = run("serve --listen localhost");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--listen localhost: give HOST:PORT"));
}

TEST_F(ServeCliTest, RefusesLimitsOutOfRange) {
  EXPECT_EQ(run("serve --max-body-mb 0").exit_code, 2);
  EXPECT_EQ(run("serve --timeout-ms 0").exit_code, 2);
  EXPECT_EQ(run("serve --threads 0").exit_code, 2);
}

TEST_F(ServeCliTest, RefusesAnInvalidConfigBeforeListening) {
  write("bad.toml", "[components.gaussian_blur]\nmode = \"sideways\"\n");
  const RunResult r = run("serve --listen 127.0.0.1:0 --config " + path("bad.toml"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown mode \"sideways\""));
  EXPECT_THAT(r.err, ::testing::Not(HasSubstr("serving on")));
}

}  // namespace
