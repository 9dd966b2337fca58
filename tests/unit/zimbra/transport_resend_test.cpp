// CurlTransport sends each request once per post(): when a kept-alive connection dies after the
// request went out, curl would silently send it again on a new connection; ours reports the loss
// instead, so the client can check before resending and the audit sees it.
#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <set>
#include <string>
#include <thread>

#include "zimbra/transport.h"

namespace m2z::zimbra {
namespace {

// Serves one connection at a time; reads whole requests (Content-Length bodies) and answers
// each, except the requests whose number (1-based, over all connections) is in `drop`: those
// are read in full and then the connection is closed without a byte of answer.
class DroppingStub {
 public:
  explicit DroppingStub(std::set<int> drop) : drop_(std::move(drop)) {
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
  ~DroppingStub() {
    stop_ = true;
    thread_.join();
    ::close(listener_);
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/service/admin/soap"; }
  int requests() const { return requests_; }
  int connections() const { return connections_; }
  std::string firstHeaders() const { return first_headers_; }

 private:
  bool readable(int fd) const {
    pollfd p{fd, POLLIN, 0};
    return ::poll(&p, 1, 50) > 0;
  }

  void serve() {
    while (!stop_) {
      if (!readable(listener_)) continue;
      const int client = ::accept(listener_, nullptr, nullptr);
      if (client < 0) continue;
      ++connections_;
      std::string buffer;
      bool open = true;
      while (open && !stop_) {
        if (!readable(client)) continue;
        char chunk[4096];
        const ssize_t n = ::read(client, chunk, sizeof chunk);
        if (n <= 0) break;
        buffer.append(chunk, static_cast<std::size_t>(n));
        for (;;) {
          const auto header_end = buffer.find("\r\n\r\n");
          if (header_end == std::string::npos) break;
          std::size_t content_length = 0;
          const auto at = buffer.find("Content-Length: ");
          if (at != std::string::npos && at < header_end) content_length = std::stoul(buffer.substr(at + 16));
          if (buffer.size() < header_end + 4 + content_length) break;
          if (requests_ == 0) first_headers_ = buffer.substr(0, header_end);
          buffer.erase(0, header_end + 4 + content_length);
          const int number = ++requests_;
          if (drop_.count(number) != 0) {
            open = false;
            break;
          }
          const std::string reply = "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n<ok/>";
          (void)!::write(client, reply.data(), reply.size());
        }
      }
      ::close(client);
    }
  }

  std::set<int> drop_;
  int listener_ = -1;
  int port_ = 0;
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0};
  std::atomic<int> connections_{0};
  std::string first_headers_;
  std::thread thread_;
};

std::unique_ptr<CurlTransport> transport() {
  auto made = CurlTransport::create(TransportOptions{});
  EXPECT_TRUE(made.ok()) << made.error().describe();
  return made.ok() ? std::move(made).value() : nullptr;
}

TEST(CurlTransportResend, ALostRequestOnAKeptAliveConnectionIsReportedNotResent) {
  DroppingStub stub({2});
  auto t = transport();
  ASSERT_TRUE(t);
  auto first = t->post(stub.url(), "<first/>", {});
  ASSERT_TRUE(first.ok()) << first.error().describe();
  EXPECT_EQ(first->new_connections, 1);

  // Request 2 goes out on the kept-alive connection, which closes without an answer.
  auto lost = t->post(stub.url(), "<second/>", {});
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.error().code, "transport.io") << lost.error().describe();
  EXPECT_EQ(stub.requests(), 2);  // not a third time behind our back

  // The next post opens a new connection and goes through.
  auto third = t->post(stub.url(), "<third/>", {});
  ASSERT_TRUE(third.ok()) << third.error().describe();
  EXPECT_EQ(third->new_connections, 1);
  EXPECT_EQ(stub.requests(), 3);
  // (curl opens a connection for its own resend before it asks to rewind the body; refused, that
  // connection is closed without a byte sent, so the stub counts three connections, two used.)
}

TEST(CurlTransportResend, KeptAliveConnectionIsCountedOnce) {
  DroppingStub stub({});
  auto t = transport();
  ASSERT_TRUE(t);
  int opened = 0;
  for (int i = 0; i < 5; ++i) {
    auto response = t->post(stub.url(), "<r/>", {});
    ASSERT_TRUE(response.ok()) << response.error().describe();
    opened += response->new_connections;
  }
  EXPECT_EQ(opened, 1);
  EXPECT_EQ(stub.connections(), 1);
  // The body goes with its length (read through a callback, not chunked).
  EXPECT_NE(stub.firstHeaders().find("Content-Length: 4"), std::string::npos) << stub.firstHeaders();
  EXPECT_EQ(stub.firstHeaders().find("Transfer-Encoding"), std::string::npos);
}

}  // namespace
}  // namespace m2z::zimbra
