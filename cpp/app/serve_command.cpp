#include "serve_command.hpp"

#include <httplib.h>
#include <pthread.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <thread>
#include <vector>

#include "imgkit/error.hpp"
#include "imgkit/routing.hpp"
#include "input_file.hpp"
#include "serve_metrics.hpp"
#include "serve_processing.hpp"
#include "switchyard/report.hpp"
#include "switchyard/route_key.hpp"
#include "usage_error.hpp"

namespace imgkit::cli {
namespace {

// Why a large pool of connection threads and a small bound on CPU work: cpp-httplib is
// blocking, and a keep-alive connection holds one pool thread for as long as it stays
// open, waiting on its socket. With a pool sized to the cores, a few idle keep-alive
// clients would starve every other client (new connections queue behind them, unserved).
// So the pool is large, kConnectionThreads threads that cost a stack each while they
// wait on sockets, and the CPU is bounded separately: at most --threads requests decode,
// filter and encode at once (WorkSlots), the rest wait for a slot within their deadline.
// Bodies are read before a slot is taken, so a slow client never holds CPU.
constexpr std::size_t kConnectionThreads = 128;
// An idle keep-alive connection is closed after this long (its thread is freed); it also
// bounds how long a drain waits for idle connections to go.
constexpr time_t kKeepAliveSeconds = 5;
constexpr std::size_t kKeepAliveMaxRequests = 1'000'000;
// A client that stops sending its request, or stops reading its response, for this long
// loses the connection.
constexpr time_t kSocketTimeoutSeconds = 10;
// A client's X-Request-Id longer than this (or with control characters) is replaced.
constexpr std::size_t kMaxRequestIdLength = 128;

// cpp-httplib 0.11 listens with a backlog of 5: 64 clients connecting at once overflow
// it, and the kernel drops their handshakes until they retry (a second or more of
// latency, and resets). listen() again on the bound socket raises the backlog in place.
class Server : public httplib::Server {
 public:
  bool raise_backlog() { return ::listen(svr_sock_, SOMAXCONN) == 0; }
};

// A counting semaphore with a deadline (std::counting_semaphore is C++20).
class WorkSlots {
 public:
  explicit WorkSlots(unsigned slots) : free_(slots) {}

  bool acquire_until(Deadline deadline) {
    std::unique_lock lock(mutex_);
    if (!freed_.wait_until(lock, deadline, [&] { return free_ > 0; })) return false;
    --free_;
    return true;
  }
  void release() {
    {
      const std::lock_guard lock(mutex_);
      ++free_;
    }
    freed_.notify_one();
  }

 private:
  std::mutex mutex_;
  std::condition_variable freed_;
  unsigned free_;
};

// One slot held for a scope; 503 when the deadline passes while waiting for it.
class WorkSlot {
 public:
  WorkSlot(WorkSlots& slots, Deadline deadline) : slots_(slots) {
    if (!slots_.acquire_until(deadline)) {
      throw ServeError(503, "timeout",
                       "the request ran past --timeout-ms waiting for a processing slot "
                       "(--threads); nothing was started");
    }
  }
  ~WorkSlot() { slots_.release(); }
  WorkSlot(const WorkSlot&) = delete;
  WorkSlot& operator=(const WorkSlot&) = delete;

