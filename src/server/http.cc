#include "server/http.h"

// Boost 1.74's asio/awaitable.hpp used std::exchange without <utility> under -std=c++20;
// included first so no Boost version trips on it.
#include <utility>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <list>
#include <mutex>
#include <optional>
#include <thread>

#include "error.h"

namespace filmsearch::server {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

std::string error_body(std::string_view code, std::string_view message) {
  // Fixed texts only (no user input), so no JSON escaping is needed.
  return "{\"code\":\"" + std::string(code) + "\",\"message\":\"" + std::string(message) + "\"}";
}

}  // namespace

class Session;

// Members in this order: sessions left in the io_context when it is destroyed count down
// `open`, which must outlive it.
struct HttpServer::Impl {
  HttpOptions options;
  Handler handler;
  std::atomic<std::size_t> open{0};
  std::atomic<std::size_t> in_flight{0};
  std::atomic<bool> stopping{false};
  std::mutex sessions_mu;
  std::list<std::weak_ptr<Session>> sessions;  // to close them at stop()
  bool stopped = false;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  asio::steady_timer accept_retry{ioc};
  std::vector<std::thread> threads;

  void accept();
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(HttpServer::Impl& server, tcp::socket socket)
      : server_(server), stream_(std::move(socket)) {
    ++server_.open;
  }
  ~Session() { --server_.open; }

  void run() {
    asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read(); });
  }

  // From stop(): closes the socket on the session's strand (pending operations fail).
  void close() {
    asio::post(stream_.get_executor(), [self = shared_from_this()] {
      beast::error_code ignored;
      self->stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
      self->stream_.close();
    });
  }

 private:
  void read() {
    if (server_.stopping) return close_now();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.options.header_limit));
    parser_->body_limit(server_.options.body_limit);
    stream_.expires_after(server_.options.read_deadline);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](beast::error_code ec, std::size_t) {
                              self->on_header(ec);
                            });
  }

  void on_header(beast::error_code ec) {
    if (ec) return fail(ec);
    const auto target = parser_->get().target();
    const auto& prefix = server_.options.large_body_prefix;
    const auto& key = server_.options.large_body_authorization;
    const auto authorization = parser_->get()[http::field::authorization];
    bool admin = !key.empty() && authorization.size() == key.size();
    unsigned char diff = 0;  // compared in constant time
    for (std::size_t i = 0; admin && i < key.size(); ++i) diff |= authorization[i] ^ key[i];
    if (admin && diff == 0 && !prefix.empty() && target.substr(0, prefix.size()) == prefix) {
      parser_->body_limit(server_.options.large_body_limit);
    }
    if (parser_->is_done()) return on_request({});
    // The deadline set in read() still runs: headers and body share it.
    http::async_read(stream_, buffer_, *parser_,
                     [self = shared_from_this()](beast::error_code ec, std::size_t) {
                       self->on_request(ec);
                     });
  }

  void on_request(beast::error_code ec) {
    if (ec) return fail(ec);
    stream_.expires_never();  // the handler's time is not the client's
    http::request<http::string_body> message = parser_->release();
    parser_.reset();
    keep_alive_ = message.keep_alive();
    HttpRequest request;
    request.method = std::string(message.method_string());
    request.target = std::string(message.target());
    request.content_type = std::string(message[http::field::content_type]);
    request.authorization = std::string(message[http::field::authorization]);
    request.body = std::move(message.body());
    ++server_.in_flight;
    in_flight_ = true;
    auto once = std::make_shared<std::atomic<bool>>(false);
    Respond respond = [self = shared_from_this(), once](HttpResponse response) {
      if (once->exchange(true)) return;
      asio::post(self->stream_.get_executor(),
                 [self, response = std::move(response)]() mutable { self->write(std::move(response)); });
    };
    try {
      server_.handler(std::move(request), respond);
    } catch (const std::exception&) {
      respond({500, "application/json", error_body("internal", "the request could not be handled"), {}});
    }
  }

  void fail(beast::error_code ec) {
    if (ec == http::error::header_limit) {
      keep_alive_ = false;
      return write({431, "application/json",
                    error_body("header_too_large", "request line and headers exceed the limit"), {}});
    }
    if (ec == http::error::body_limit) {
      keep_alive_ = false;
      return write({413, "application/json",
                    error_body("body_too_large", "the request body exceeds the limit"), {}});
    }
    if (ec.category() == http::make_error_code(http::error::bad_target).category() && ec != http::error::end_of_stream &&
        ec != http::error::partial_message) {
      keep_alive_ = false;
      return write({400, "application/json", error_body("bad_request", "malformed HTTP request"), {}});
    }
    // End of stream, timeout, reset, shutdown: nothing to answer.
    close_now();
  }

  void write(HttpResponse r) {
    response_ = {};
    response_.result(static_cast<unsigned>(r.status));
    response_.version(11);
    response_.set(http::field::server, "filmsearch");
    response_.set(http::field::content_type, r.content_type);
    for (auto& [name, value] : r.headers) response_.set(name, value);
    response_.body() = std::move(r.body);
    response_.keep_alive(keep_alive_ && !server_.stopping);
    response_.prepare_payload();
    stream_.expires_after(server_.options.read_deadline);
    http::async_write(stream_, response_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        self->on_write(ec);
                      });
  }

  void on_write(beast::error_code ec) {
    if (in_flight_) {
      in_flight_ = false;
      --server_.in_flight;
    }
    if (ec || !response_.keep_alive()) return close_now();
    read();
  }

  void close_now() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.close();
  }

  HttpServer::Impl& server_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  bool keep_alive_ = true;
  bool in_flight_ = false;
};

