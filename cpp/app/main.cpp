// imgkit — the command-line program.
//
//   imgkit process INPUT OUTPUT --op NAME[:key=value,...] [--op ...] [--format FORMAT]
//                  [--config FILE] [--metrics-json FILE] [--max-input-mb N] [--max-image-mb N]
//   imgkit process DIR|FILE... OUTDIR --op ... [--jobs N] [same options]
//   imgkit status [--config FILE] [--json]
//   imgkit parity CORPUS_DIR [--config FILE] [--json FILE] [--save-mismatches DIR]
//   imgkit parity --replay CAPTURE_DIR [--config FILE] [--json FILE]
//   imgkit report [--config FILE] [--metrics-json FILE ...] [--json] [--html FILE]
//   imgkit serve [--listen HOST:PORT] [--config FILE] [--threads N] [--max-body-mb M]
//                [--max-pixels P] [--timeout-ms T]
//   imgkit --version
//
// Routing (legacy C++ or Rust, per component) comes from --config FILE, else
// $IMGKIT_CONFIG, else the config installed beside the program; with none of them,
// every component runs on legacy.
//
// Exit status: 0 success, 1 runtime error (unreadable or malformed image, failed
// write; for parity: the implementations disagree), 2 usage error (unknown command,
// operation or parameter, bad value, an output over the size limits, invalid config file,
// metrics file or environment).
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "batch_command.hpp"
#include "image_files.hpp"
#include "imgkit/error.hpp"
#include "imgkit/imgkit.hpp"
#include "imgkit/routing.hpp"
#include "operations.hpp"
#include "parity_command.hpp"
#include "process_command.hpp"
#include "report_command.hpp"
#include "serve_command.hpp"
#include "staged_file.hpp"
#include "status_table.hpp"
#include "switchyard/config.hpp"
#include "switchyard/failpoint.hpp"
#include "switchyard/report.hpp"
#include "usage_error.hpp"

namespace {

constexpr int kExitRuntimeError = 1;
constexpr int kExitUsageError = 2;

constexpr const char* kCommands[] = {"process", "status", "parity", "report", "serve"};

// Limits on the command line are in MiB, as in the config's [imgkit] table.
constexpr std::uint64_t kMaxLimitMb = 1 << 20;  // 1 TiB: a typo, not a limit

std::optional<std::string> given(const std::string& option) {
  if (option.empty()) return std::nullopt;
  return option;
}

// A one-shot run does not watch the file: it would end before a reload mattered. A
// service does: editing the file is how it is steered.
void start_routing(const std::string& config_option, bool watch = false) {
  // Nothing would ever end a `pause` in a run that never re-reads its config; a service
  // re-reads it, so an edit ends one there.
  if (!watch) switchyard::failpoints::set_blocking_limit(std::chrono::seconds(60));
  // The library treats a kill switch it cannot read as on; a command can say so and stop.
  if (!imgkit::routing::force_legacy_from_environment()) {
    const char* value = std::getenv("IMGKIT_FORCE_LEGACY");
    throw imgkit::cli::UsageError(
        "IMGKIT_FORCE_LEGACY=" + std::string(value ? value : "") +
        ": not a switch value; accepted: " + std::string(imgkit::routing::kForceLegacyAccepted));
  }
  if (const std::optional<std::string> path = imgkit::routing::config_path(given(config_option))) {
    imgkit::routing::start(*path, watch);
    return;
  }
  std::cerr << "imgkit: note: no config file (no --config, no IMGKIT_CONFIG, none installed "
               "beside the program); every component runs on legacy\n";
  imgkit::routing::start_with_defaults();
}

// CLI11 names an unknown first word "The following argument was not expected"; an
// operator who typed a command deserves to hear which commands exist.
std::optional<std::string> unknown_command(int argc, char** argv) {
  if (argc < 2 || argv[1][0] == '-' || argv[1][0] == '\0') return std::nullopt;
  const std::string_view word = argv[1];
  for (const char* command : kCommands) {
    if (word == command) return std::nullopt;
  }
  std::string known;
  for (const char* command : kCommands) known += (known.empty() ? "" : ", ") + std::string(command);
  return "unknown command '" + std::string(word) + "'; known commands: " + known;
}

int usage_error(const std::string& message) {
  std::cerr << "imgkit: usage error: " << message << "\nRun 'imgkit --help' for usage.\n";
  return kExitUsageError;
}

// `imgkit --version`: the release, and the instruction set the Rust kernels run at.
std::string version_text() {
  return std::string("imgkit ") + IMGKIT_VERSION + "\nRust kernels: " + imgkit::rust_simd_level() +
         " instructions (IMGKIT_MAX_SIMD=avx2 or baseline caps them)";
}

}  // namespace