 private:
  WorkSlots& slots_;
};

// What the access log needs of the request a pool thread is handling. cpp-httplib runs a
// request's pre-routing handler, handler and logger on one thread, one after another, so
// the thread's own copy is the request's.
struct RequestContext {
  bool active = false;
  std::chrono::steady_clock::time_point start;
  std::string id;
  std::vector<switchyard::Decision> decisions;
};
thread_local RequestContext t_request;

std::string new_request_id() {
  static const std::uint64_t seed = std::random_device{}() * 0x9e3779b97f4a7c15ULL;
  static std::atomic<std::uint64_t> sequence{0};
  // splitmix64: distinct ids from one counter, not guessable from each other.
  std::uint64_t z = seed + sequence.fetch_add(1, std::memory_order_relaxed) * 0x9e3779b97f4a7c15ULL;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  z ^= z >> 31;
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(z));
  return text;
}

// The caller's id when it is one a log line can carry; otherwise a new one.
std::string request_id(const httplib::Request& request) {
  const std::string given = request.get_header_value("X-Request-Id");
  if (given.empty() || given.size() > kMaxRequestIdLength) return new_request_id();
  for (const unsigned char c : given) {
    if (c < 0x21 || c > 0x7e) return new_request_id();
  }
  return given;
}

std::string error_body(const std::string& error, const std::string& detail) {
  return nlohmann::json{{"error", error}, {"detail", detail}}.dump() + "\n";
}

void answer_error(httplib::Response& response, int status, const std::string& error,
                  const std::string& detail) {
  response.status = status;
  response.set_content(error_body(error, detail), "application/json");
}

// The same answer, then the connection closed: the rest of a refused body is still on it,
// and would otherwise be read as the next request. cpp-httplib 0.11 keeps a connection
// open whatever the response's own Connection header says; it closes one whose response
// could not be written, so the body goes out through a content provider that reports
// failure once it has written everything.
void answer_error_and_close(httplib::Response& response, int status, const std::string& error,
                            const std::string& detail) {
  response.status = status;
  response.set_header("Connection", "close");
  const std::string body = error_body(error, detail);
  response.set_content_provider(
      body.size(), "application/json",
      [body](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
        sink.write(body.data() + offset, length);
        return false;  // written in full: end the connection here
      });
}

// The word for a status cpp-httplib answered by itself (no handler ran, or none matched).
const char* error_word(int status) {
  switch (status) {
    case 400:
      return "bad_request";
    case 404:
      return "not_found";
    case 413:
      return "body_too_large";
    case 414:
      return "uri_too_long";
    case 503:
      return "unavailable";
    default:
      return status >= 500 ? "internal" : "bad_request";
  }
}

std::optional<std::uint64_t> parse_length(const std::string& text) {
  std::uint64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// One line of the access log: one write(2) per line, so lines from many threads never
// interleave.
void write_log_line(const std::string& line) {
  std::size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = ::write(STDERR_FILENO, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // nowhere to log to; the request is answered all the same
    written += static_cast<std::size_t>(n);
  }
}

nlohmann::json describe_routes(const std::vector<switchyard::Decision>& decisions) {
  const switchyard::Catalog& catalog = imgkit::routing::router().catalog();
  nlohmann::json routes = nlohmann::json::array();
  for (const switchyard::Decision& decision : decisions) {
    nlohmann::json route{{"component", catalog.info(decision.component).name},
                         {"mode", std::string(to_string(decision.mode))},
                         {"route", std::string(to_string(decision.route))}};
    if (decision.fallback) route["fallback"] = std::string(to_string(*decision.fallback));
    if (decision.slow) route["slow"] = true;
    routes.push_back(std::move(route));
  }
  return routes;
}

class Service {
 public:
  Service(const ServeOptions& options, std::uint64_t max_image_bytes)
      : options_(options), limits_{options.max_pixels, max_image_bytes}, slots_(options.threads) {}

  void install(httplib::Server& server);
  void drain() noexcept { draining_.store(true, std::memory_order_relaxed); }

 private:
  httplib::Server::HandlerResponse begin(const httplib::Request& request,
                                         httplib::Response& response);
  void finish(const httplib::Request& request, const httplib::Response& response);
  void process(const httplib::Request& request, httplib::Response& response,
               const httplib::ContentReader& reader);
  std::vector<std::uint8_t> read_body(const httplib::Request& request,
                                      const httplib::ContentReader& reader) const;
  static ParsedQuery read_query(const httplib::Request& request);

  const ServeOptions options_;
  const ProcessingLimits limits_;
  WorkSlots slots_;
  HttpMetrics metrics_;
  std::atomic<bool> draining_{false};
};

void Service::install(httplib::Server& server) {
  server.set_pre_routing_handler(
      [this](const httplib::Request& request, httplib::Response& response) {
        return begin(request, response);
      });
  server.set_logger([this](const httplib::Request& request, const httplib::Response& response) {
    finish(request, response);
  });
  server.set_error_handler([](const httplib::Request& request, httplib::Response& response) {
    // A handler's own error answer (always JSON) stays; cpp-httplib's own gets one.
    if (response.has_header("Content-Type")) return;
    answer_error(response, response.status, error_word(response.status),
                 response.status == 404 ? "no such endpoint: " + request.method + " " + request.path
                                        : "the request could not be handled");
  });
  server.set_exception_handler([](const httplib::Request& /*request*/, httplib::Response& response,
                                  std::exception_ptr error) {
    std::string detail = "an exception that is not a std::exception";
    try {
      std::rethrow_exception(error);
    } catch (const std::exception& e) {
      detail = e.what();
    } catch (...) {
    }
    answer_error(response, 500, "internal", detail);
  });

  server.Post("/v1/process",
              [this](const httplib::Request& request, httplib::Response& response,
                     const httplib::ContentReader& reader) { process(request, response, reader); });
  server.Get("/metrics", [this](const httplib::Request&, httplib::Response& response) {
    const InFlight in_flight(metrics_);
    response.set_content(
        switchyard::to_prometheus(imgkit::routing::router().report()) + metrics_.to_prometheus(),
        "text/plain; version=0.0.4; charset=utf-8");
  });
  server.Get("/v1/routes", [this](const httplib::Request&, httplib::Response& response) {
    const InFlight in_flight(metrics_);
    response.set_content(switchyard::to_json(imgkit::routing::router().report()) + "\n",
                         "application/json");
  });
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& response) {
    response.set_content("ok\n", "text/plain");
  });
  server.Get("/readyz", [this](const httplib::Request&, httplib::Response& response) {
    if (draining_.load(std::memory_order_relaxed)) {
      answer_error(response, 503, "draining",
                   "shutting down: finishing the requests in flight, taking no new ones");
      return;
    }
    response.set_content("ready\n", "text/plain");
  });
}

