// imgkit — the command-line program.
//
//   imgkit process INPUT OUTPUT --op NAME[:key=value,...] [--op ...]
//                  [--config FILE] [--metrics-json FILE]
//   imgkit status [--config FILE] [--json]
//   imgkit parity CORPUS_DIR [--config FILE] [--json FILE] [--save-mismatches DIR]
//
// Routing (legacy C++ or Rust, per component) comes from --config FILE, else
// $IMGKIT_CONFIG, else the bundled config/switchyard.toml.
//
// Exit status: 0 success, 1 runtime error (unreadable or malformed image, failed
// write; for parity: the implementations disagree), 2 usage error (unknown operation, bad
// parameter, unknown file extension, invalid config file).
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "image_files.hpp"
#include "imgkit/error.hpp"
#include "imgkit/routing.hpp"
#include "operations.hpp"
#include "parity_command.hpp"
#include "status_table.hpp"
#include "switchyard/config.hpp"
#include "switchyard/report.hpp"
#include "switchyard/route_key.hpp"
#include "usage_error.hpp"

namespace {

constexpr int kExitRuntimeError = 1;
constexpr int kExitUsageError = 2;

struct ProcessCommand {
  std::string input;
  std::string output;
  std::vector<std::string> operation_specs;
  std::string config;  // empty: $IMGKIT_CONFIG or the bundled file
  std::string metrics_json;
};

struct StatusCommand {
  std::string config;
  bool json = false;
};

struct ParityCommand {
  imgkit::cli::ParityOptions options;
  std::string config;
};

std::optional<std::string> given(const std::string& option) {
  if (option.empty()) return std::nullopt;
  return option;
}

// A one-shot run does not watch the file: it would end before a reload mattered.
void start_routing(const std::string& config_option) {
  switchyard::failpoints::set_blocking_limit(std::chrono::seconds(60));  // nothing ends a pause
  imgkit::routing::start(imgkit::routing::config_path(given(config_option)), /*watch=*/false);
}

void write_metrics_json(const std::string& path) {
  const std::string json = switchyard::to_json(imgkit::routing::router().report()) + "\n";
  imgkit::cli::write_atomically(path, std::vector<std::uint8_t>(json.begin(), json.end()));
}

// Runs the operations and writes the output; returns the line to print on success.
std::string process_image(const ProcessCommand& command) {
  using imgkit::cli::Operation;
  std::vector<Operation> operations;
  for (const auto& spec : command.operation_specs) {
    operations.push_back(imgkit::cli::parse_operation(spec));
  }
  imgkit::cli::format_for_path(command.output);  // reject a bad extension before work

  const auto start = std::chrono::steady_clock::now();
  // Canary routing is sticky per input file: rerunning a file takes the same route.
  const switchyard::RouteKeyScope route_key(command.input);
  imgkit::Image image = imgkit::cli::read_image(command.input);
  std::string summary = command.input + " (" + imgkit::cli::describe_image(image) + ")";
  for (const auto& operation : operations) {
    try {
      image = operation.apply(image);
    } catch (const imgkit::Error& e) {
      // A value outside an operation's domain is how the program was called.
      if (e.category() == imgkit::ErrorCategory::kInvalidArgument) {
        throw imgkit::cli::UsageError(operation.description + ": " + e.what());
      }
      throw;
    }
    summary += " -> " + operation.description;
  }
  imgkit::cli::write_image(command.output, image);
  const auto elapsed =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start);
  return summary + " -> " + command.output + " (" + imgkit::cli::describe_image(image) + ") in " +
         std::to_string(static_cast<long>(elapsed.count() + 0.5)) + " ms";
}