int main(int argc, char** argv) {
  imgkit::cli::install_interrupt_cleanup();
  if (const auto problem = unknown_command(argc, argv)) return usage_error(*problem);

  CLI::App app{"imgkit: image codecs, filters, geometry and tone operations"};
  app.set_version_flag("--version", std::function<std::string()>(version_text));
  app.require_subcommand(1);

  imgkit::cli::ProcessOptions process;
  std::string process_config;
  std::string format_name;
  std::uint64_t max_input_mb = 0;  // 0: the config's [imgkit] value, else its default
  std::uint64_t max_image_mb = 0;
  std::vector<std::string> process_paths;
  unsigned jobs = 0;
  auto* process_cmd = app.add_subcommand(
      "process", "Apply operations to an image, in order; or to every image of a directory");
  process_cmd
      ->add_option("INPUT... OUTPUT", process_paths,
                   "INPUT OUTPUT: one image (PNG or PNM whatever its name; - reads standard "
                   "input, - as OUTPUT writes standard output; .png .pgm .ppm .pnm). "
                   "DIR... or FILE... then OUTDIR: every image of each directory and each file, "
                   "written into OUTDIR under its own name, in parallel, past bad files")
      ->required()
      ->expected(2, -1);
  process_cmd
      ->add_option("--jobs", jobs, "images processed at once in a batch (default: the cores)")
      ->check(CLI::Range(1u, 64u));
  process_cmd->add_option("--op", process.operation_specs, "NAME[:key=value,...], repeatable");
  process_cmd->add_option("--format", format_name,
                          "output format: png, pnm, pgm or ppm (default: the output's extension; "
                          "for -, the input's format)");
  process_cmd->add_option("--config", process_config, "switchyard config file (routing)");
  process_cmd->add_option("--metrics-json", process.metrics_json,
                          "write the routing metrics as JSON to this file at exit");
  process_cmd
      ->add_option("--max-input-mb", max_input_mb,
                   "refuse an input file larger than this many MiB (default: the config's "
                   "[imgkit] max_input_mb, else 256)")
      ->check(CLI::Range(std::uint64_t{1}, kMaxLimitMb));
  process_cmd
      ->add_option("--max-image-mb", max_image_mb,
                   "refuse a decoded image or an operation's output larger than this many MiB "
                   "(default: the config's [imgkit] max_image_mb, else 512)")
      ->check(CLI::Range(std::uint64_t{1}, kMaxLimitMb));
  process_cmd->footer("Operations:\n" + imgkit::cli::operations_help());

  std::string status_config;
  bool status_json = false;
  auto* status_cmd = app.add_subcommand(
      "status", "Show each component's route, Rust port and circuit breaker settings");
  status_cmd->add_option("--config", status_config, "switchyard config file (routing)");
  status_cmd->add_flag("--json", status_json, "print JSON instead of a table");

  imgkit::cli::ParityOptions parity;
  std::string parity_config;
  auto* parity_cmd = app.add_subcommand(
      "parity",
      "Run legacy and Rust on every PNM/PNG image under a directory and compare them; "
      "exit 1 if anything differs beyond tolerance");
  auto* corpus_option =
      parity_cmd->add_option("CORPUS_DIR", parity.corpus_dir, "directory of images");
  auto* replay_option = parity_cmd->add_option(
      "--replay", parity.replay_dir,
      "re-run every call captured on a mismatch (the *.capture files [switchyard] capture_dir "
      "collects) instead of a corpus; exit 1 if any still disagrees");
  corpus_option->excludes(replay_option);
  parity_cmd->add_option("--config", parity_config,
                         "switchyard config file (the tolerances to compare within)");
  parity_cmd->add_option("--json", parity.json, "also write the results as JSON");
  parity_cmd->add_option("--save-mismatches", parity.save_mismatches,
                         "copy every input that made them disagree into this directory "
                         "(rerun 'imgkit parity' on it to replay)");

  imgkit::cli::ReportOptions report_options;
  std::string report_config;
  auto* report_cmd = app.add_subcommand(
      "report",
      "Show each component's parity evidence, latency and share of the time, and whether "
      "the promotion rules say to promote, hold or demote it");
  report_cmd->add_option("--config", report_config,
                         "switchyard config file (its [promotion] table sets the rules)");
  report_cmd->add_option("--metrics-json", report_options.metrics_files,
                         "metrics files written by 'imgkit process --metrics-json', summed "
                         "(default: this process's own report)");
  report_cmd->add_flag("--json", report_options.json, "print JSON instead of text");
  report_cmd->add_option("--html", report_options.html,
                         "also write a self-contained HTML page here");

  imgkit::cli::ServeOptions serve;
  std::string serve_config;
  std::uint64_t serve_max_body_mb = serve.max_body_bytes >> 20;
  std::uint64_t serve_timeout_ms = static_cast<std::uint64_t>(serve.timeout.count());
  auto* serve_cmd = app.add_subcommand(
      "serve",
      "Serve the operations over HTTP, routed by a config file re-read while serving "
      "(POST /v1/process, GET /metrics, /v1/routes, /healthz, /readyz); SIGTERM or SIGINT "
      "drains and exits 0");
  serve_cmd->add_option("--listen", serve.listen,
                        "HOST:PORT to listen on (default 127.0.0.1:8080; port 0 picks a free "
                        "one, printed on stderr)");
  serve_cmd->add_option("--config", serve_config,
                        "switchyard config file (routing, [failpoints], [imgkit] max_image_mb), "
                        "re-read while serving");
  serve_cmd
      ->add_option("--threads", serve.threads,
                   "requests processed at once (default: the number of cores); more "
                   "connections than this wait for a slot within their timeout")
      ->check(CLI::Range(1U, 1024U));
  serve_cmd
      ->add_option("--max-body-mb", serve_max_body_mb,
                   "refuse a request body over this many MiB with 413, before reading it "
                   "(default 32)")
      ->check(CLI::Range(std::uint64_t{1}, kMaxLimitMb));
  serve_cmd
      ->add_option("--max-pixels", serve.max_pixels,
                   "refuse an image (decoded, or an operation's output) of more pixels with "
                   "413, before its pixels are allocated (default 100000000)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40));
  serve_cmd
      ->add_option("--timeout-ms", serve_timeout_ms,
                   "answer 503 once a request has run this long: checked while waiting for a "
                   "slot and between operations, so no new operation starts after it "
                   "(default 30000)")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{3'600'000}));
  serve_cmd->footer("Operations (op=..., repeatable, applied in order):\n" +
                    imgkit::cli::operations_help());

  try {
    app.parse(argc, argv);
    if (*serve_cmd) {
      serve.max_body_bytes = serve_max_body_mb << 20;
      serve.timeout = std::chrono::milliseconds(serve_timeout_ms);
      return imgkit::cli::run_serve(serve, [&] { start_routing(serve_config, /*watch=*/true); });
    }
    if (*report_cmd) {
      start_routing(report_config);  // the rules, and the report when no file is given
      const switchyard::Router& router = imgkit::routing::router();
      return imgkit::cli::run_report(report_options, router.report(), router.config().promotion,
                                     router.config().source);
    }
    if (*status_cmd) {
      start_routing(status_config);
      const switchyard::Report report = imgkit::routing::router().report();
      std::cout << (status_json ? switchyard::to_json(report) + "\n"
                                : imgkit::cli::format_status(report));
      return 0;
    }
    if (*parity_cmd) {
      if (parity.corpus_dir.empty() && parity.replay_dir.empty()) {
        throw imgkit::cli::UsageError("parity: give a CORPUS_DIR, or --replay CAPTURE_DIR");
      }
      start_routing(parity_config);  // tolerances (and any injected faults) from the config
      return imgkit::cli::run_parity(parity);
    }
    if (!format_name.empty()) process.format = imgkit::cli::parse_format(format_name);
    start_routing(process_config);
    const imgkit::routing::Limits configured = imgkit::routing::configured_limits();
    process.max_input_bytes = max_input_mb != 0 ? max_input_mb << 20 : configured.max_input_bytes;
    process.max_image_bytes = max_image_mb != 0 ? max_image_mb << 20 : configured.max_image_bytes;
    if (imgkit::cli::is_batch(process_paths)) {
      imgkit::cli::BatchOptions batch;
      batch.inputs.assign(process_paths.begin(), process_paths.end() - 1);
      batch.output_dir = process_paths.back();
      batch.operation_specs = process.operation_specs;
      batch.format = process.format;
      batch.metrics_json = process.metrics_json;
      batch.max_input_bytes = process.max_input_bytes;
      batch.max_image_bytes = process.max_image_bytes;
      batch.jobs = jobs;
      return imgkit::cli::run_batch(batch);
    }
    process.input = process_paths[0];
    process.output = process_paths[1];
    return imgkit::cli::run_process(process);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return usage_error(e.what());
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
    std::cerr << "imgkit: error: out of memory\n";
    return kExitRuntimeError;
  } catch (const std::exception& e) {
    std::cerr << "imgkit: internal error: " << e.what() << '\n';
    return kExitRuntimeError;
  }
}