httplib::Server::HandlerResponse Service::begin(const httplib::Request& request,
                                                httplib::Response& response) {
  t_request.active = true;
  t_request.start = std::chrono::steady_clock::now();
  t_request.id = request_id(request);
  t_request.decisions.clear();
  response.set_header("X-Request-Id", t_request.id);
  return httplib::Server::HandlerResponse::Unhandled;
}

// Runs once the response is written: counts it and writes its access log line.
void Service::finish(const httplib::Request& request, const httplib::Response& response) {
  const auto now = std::chrono::steady_clock::now();
  // A request cpp-httplib refused before routing (a malformed request line) had no begin().
  const auto start = t_request.active ? t_request.start : now;
  const auto elapsed = now - start;
  metrics_.record(response.status, elapsed);
  const nlohmann::json line{
      {"time", switchyard::iso8601_utc(std::chrono::system_clock::now())},
      {"method", request.method},
      {"path", request.path},
      {"status", response.status},
      {"bytes", response.body.empty() ? response.content_length_ : response.body.size()},
      {"duration_ms", std::chrono::duration<double, std::milli>(elapsed).count()},
      {"request_id", t_request.active ? t_request.id : std::string()},
      {"routes", describe_routes(t_request.active ? t_request.decisions
                                                  : std::vector<switchyard::Decision>{})}};
  t_request.active = false;
  write_log_line(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
}

std::vector<std::uint8_t> Service::read_body(const httplib::Request& request,
                                             const httplib::ContentReader& reader) const {
  const std::uint64_t limit = options_.max_body_bytes;
  const auto too_large = [&](const std::string& size) {
    return ServeError(413, "body_too_large",
                      "the request body is " + size + ", over the " + describe_size(limit) +
                          " limit (--max-body-mb)");
  };
  std::vector<std::uint8_t> body;
  if (request.has_header("Content-Length")) {
    const std::optional<std::uint64_t> length =
        parse_length(request.get_header_value("Content-Length"));
    if (!length) throw ServeError(400, "bad_request", "Content-Length is not a number");
    // Refused from the header alone: not one byte of an oversized body is read.
    if (*length > limit) throw too_large(describe_size(*length));
    body.reserve(static_cast<std::size_t>(*length));
  }
  // A chunked body (or one whose length was not declared) is read until it passes the
  // limit, and no further.
  bool over_limit = false;
  const bool complete = reader([&](const char* data, std::size_t length) {
    if (body.size() + length > limit) {
      over_limit = true;
      return false;
    }
    body.insert(body.end(), data, data + length);
    return true;
  });
  if (over_limit) throw too_large("more than " + describe_size(limit));
  if (!complete) {
    throw ServeError(400, "bad_request",
                     "the request body ended early or could not be read in time");
  }
  return body;
}

// The query's parameters in order, each split at its first '=' only: an operation's own
// parameters are written with '=' too (op=gaussian_blur:sigma=2), which cpp-httplib's
// Request::params would split at the last one.
std::vector<std::pair<std::string, std::string>> query_parameters(const std::string& target) {
  std::vector<std::pair<std::string, std::string>> parameters;
  const std::size_t question = target.find('?');
  if (question == std::string::npos) return parameters;
  const std::string query = target.substr(question + 1);
  std::size_t start = 0;
  while (start <= query.size()) {
    std::size_t end = query.find('&', start);
    if (end == std::string::npos) end = query.size();
    const std::string part = query.substr(start, end - start);
    if (!part.empty()) {
      const std::size_t equals = part.find('=');
      const std::string key = part.substr(0, equals);
      const std::string value = equals == std::string::npos ? "" : part.substr(equals + 1);
      parameters.emplace_back(httplib::detail::decode_url(key, true),
                              httplib::detail::decode_url(value, true));
    }
    start = end + 1;
  }
  return parameters;
}

ParsedQuery Service::read_query(const httplib::Request& request) {
  std::vector<std::string> operation_specs;
  std::optional<std::string> format;
  for (const auto& [key, value] : query_parameters(request.target)) {
    if (key == "op") {
      operation_specs.push_back(value);
    } else if (key == "format") {
      if (format) throw ServeError(400, "bad_format", "format= given more than once");
      format = value;
    } else {
      throw ServeError(400, "bad_query",
                       "unknown query parameter '" + key + "' (known: op, format)");
    }
  }
  return parse_query(operation_specs, format);
}

void Service::process(const httplib::Request& request, httplib::Response& response,
                      const httplib::ContentReader& reader) {
  const InFlight in_flight(metrics_);
  const Deadline deadline = t_request.start + options_.timeout;
  try {
    const std::vector<std::uint8_t> body = read_body(request, reader);
    const ParsedQuery query = read_query(request);
    // Canary routing sticks to the request id: a retried request takes the same route.
    const switchyard::RouteKeyScope route_key(t_request.id);
    const WorkSlot slot(slots_, deadline);
    ProcessedImage image = process_request(body, query, limits_, deadline, t_request.decisions);
    response.set_content(std::string(image.bytes.begin(), image.bytes.end()), image.content_type);
  } catch (const ServeError& e) {
    if (e.error() == "body_too_large") {
      answer_error_and_close(response, e.status(), e.error(), e.what());
    } else {
      answer_error(response, e.status(), e.error(), e.what());
    }
  }
}

std::pair<std::string, int> parse_listen(const std::string& listen) {
  const std::size_t colon = listen.rfind(':');
  const auto bad = [&] {
    return UsageError("--listen " + listen + ": give HOST:PORT, e.g. 127.0.0.1:8080 (port 0: any)");
  };
  if (colon == std::string::npos || colon == 0) throw bad();
  const std::optional<std::uint64_t> port = parse_length(listen.substr(colon + 1));
  if (!port || *port > 65535) throw bad();
  std::string host = listen.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);  // [::1]:8080
  }
  return {host, static_cast<int>(*port)};
}