int run_process(const ProcessCommand& command) {
  start_routing(command.config);
  std::string summary;
  try {
    summary = process_image(command);
  } catch (...) {
    // Written however the run ends: the counts matter most when something failed.
    if (!command.metrics_json.empty()) {
      try {
        write_metrics_json(command.metrics_json);
      } catch (const std::exception& e) {
        // The run's own failure is the one to report; this one is only mentioned.
        std::cerr << "imgkit: warning: metrics not written: " << e.what() << '\n';
      }
    }
    throw;
  }
  if (!command.metrics_json.empty()) write_metrics_json(command.metrics_json);
  // Printed only once everything is written: a failed run says nothing on stdout.
  std::cout << summary << '\n';
  return 0;
}

int run_status(const StatusCommand& command) {
  start_routing(command.config);
  const switchyard::Report report = imgkit::routing::router().report();
  std::cout << (command.json ? switchyard::to_json(report) + "\n"
                             : imgkit::cli::format_status(report));
  return 0;
}

int run_parity(const ParityCommand& command) {
  start_routing(command.config);  // tolerances come from the config
  return imgkit::cli::run_parity(command.options);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"imgkit: image codecs, filters, geometry and tone operations"};
  app.require_subcommand(1);

  ProcessCommand process;
  auto* process_cmd = app.add_subcommand("process", "Apply operations to an image, in order");
  process_cmd->add_option("INPUT", process.input, "input image (.png .pgm .ppm .pnm)")->required();
  process_cmd->add_option("OUTPUT", process.output, "output image (.png .pgm .ppm .pnm)")
      ->required();
  process_cmd->add_option("--op", process.operation_specs, "NAME[:key=value,...], repeatable");
  process_cmd->add_option("--config", process.config, "switchyard config file (routing)");
  process_cmd->add_option("--metrics-json", process.metrics_json,
                          "write the routing metrics as JSON to this file at exit");
  process_cmd->footer("Operations:\n" + imgkit::cli::operations_help());

  StatusCommand status;
  auto* status_cmd = app.add_subcommand(
      "status", "Show each component's route, Rust port and circuit breaker settings");
  status_cmd->add_option("--config", status.config, "switchyard config file (routing)");
  status_cmd->add_flag("--json", status.json, "print JSON instead of a table");

  ParityCommand parity;
  auto* parity_cmd = app.add_subcommand(
      "parity",
      "Run legacy and Rust on every PNM/PNG image under a directory and compare them; "
      "exit 1 if anything differs beyond tolerance");
  parity_cmd->add_option("CORPUS_DIR", parity.options.corpus_dir, "directory of images")
      ->required();
  parity_cmd->add_option("--config", parity.config,
                         "switchyard config file (the tolerances to compare within)");
  parity_cmd->add_option("--json", parity.options.json, "also write the results as JSON");
  parity_cmd->add_option("--save-mismatches", parity.options.save_mismatches,
                         "copy every input that made them disagree into this directory "
                         "(rerun 'imgkit parity' on it to replay)");

  try {
    app.parse(argc, argv);
    if (*status_cmd) return run_status(status);
    if (*parity_cmd) return run_parity(parity);
    return run_process(process);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "imgkit: usage error: " << e.what() << "\nRun 'imgkit --help' for usage.\n";
    return kExitUsageError;
  } catch (const switchyard::ConfigError& e) {
    std::cerr << "imgkit: config error: " << e.what() << '\n';
    return kExitUsageError;
  } catch (const switchyard::FailpointError& e) {
    std::cerr << "imgkit: failpoint error: " << e.what() << '\n';
    return kExitUsageError;
  } catch (const imgkit::cli::UsageError& e) {
    std::cerr << "imgkit: usage error: " << e.what() << '\n';
    return kExitUsageError;
  } catch (const imgkit::Error& e) {
    std::cerr << "imgkit: error: " << e.what() << '\n';
    return kExitRuntimeError;
  } catch (const std::bad_alloc&) {
    std::cerr << "imgkit: error: out of memory (is an output size too large?)\n";
    return kExitRuntimeError;
  } catch (const std::exception& e) {
    std::cerr << "imgkit: internal error: " << e.what() << '\n';
    return kExitRuntimeError;
  }
}
