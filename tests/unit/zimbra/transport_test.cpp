// CurlTransport against a tiny local HTTP server: keep-alive reuse, limits, timeouts, errors.
// (TLS verification against a real certificate is covered by the e2e test.)
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>

#include "zimbra/transport.h"

namespace m2z::zimbra {
namespace {

// Answers every request on every connection with `reply` (unless `silent`), keeping
// connections open, and records what it saw.
class HttpStub {
 public:
  explicit HttpStub(std::string reply, bool silent = false) : reply_(std::move(reply)), silent_(silent) {
    listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
    ::listen(listener_, 8);
    socklen_t length = sizeof address;
    ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
    port_ = ntohs(address.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~HttpStub() {
    stop_ = true;
    thread_.join();
    ::close(listener_);
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/service/admin/soap"; }
  int connections() const { return connections_; }
  int requests() const { return requests_; }
  std::string lastRequest() {
    std::lock_guard<std::mutex> lock(mutex_);
    return last_request_;
  }

 private:
  void serve() {
    std::vector<int> clients;
    std::vector<std::string> buffers;
    while (!stop_) {
      std::vector<pollfd> fds{{listener_, POLLIN, 0}};
      for (int client : clients) fds.push_back({client, POLLIN, 0});
      if (::poll(fds.data(), fds.size(), 50) <= 0) continue;
      if (fds[0].revents & POLLIN) {
        clients.push_back(::accept(listener_, nullptr, nullptr));
        buffers.emplace_back();
        ++connections_;
      }
      for (std::size_t i = 1; i < fds.size(); ++i) {
        if (!(fds[i].revents & (POLLIN | POLLHUP))) continue;
        char chunk[4096];
        const ssize_t n = ::read(fds[i].fd, chunk, sizeof chunk);
        if (n <= 0) continue;
        std::string& buffer = buffers[i - 1];
        buffer.append(chunk, static_cast<std::size_t>(n));
        const auto header_end = buffer.find("\r\n\r\n");
        if (header_end == std::string::npos) continue;
        std::size_t content_length = 0;
        const auto at = buffer.find("Content-Length: ");
        if (at != std::string::npos && at < header_end) content_length = std::stoul(buffer.substr(at + 16));
        if (buffer.size() < header_end + 4 + content_length) continue;
        {
          std::lock_guard<std::mutex> lock(mutex_);
          last_request_ = buffer.substr(0, header_end + 4 + content_length);
        }
        buffer.erase(0, header_end + 4 + content_length);
        ++requests_;
        if (!silent_) (void)!::write(fds[i].fd, reply_.data(), reply_.size());
      }
    }
    for (int client : clients) ::close(client);
  }

  std::string reply_;
  bool silent_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::atomic<int> requests_{0};
  std::mutex mutex_;
  std::string last_request_;
  std::thread thread_;
};

std::string reply(int status, const std::string& body) {
  return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/soap+xml\r\nContent-Length: " +
         std::to_string(body.size()) + "\r\n\r\n" + body;
}

std::unique_ptr<CurlTransport> transport(TransportOptions options = {}) {
  auto made = CurlTransport::create(std::move(options));
  EXPECT_TRUE(made.ok()) << made.error().describe();
  return made.ok() ? std::move(made).value() : nullptr;
}

TEST(CurlTransport, PostsAndReusesOneConnection) {
  HttpStub stub(reply(200, "<ok/>"));
  auto t = transport();
  ASSERT_TRUE(t);
  for (int i = 0; i < 3; ++i) {
    auto response = t->post(stub.url(), "<req n=\"" + std::to_string(i) + "\"/>",
                            {{"Content-Type", "application/soap+xml; charset=utf-8"}});
    ASSERT_TRUE(response.ok()) << response.error().describe();
    EXPECT_EQ(response->status, 200);
    EXPECT_EQ(response->body, "<ok/>");
  }
  EXPECT_EQ(stub.requests(), 3);
  EXPECT_EQ(stub.connections(), 1);  // keep-alive: one handle, one connection
  const std::string last = stub.lastRequest();
  EXPECT_EQ(last.rfind("POST /service/admin/soap HTTP/1.1\r\n", 0), 0u) << last;
  EXPECT_NE(last.find("Content-Type: application/soap+xml; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(last.find("User-Agent: mapi2zimbra\r\n"), std::string::npos);
  EXPECT_EQ(last.find("Expect:"), std::string::npos);
  EXPECT_NE(last.find("\r\n\r\n<req n=\"2\"/>"), std::string::npos);
}

TEST(CurlTransport, NonSuccessStatusIsAResponseNotAnError) {
  HttpStub stub(reply(500, "<fault/>"));
  auto t = transport();
  auto response = t->post(stub.url(), "<x/>", {});
  ASSERT_TRUE(response.ok());
  EXPECT_EQ(response->status, 500);
  EXPECT_EQ(response->body, "<fault/>");
}

TEST(CurlTransport, ResponseSizeIsBounded) {
  HttpStub stub(reply(200, std::string(5000, 'x')));
  TransportOptions options;
  options.max_response_bytes = 1000;
  auto t = transport(options);
  auto response = t->post(stub.url(), "<x/>", {});
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, "transport.too_large");
}

TEST(CurlTransport, TimesOut) {
  HttpStub stub("", /*silent=*/true);
  TransportOptions options;
  options.timeout_seconds = 1;
  auto t = transport(options);
  const auto started = std::chrono::steady_clock::now();
  auto response = t->post(stub.url(), "<x/>", {});
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, "transport.timeout");
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

TEST(CurlTransport, ConnectionRefused) {
  int port = 0;
  {
    HttpStub closed_soon("");
    port = std::stoi(closed_soon.url().substr(17, 5));
  }
  auto t = transport();
  auto response = t->post("http://127.0.0.1:" + std::to_string(port) + "/", "<x/>", {});
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, "transport.connect");
  EXPECT_NE(response.error().context.find("127.0.0.1"), std::string::npos);
}

TEST(CurlTransport, OnlyHttpAndHttps) {
  auto t = transport();
  auto response = t->post("file:///etc/passwd", "<x/>", {});
  ASSERT_FALSE(response.ok());
  EXPECT_EQ(response.error().code, "transport.url");
}

TEST(CurlTransport, MissingCaFileIsAConfigurationError) {
  TransportOptions options;
  options.ca_file = "/nonexistent/ca.pem";
  auto made = CurlTransport::create(options);
  ASSERT_FALSE(made.ok());
  EXPECT_EQ(made.error().code, "transport.tls");
}

TEST(CurlTransport, InsecureModeWarnsEveryTime) {
  TransportOptions options;
  options.insecure_skip_tls_verify = true;
  ::testing::internal::CaptureStderr();
  auto first = CurlTransport::create(options);
  auto second = CurlTransport::create(options);
  const std::string warnings = ::testing::internal::GetCapturedStderr();
  ASSERT_TRUE(first.ok() && second.ok());
  std::size_t count = 0;
  for (auto at = warnings.find("verification is DISABLED"); at != std::string::npos;
       at = warnings.find("verification is DISABLED", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 2u) << warnings;

  ::testing::internal::CaptureStderr();
  auto verified = CurlTransport::create(TransportOptions{});
  EXPECT_TRUE(::testing::internal::GetCapturedStderr().empty());
}

}  // namespace
}  // namespace m2z::zimbra
