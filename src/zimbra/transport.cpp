#include "zimbra/transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <system_error>

namespace m2z::zimbra {

namespace {

struct EasyDeleter {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
using EasyHandle = std::unique_ptr<CURL, EasyDeleter>;

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

std::once_flag g_global_init_once;
CURLcode g_global_init_result = CURLE_OK;

// What the write callback appends to; `overflow` marks a response beyond the limit.
struct Sink {
  std::string* body = nullptr;
  std::size_t limit = 0;
  bool overflow = false;
};

// A C callback: nothing may be thrown out of it. Returning less than given aborts the transfer.
size_t writeToSink(char* data, size_t size, size_t count, void* user) {
  auto* sink = static_cast<Sink*>(user);
  const std::size_t bytes = size * count;
  try {
    if (sink->body->size() + bytes > sink->limit) {
      sink->overflow = true;
      return 0;
    }
    sink->body->append(data, bytes);
    return bytes;
  } catch (...) {
    sink->overflow = true;
    return 0;
  }
}

// The request body, handed to curl piece by piece.
struct Source {
  std::string_view body;
  std::size_t offset = 0;
};

// A C callback: nothing may be thrown out of it (nothing here can throw).
size_t readFromSource(char* buffer, size_t size, size_t count, void* user) {
  auto* source = static_cast<Source*>(user);
  const std::size_t n = std::min(size * count, source->body.size() - source->offset);
  std::memcpy(buffer, source->body.data() + source->offset, n);
  source->offset += n;
  return n;
}

// curl rewinds the body only to send it again by itself: after a reused connection dies without
// an answer it resends the request on a new one (up to 5 times), unseen by us. For a SOAP write
// that may already have been carried out, that resend is not curl's call to make: refusing the
// rewind makes the loss an error (CURLE_SEND_FAIL_REWIND) the client sees, audits and handles.
int refuseRewind(void* user, curl_off_t offset, int origin) {
  const auto* source = static_cast<const Source*>(user);
  if (origin == SEEK_SET && offset == 0 && source->offset == 0) return CURL_SEEKFUNC_OK;
  return CURL_SEEKFUNC_FAIL;
}

std::string errorCodeFor(CURLcode code) {
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT: return "transport.timeout";
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY: return "transport.resolve";
    case CURLE_COULDNT_CONNECT: return "transport.connect";
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS: return "transport.tls";
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT: return "transport.url";
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SEND_FAIL_REWIND: return "transport.io";
    default: return "transport.failed";
  }
}

}  // namespace

struct CurlTransport::Impl {
  TransportOptions options;
  EasyHandle handle;
  char error_buffer[CURL_ERROR_SIZE] = {};
};

CurlTransport::CurlTransport(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

CurlTransport::~CurlTransport() = default;

Result<std::unique_ptr<CurlTransport>> CurlTransport::create(TransportOptions options) {
  std::call_once(g_global_init_once, [] { g_global_init_result = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (g_global_init_result != CURLE_OK) {
    return Error{"transport.init", std::string("curl could not be initialised: ") + curl_easy_strerror(g_global_init_result), ""};
  }
  if (!options.ca_file.empty()) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(options.ca_file, ec)) {
      return Error{"transport.tls", "the CA file to verify the server against does not exist or is not a file",
                   options.ca_file};
    }
  }
  if (options.timeout_seconds <= 0 || options.connect_timeout_seconds <= 0) {
    return Error{"transport.config", "timeouts must be positive", ""};
  }

  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->handle.reset(curl_easy_init());
  if (!impl->handle) return Error{"transport.init", "curl_easy_init failed", ""};
  CURL* handle = impl->handle.get();
  const TransportOptions& o = impl->options;

  CURLcode rc = CURLE_OK;
  const auto set = [&rc](CURLcode result) {
    if (rc == CURLE_OK) rc = result;
  };
  // Never verbose: curl's trace would print the auth token and the admin password.
  set(curl_easy_setopt(handle, CURLOPT_VERBOSE, 0L));
  set(curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L));
  set(curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, impl->error_buffer));
  set(curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https"));
  set(curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L));
  set(curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT, static_cast<long>(std::min(o.connect_timeout_seconds, o.timeout_seconds))));
  set(curl_easy_setopt(handle, CURLOPT_TIMEOUT, static_cast<long>(o.timeout_seconds)));
  set(curl_easy_setopt(handle, CURLOPT_USERAGENT, o.user_agent.c_str()));
  set(curl_easy_setopt(handle, CURLOPT_ACCEPT_ENCODING, ""));
  set(curl_easy_setopt(handle, CURLOPT_TCP_KEEPALIVE, 1L));
  set(curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, writeToSink));
  set(curl_easy_setopt(handle, CURLOPT_READFUNCTION, readFromSource));
  set(curl_easy_setopt(handle, CURLOPT_SEEKFUNCTION, refuseRewind));
  if (o.insecure_skip_tls_verify) {
    std::fputs(
        "WARNING: mapi2zimbra: TLS certificate verification is DISABLED (insecure_skip_tls_verify).\n"
        "WARNING: the Zimbra server's identity is not checked; anyone on the network path can read\n"
        "WARNING: the admin credentials and every item sent. Use a CA file (ca_file) instead.\n",
        stderr);
    set(curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 0L));
    set(curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 0L));
  } else {
    set(curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L));
    set(curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L));
    if (!o.ca_file.empty()) set(curl_easy_setopt(handle, CURLOPT_CAINFO, o.ca_file.c_str()));
  }
  if (rc != CURLE_OK) {
    return Error{"transport.init", std::string("curl rejected an option: ") + curl_easy_strerror(rc), ""};
  }
  return std::unique_ptr<CurlTransport>(new CurlTransport(std::move(impl)));
}