sigset_t termination_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  return signals;
}

// The thread that hears SIGTERM and SIGINT (blocked in every other thread) and drains the
// server: not ready, stop accepting, let the requests in flight finish. A second signal,
// or a drain longer than `budget`, ends the process at once with status 1.
class SignalWatch {
 public:
  SignalWatch(httplib::Server& server, Service& service, std::chrono::milliseconds budget)
      : thread_([this, &server, &service, budget] { run(server, service, budget); }) {}
  ~SignalWatch() {
    {
      const std::lock_guard lock(mutex_);
      done_ = true;
    }
    thread_.join();
  }
  SignalWatch(const SignalWatch&) = delete;
  SignalWatch& operator=(const SignalWatch&) = delete;

 private:
  bool done() {
    const std::lock_guard lock(mutex_);
    return done_;
  }

  // Waits a moment for a signal; 0 when none came.
  static int next_signal(const sigset_t& signals) {
    const timespec poll{0, 100'000'000};
    const int signal_number = ::sigtimedwait(&signals, nullptr, &poll);
    return signal_number > 0 ? signal_number : 0;
  }

  void run(httplib::Server& server, Service& service, std::chrono::milliseconds budget) {
    const sigset_t signals = termination_signals();
    int signal_number = 0;
    while (signal_number == 0) {
      if (done()) return;
      signal_number = next_signal(signals);
    }
    service.drain();  // not ready first: the line below says it already is
    std::cerr << "imgkit: " << strsignal(signal_number)
              << ": draining (not ready, no new connections, finishing requests in flight)"
              << std::endl;
    server.stop();
    const auto give_up = std::chrono::steady_clock::now() + budget;
    while (!done()) {
      if (next_signal(signals) != 0) {
        std::cerr << "imgkit: second signal: exiting without finishing requests in flight"
                  << std::endl;
        std::_Exit(1);
      }
      if (std::chrono::steady_clock::now() > give_up) {
        std::cerr << "imgkit: drain took longer than " << budget.count()
                  << " ms: exiting with requests unfinished" << std::endl;
        std::_Exit(1);
      }
    }
  }

