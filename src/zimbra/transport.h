// HTTP POST for SOAP: the Transport interface and its curl implementation, the only code that
// includes curl.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "model/result.h"

namespace m2z::zimbra {

struct HttpHeader {
  std::string name;
  std::string value;
};

struct HttpResponse {
  int status = 0;
  std::string body;
  std::chrono::milliseconds duration{0};
  // New connections opened for this exchange: 0 when keep-alive reused one.
  int new_connections = 0;
};

// Sends one request and returns whatever came back, whatever the HTTP status: interpreting it is
// the caller's business. Errors (code "transport.*") mean no usable response arrived.
class Transport {
 public:
  virtual ~Transport() = default;
  [[nodiscard]] virtual Result<HttpResponse> post(const std::string& url, std::string_view body,
                                                  const std::vector<HttpHeader>& headers) = 0;
};

struct TransportOptions {
  std::string ca_file;  // PEM bundle to verify the server against; empty: the system store
  // Turns off certificate and host name checks. Every transport made with it says so on stderr.
  bool insecure_skip_tls_verify = false;
  int connect_timeout_seconds = 15;
  int timeout_seconds = 60;  // whole exchange
  std::size_t max_response_bytes = std::size_t{64} * 1024 * 1024;
  std::string user_agent = "mapi2zimbra";
};

// One curl easy handle, reused for every post so that HTTP keep-alive and TLS sessions carry
// over. Not thread-safe: one transport per thread.
// A request is sent once per post(): curl's own silent resend of a request whose reused
// connection died is refused (its body cannot be rewound), so such a loss comes back as
// "transport.io" and the caller, which knows whether a resend is safe, decides and audits it.
class CurlTransport final : public Transport {
 public:
  [[nodiscard]] static Result<std::unique_ptr<CurlTransport>> create(TransportOptions options);
  ~CurlTransport() override;
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  [[nodiscard]] Result<HttpResponse> post(const std::string& url, std::string_view body,
                                          const std::vector<HttpHeader>& headers) override;

 private:
  struct Impl;
  explicit CurlTransport(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace m2z::zimbra
