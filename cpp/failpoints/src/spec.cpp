// Parsing fail-rs specs. fail-rs 0.5 is the reference: an action it accepts is accepted
// here with the same values, one it refuses is refused for the same reason, and
// tests/data/failpoint_specs.txt holds both languages to that. Action::from_str's rules,
// in its order:
//   * the action is trimmed of white space as Rust's str::trim does (Unicode's), and
//     nothing inside it is: "50% return" names the task " return", which is unknown;
//   * the first `(` splits off the argument, which must end with `)`;
//   * the first `%` splits off the frequency: an f32 in Rust's syntax ("50", "0.5",
//     "+5", "1e2", "inf", "nan", "-5"), divided by 100. Nothing is out of range: over
//     100% always fires, NaN always fires, a negative one panics when drawn;
//   * the first `*` splits off the count, a usize ("+3" too; 0 never fires);
//   * the rest is the task, matched exactly; sleep and delay need a u64 argument, the
//     other tasks take any argument (off, yield and pause ignore it).
#include <array>
#include <charconv>
#include <cstddef>
#include <limits>
#include <utility>

#include "switchyard/failpoint_spec.hpp"

namespace switchyard {
namespace {

// What Rust's char::is_whitespace calls white space (Unicode's White_Space), UTF-8.
constexpr std::array<std::string_view, 25> kWhiteSpace = {
    "\t",           "\n",           "\v",           "\f",           "\r",           " ",
    "\xC2\x85",     "\xC2\xA0",     "\xE1\x9A\x80", "\xE2\x80\x80", "\xE2\x80\x81", "\xE2\x80\x82",
    "\xE2\x80\x83", "\xE2\x80\x84", "\xE2\x80\x85", "\xE2\x80\x86", "\xE2\x80\x87", "\xE2\x80\x88",
    "\xE2\x80\x89", "\xE2\x80\x8A", "\xE2\x80\xA8", "\xE2\x80\xA9", "\xE2\x80\xAF", "\xE2\x81\x9F",
    "\xE3\x80\x80",
};

// The length of the white-space character `text` starts (at_end: ends) with, or 0.
std::size_t white_space_at(std::string_view text, bool at_end) {
  for (const std::string_view space : kWhiteSpace) {
    if (text.size() < space.size()) continue;
    const std::size_t at = at_end ? text.size() - space.size() : 0;
    if (text.compare(at, space.size(), space) == 0) return space.size();
  }
  return 0;
}

// Rust's str::trim.
std::string_view trim(std::string_view text) {
  while (const std::size_t n = white_space_at(text, false)) text.remove_prefix(n);
  while (const std::size_t n = white_space_at(text, true)) text.remove_suffix(n);
  return text;
}

// Splits at the first `separator`, as fail-rs's partition does.
std::pair<std::string_view, std::optional<std::string_view>> partition(std::string_view text,
                                                                       char separator) {
  const auto at = text.find(separator);
  if (at == std::string_view::npos) return {text, std::nullopt};
  return {text.substr(0, at), text.substr(at + 1)};
}

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Rust's u64/usize FromStr: an optional `+`, then decimal digits, nothing around them.
std::optional<std::uint64_t> parse_rust_unsigned(std::string_view text) {
  if (!text.empty() && text.front() == '+') text.remove_prefix(1);
  if (text.empty() || !is_digit(text.front())) return std::nullopt;
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

bool equals_ignoring_case(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c =
        text[i] >= 'A' && text[i] <= 'Z' ? static_cast<char>(text[i] - 'A' + 'a') : text[i];
    if (c != lower[i]) return false;
  }
  return true;
}

// Whether `text` is a number as Rust's f32 FromStr reads it (no sign, no inf/nan):
//   ( Digit+ | Digit+ '.' Digit* | Digit* '.' Digit+ ) ( [eE] [+-]? Digit+ )?
bool is_rust_decimal(std::string_view text) {
  std::size_t at = 0;
  const auto digits = [&] {
    const std::size_t start = at;
    while (at < text.size() && is_digit(text[at])) ++at;
    return at - start;
  };
  std::size_t mantissa = digits();
  if (at < text.size() && text[at] == '.') {
    ++at;
    mantissa += digits();
  }
  if (mantissa == 0) return false;
  if (at < text.size() && (text[at] == 'e' || text[at] == 'E')) {
    ++at;
    if (at < text.size() && (text[at] == '+' || text[at] == '-')) ++at;
    if (digits() == 0) return false;
  }
  return at == text.size();
}

// For a decimal (is_rust_decimal) too large or too small for a float: whether it is too
// large, i.e. its first significant digit stands left of the decimal point once the
// exponent is applied. Only the sign of that position matters, so the exponent saturates.
bool overflows(std::string_view decimal) {
  const std::size_t e = decimal.find_first_of("eE");
  const std::string_view mantissa = decimal.substr(0, e);
  std::int64_t exponent = 0;
  if (e != std::string_view::npos) {
    std::string_view digits = decimal.substr(e + 1);
    const bool negative = digits.front() == '-';
    if (digits.front() == '+' || negative) digits.remove_prefix(1);
    for (const char c : digits)
      exponent = std::min<std::int64_t>(exponent * 10 + (c - '0'), 1 << 30);
    if (negative) exponent = -exponent;
  }
  const std::size_t point = std::min(mantissa.find('.'), mantissa.size());
  const std::size_t first = mantissa.find_first_of("123456789");
  if (first == std::string_view::npos) return false;  // zero: never out of range
  // Digits between the point and the first significant one (negative: left of the point).
  const auto position = static_cast<std::int64_t>(point) - static_cast<std::int64_t>(first) -
                        (first > point ? -1 : 0);
  return position + exponent > 0;
}

// Rust's f32 FromStr: [+-]? ( inf | infinity | nan | decimal ), case-insensitive words,
// rounded to nearest; too large is infinity, too small zero, never an error.
std::optional<float> parse_rust_f32(std::string_view text) {
  const bool negative = !text.empty() && text.front() == '-';
  if (!text.empty() && (text.front() == '+' || negative)) text.remove_prefix(1);
  float value = 0.0f;
  if (equals_ignoring_case(text, "inf") || equals_ignoring_case(text, "infinity")) {
    value = std::numeric_limits<float>::infinity();
  } else if (equals_ignoring_case(text, "nan")) {
    value = std::numeric_limits<float>::quiet_NaN();
  } else if (!is_rust_decimal(text)) {
    return std::nullopt;
  } else {
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error == std::errc::result_out_of_range) {
      value = overflows(text) ? std::numeric_limits<float>::infinity() : 0.0f;
    } else if (error != std::errc() || end != text.data() + text.size()) {
      return std::nullopt;
    }
  }
  // Negated, not multiplied: Rust flips the sign bit, of a NaN too.
  return negative ? -value : value;
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
    const std::optional<float> percent = parse_rust_f32(head);
    if (!percent) {
      bad_action(action, "frequency \"" + std::string(head) + "\" is not a number (p% as in 50%)");
    }
    parsed.probability = *percent / 100.0f;
    rest = *tail;
  }
  if (auto [head, tail] = partition(rest, '*'); tail) {
    const std::optional<std::uint64_t> count = parse_rust_unsigned(head);
    if (!count) bad_action(action, "count \"" + std::string(head) + "\" is not a whole number");
    parsed.max_count = *count;
    rest = *tail;
  }

  const auto duration = [&] {
    if (!parsed.argument) bad_action(action, "timeout needed, in milliseconds: sleep(100)");
    const std::optional<std::uint64_t> ms = parse_rust_unsigned(*parsed.argument);
    if (!ms) bad_action(action, "timeout \"" + *parsed.argument + "\" is not whole milliseconds");
    return FailAction::Milliseconds(*ms);
  };
  // The task as it stands: fail-rs trims the action once, so "return (x)" is no return.
  const std::string_view task = rest;
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