  std::mutex mutex_;
  bool done_ = false;
  std::thread thread_;
};

void configure(httplib::Server& server, const ServeOptions& options) {
  server.new_task_queue = [] { return new httplib::ThreadPool(kConnectionThreads); };
  // A response goes out in two writes (headers, then body): with Nagle's algorithm the
  // body would wait for the client's delayed ACK of the headers, 40 ms on Linux.
  server.set_tcp_nodelay(true);
  server.set_keep_alive_timeout(kKeepAliveSeconds);
  server.set_keep_alive_max_count(kKeepAliveMaxRequests);
  server.set_read_timeout(kSocketTimeoutSeconds, 0);
  server.set_write_timeout(kSocketTimeoutSeconds, 0);
  // Bodies of the other endpoints (none expect one) are bounded by the same limit.
  server.set_payload_max_length(static_cast<std::size_t>(options.max_body_bytes));
}

}  // namespace

int run_serve(const ServeOptions& given, const std::function<void()>& start_routing) {
  // Blocked before any thread starts (the config watcher, the pool), so every thread
  // inherits the mask and only SignalWatch hears them.
  const sigset_t signals = termination_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  ServeOptions options = given;
  if (options.threads == 0) options.threads = std::max(1U, std::thread::hardware_concurrency());
  const auto [host, port] = parse_listen(options.listen);
  start_routing();
  Service service(options, imgkit::routing::configured_limits().max_image_bytes);

  Server server;
  configure(server, options);
  service.install(server);
  const int bound_port =
      port == 0 ? server.bind_to_any_port(host) : (server.bind_to_port(host, port) ? port : -1);
  if (bound_port < 0 || !server.raise_backlog()) {
    throw Error(ErrorCategory::kInternal,
                "--listen " + options.listen + ": cannot listen there: " + std::strerror(errno));
  }
  std::cerr << "imgkit: serving on " << host << ":" << bound_port << " (" << options.threads
            << " processing threads, " << kConnectionThreads << " connection threads)" << std::endl;
  {
    // Requests are bounded by the timeout between operations, idle connections by the
    // keep-alive timeout; past both with margin, something is stuck.
    const auto budget = options.timeout + std::chrono::seconds(kKeepAliveSeconds + 5);
    const SignalWatch watch(server, service, budget);
    if (!server.listen_after_bind()) {
      throw Error(ErrorCategory::kInternal, "--listen " + options.listen + ": accept failed");
    }
  }
  imgkit::routing::router().flush_captures();
  std::cerr << "imgkit: drained; exiting" << std::endl;
  return 0;
}

}  // namespace imgkit::cli