void HttpServer::Impl::accept() {
  acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    if (stopping || !acceptor.is_open()) return;
    if (ec) {
      // Out of file descriptors, most likely: wait a little rather than spin.
      accept_retry.expires_after(std::chrono::milliseconds(50));
      accept_retry.async_wait([this](beast::error_code) { accept(); });
      return;
    }
    if (open.load() >= options.max_connections) {
      beast::error_code ignored;
      socket.close(ignored);
    } else {
      beast::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      auto session = std::make_shared<Session>(*this, std::move(socket));
      {
        std::lock_guard lock(sessions_mu);
        // Forget sessions that ended once they are half the list (amortized O(1) per accept).
        if (sessions.size() > 2 * open.load() + 64) {
          sessions.remove_if([](const auto& w) { return w.expired(); });
        }
        sessions.push_back(session);
      }
      session->run();
    }
    accept();
  });
}

HttpServer::HttpServer(const HttpOptions& options, Handler handler)
    : impl_(std::make_shared<Impl>()) {
  impl_->options = options;
  impl_->handler = std::move(handler);
  beast::error_code ec;
  const auto address = asio::ip::make_address(options.address, ec);
  const std::string where = options.address + ":" + std::to_string(options.port);
  if (ec) throw ConfigError("--listen " + where + ": not an IP address");
  tcp::endpoint endpoint(address, options.port);
  impl_->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl_->acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) impl_->acceptor.bind(endpoint, ec);
  if (!ec) impl_->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) throw Error("cannot listen on " + where + ": " + ec.message());
}

HttpServer::~HttpServer() { stop(); }

std::uint16_t HttpServer::port() const { return impl_->acceptor.local_endpoint().port(); }

std::size_t HttpServer::connections() const { return impl_->open.load(); }

void HttpServer::start() {
  impl_->accept();
  for (int i = 0; i < std::max(1, impl_->options.io_threads); ++i) {
    impl_->threads.emplace_back([this] { impl_->ioc.run(); });
  }
}

void HttpServer::stop(std::chrono::milliseconds grace) {
  Impl& s = *impl_;
  if (s.stopped) return;
  s.stopped = true;
  s.stopping = true;
  asio::post(s.ioc, [&s] {
    beast::error_code ignored;
    s.acceptor.close(ignored);
    s.accept_retry.cancel();
  });
  const auto until = std::chrono::steady_clock::now() + grace;
  while (s.in_flight.load() > 0 && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  {
    std::lock_guard lock(s.sessions_mu);
    for (auto& weak : s.sessions) {
      if (auto session = weak.lock()) session->close();
    }
    s.sessions.clear();
  }
  // Let the closes run, then stop whatever is left.
  const auto close_until = std::chrono::steady_clock::now() + std::chrono::milliseconds(500);
  while (s.open.load() > 0 && std::chrono::steady_clock::now() < close_until && !s.threads.empty()) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  s.ioc.stop();
  for (auto& t : s.threads) t.join();
  s.threads.clear();
}

}  // namespace filmsearch::server