Result<HttpResponse> CurlTransport::post(const std::string& url, std::string_view body,
                                         const std::vector<HttpHeader>& headers) {
  CURL* handle = impl_->handle.get();
  impl_->error_buffer[0] = '\0';

  Slist header_list;
  for (const HttpHeader& header : headers) {
    const std::string line = header.name + ": " + header.value;
    curl_slist* extended = curl_slist_append(header_list.get(), line.c_str());
    if (extended == nullptr) return Error{"transport.failed", "out of memory building request headers", url};
    (void)header_list.release();
    header_list.reset(extended);
  }
  // No "Expect: 100-continue" round trip before larger bodies.
  if (curl_slist* extended = curl_slist_append(header_list.get(), "Expect:")) {
    (void)header_list.release();
    header_list.reset(extended);
  }

  HttpResponse response;
  Sink sink{&response.body, impl_->options.max_response_bytes, false};
  Source source{body, 0};
  CURLcode rc = CURLE_OK;
  const auto set = [&rc](CURLcode result) {
    if (rc == CURLE_OK) rc = result;
  };
  set(curl_easy_setopt(handle, CURLOPT_URL, url.c_str()));
  set(curl_easy_setopt(handle, CURLOPT_POST, 1L));
  // The body comes through readFromSource (not POSTFIELDS, which curl could rewind by itself);
  // the size makes it a Content-Length request rather than a chunked one.
  set(curl_easy_setopt(handle, CURLOPT_POSTFIELDS, nullptr));
  set(curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size())));
  set(curl_easy_setopt(handle, CURLOPT_READDATA, &source));
  set(curl_easy_setopt(handle, CURLOPT_SEEKDATA, &source));
  set(curl_easy_setopt(handle, CURLOPT_HTTPHEADER, header_list.get()));
  set(curl_easy_setopt(handle, CURLOPT_WRITEDATA, &sink));
  if (rc != CURLE_OK) {
    return Error{errorCodeFor(rc), std::string("could not prepare the request: ") + curl_easy_strerror(rc), url};
  }

  const auto started = std::chrono::steady_clock::now();
  rc = curl_easy_perform(handle);
  response.duration =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  // The header list dies with this call; the handle must not keep pointing at it.
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(handle, CURLOPT_READDATA, nullptr);
  curl_easy_setopt(handle, CURLOPT_SEEKDATA, nullptr);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, nullptr);

  if (sink.overflow) {
    return Error{"transport.too_large",
                 "the response exceeded " + std::to_string(impl_->options.max_response_bytes) + " bytes", url};
  }
  if (rc != CURLE_OK) {
    std::string message = curl_easy_strerror(rc);
    if (impl_->error_buffer[0] != '\0') message += std::string(": ") + impl_->error_buffer;
    return Error{errorCodeFor(rc), message, url};
  }
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  response.status = static_cast<int>(status);
  long connects = 0;
  curl_easy_getinfo(handle, CURLINFO_NUM_CONNECTS, &connects);
  response.new_connections = static_cast<int>(connects);
  return response;
}

}  // namespace m2z::zimbra
