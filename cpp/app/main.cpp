// imgkit — the command-line program.
//
//   imgkit process INPUT OUTPUT --op NAME[:key=value,...] [--op ...]
//
// Exit status: 0 success, 1 runtime error (unreadable or malformed image, failed
// write), 2 usage error (unknown operation, bad parameter, unknown file extension).
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <new>
#include <string>
#include <vector>

#include "image_files.hpp"
#include "imgkit/error.hpp"
#include "operations.hpp"
#include "usage_error.hpp"

namespace {

constexpr int kExitRuntimeError = 1;
constexpr int kExitUsageError = 2;

struct ProcessCommand {
  std::string input;
  std::string output;
  std::vector<std::string> operation_specs;
};

int run_process(const ProcessCommand& command) {
  using imgkit::cli::Operation;
  std::vector<Operation> operations;
  for (const auto& spec : command.operation_specs) {
    operations.push_back(imgkit::cli::parse_operation(spec));
  }
  imgkit::cli::format_for_path(command.output);  // reject a bad extension before work

  const auto start = std::chrono::steady_clock::now();
  imgkit::Image image = imgkit::cli::read_image(command.input);
  // Printed only once the output is written: a failed run says nothing on stdout.
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
  std::cout << summary << " -> " << command.output << " (" << imgkit::cli::describe_image(image)
            << ") in " << static_cast<long>(elapsed.count() + 0.5) << " ms\n";
  return 0;
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
  process_cmd->footer("Operations:\n" + imgkit::cli::operations_help());

  try {
    app.parse(argc, argv);
    return run_process(process);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << "imgkit: usage error: " << e.what() << "\nRun 'imgkit --help' for usage.\n";
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
