// Parsing fail-rs specs: what fail-rs accepts, C++ accepts, with the same values.
#include "switchyard/failpoint_spec.hpp"

#include <charconv>
#include <utility>

namespace switchyard {
namespace {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

// Splits at the first `separator`, as fail-rs's partition does.
std::pair<std::string_view, std::optional<std::string_view>> partition(std::string_view text,
                                                                       char separator) {
  const auto at = text.find(separator);
  if (at == std::string_view::npos) return {text, std::nullopt};
  return {text.substr(0, at), text.substr(at + 1)};
}

template <typename Number>
std::optional<Number> parse_number(std::string_view text) {
  text = trim(text);
  Number value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

[[noreturn]] void bad_action(std::string_view action, const std::string& problem) {
  throw FailpointError("failpoint action \"" + std::string(action) + "\": " + problem);
}

FailAction parse_action(std::string_view text) {
  const std::string_view action = trim(text);
  std::string_view rest = action;
  FailAction parsed;

  // Arguments first: they may hold '%' or '*'.
  if (auto [head, arguments] = partition(rest, '('); arguments) {
    if (arguments->empty() || arguments->back() != ')') {
      bad_action(action, "parentheses do not match");
    }
    rest = head;
    parsed.argument = std::string(arguments->substr(0, arguments->size() - 1));
  }
  if (auto [head, tail] = partition(rest, '%'); tail) {
    const auto percent = parse_number<double>(head);
    if (!percent || !(*percent >= 0.0 && *percent <= 100.0)) {
      bad_action(action, "probability \"" + std::string(head) + "\" is not a percentage 0-100");
    }
    parsed.probability = *percent / 100.0;
    rest = *tail;
  }
  if (auto [head, tail] = partition(rest, '*'); tail) {
    const auto count = parse_number<std::uint64_t>(head);
    if (!count) bad_action(action, "count \"" + std::string(head) + "\" is not a whole number");
    parsed.max_count = *count;
    rest = *tail;
  }

  const auto duration = [&] {
    if (!parsed.argument) bad_action(action, "needs a duration in milliseconds, e.g. sleep(100)");
    const auto ms = parse_number<std::uint64_t>(*parsed.argument);
    if (!ms) bad_action(action, "duration \"" + *parsed.argument + "\" is not whole milliseconds");
    return std::chrono::milliseconds(*ms);
  };
  const std::string_view task = trim(rest);
  if (task == "off") {
    parsed.task = FailTask::kOff;
  } else if (task == "return") {
    parsed.task = FailTask::kReturn;
  } else if (task == "panic") {
    parsed.task = FailTask::kPanic;
  } else if (task == "print") {
    parsed.task = FailTask::kPrint;
  } else if (task == "sleep") {
    parsed.task = FailTask::kSleep;
    parsed.duration = duration();
  } else if (task == "delay") {
    parsed.task = FailTask::kDelay;
    parsed.duration = duration();
  } else if (task == "yield") {
    parsed.task = FailTask::kYield;
  } else if (task == "pause") {
    parsed.task = FailTask::kPause;
  } else {
    bad_action(action, "unknown task \"" + std::string(task) +
                           "\"; expected off, return, panic, print, sleep, delay, yield or pause");
  }
  return parsed;
}

}  // namespace

std::vector<FailAction> parse_failpoint_actions(std::string_view actions) {
  std::vector<FailAction> parsed;
  std::string_view rest = actions;
  while (true) {
    const auto arrow = rest.find("->");
    parsed.push_back(parse_action(rest.substr(0, arrow)));
    if (arrow == std::string_view::npos) break;
    rest.remove_prefix(arrow + 2);
  }
  return parsed;
}

std::vector<FailpointSetting> parse_failpoint_spec(std::string_view spec) {
  std::vector<FailpointSetting> settings;
  std::string_view rest = spec;
  while (!rest.empty()) {
    const auto semicolon = rest.find(';');
    const std::string_view entry = trim(rest.substr(0, semicolon));
    rest = semicolon == std::string_view::npos ? std::string_view() : rest.substr(semicolon + 1);
    if (entry.empty()) continue;
    const auto [name, actions] = partition(entry, '=');
    if (!actions || trim(name).empty()) {
      throw FailpointError("failpoint entry \"" + std::string(entry) +
                           "\": expected name=actions, e.g. imgkit::gaussian_blur=panic");
    }
    const std::string_view trimmed_actions = trim(*actions);
    try {
      parse_failpoint_actions(trimmed_actions);
    } catch (const FailpointError& e) {
      throw FailpointError(std::string(trim(name)) + ": " + e.what());
    }
    settings.push_back({std::string(trim(name)), std::string(trimmed_actions)});
  }
  return settings;
}

}  // namespace switchyard
