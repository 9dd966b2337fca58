#include "report/smtp.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>
#include <ctime>
#include <memory>

namespace m2z::report {

namespace {

constexpr std::string_view kBoundary = "m2z-report-part-boundary";

struct EasyFree {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct ListFree {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

std::string base64(std::string_view bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < bytes.size(); i += 3) {
    const auto n = (static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16) |
                   (static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8) |
                   static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 2]));
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < bytes.size()) {
    auto n = static_cast<unsigned>(static_cast<unsigned char>(bytes[i])) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<unsigned>(static_cast<unsigned char>(bytes[i + 1])) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

// Base64 in lines of 76 (RFC 2045).
std::string base64Lines(std::string_view bytes) {
  const std::string encoded = base64(bytes);
  std::string out;
  for (std::size_t i = 0; i < encoded.size(); i += 76) {
    out += encoded.substr(i, 76);
    out += "\r\n";
  }
  return out;
}

bool isAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Header text cannot carry line breaks: they would start new headers.
std::string oneLine(std::string_view text) {
  std::string out(text);
  std::replace_if(out.begin(), out.end(), [](char c) { return c == '\r' || c == '\n'; }, ' ');
  return out;
}

bool isPlainAddress(std::string_view address) {
  return !address.empty() && address.find_first_of("\r\n<>,\" ") == std::string_view::npos &&
         address.find('@') != std::string_view::npos;
}

std::string nowRfc5322() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[64];
  std::strftime(buffer, sizeof buffer, "%a, %d %b %Y %H:%M:%S +0000", &utc);
  return buffer;
}

struct Payload {
  std::string_view rest;
};

// libcurl pulls the message through this; it must not throw (a C callback).
size_t readPayload(char* buffer, size_t size, size_t count, void* user) noexcept {
  auto* payload = static_cast<Payload*>(user);
  const std::size_t take = std::min(size * count, payload->rest.size());
  std::memcpy(buffer, payload->rest.data(), take);
  payload->rest.remove_prefix(take);
  return take;
}

}  // namespace

std::string composeMail(const SmtpSettings& settings, const MailMessage& message, std::string_view date) {
  std::string to;
  for (const auto& address : settings.mail_to) {
    if (!to.empty()) to += ", ";
    to += oneLine(address);
  }
  const std::string subject = oneLine(message.subject);
  std::string out = "Date: " + oneLine(date) + "\r\nFrom: " + oneLine(settings.mail_from) + "\r\nTo: " + to +
                    "\r\nSubject: " + (isAscii(subject) ? subject : "=?UTF-8?B?" + base64(subject) + "?=") +
                    "\r\nMIME-Version: 1.0\r\n";
  if (message.html.empty()) {
    out += "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n" + base64Lines(message.text);
    return out;
  }
  out += "Content-Type: multipart/alternative; boundary=\"" + std::string(kBoundary) + "\"\r\n\r\n";
  out += "--" + std::string(kBoundary) + "\r\nContent-Type: text/plain; charset=utf-8\r\n"
         "Content-Transfer-Encoding: base64\r\n\r\n" + base64Lines(message.text);
  out += "--" + std::string(kBoundary) + "\r\nContent-Type: text/html; charset=utf-8\r\n"
         "Content-Transfer-Encoding: base64\r\n\r\n" + base64Lines(message.html);
  out += "--" + std::string(kBoundary) + "--\r\n";
  return out;
}

Status sendMail(const SmtpSettings& settings, const MailMessage& message) {
  const std::string& relay = settings.url;
  if (relay.rfind("smtp://", 0) != 0 && relay.rfind("smtps://", 0) != 0) {
    return Error{"report.smtp", "the relay must be smtp://host:port or smtps://host:port", relay};
  }
  if (!isPlainAddress(settings.mail_from)) {
    return Error{"report.smtp", "--mail-from \"" + oneLine(settings.mail_from) + "\" is not a plain address", relay};
  }
  if (settings.mail_to.empty()) return Error{"report.smtp", "no recipient", relay};
  for (const auto& address : settings.mail_to) {
    if (!isPlainAddress(address)) return Error{"report.smtp", "\"" + oneLine(address) + "\" is not a plain address", relay};
  }
  const std::string text = composeMail(settings, message, nowRfc5322());
  std::unique_ptr<CURL, EasyFree> curl(curl_easy_init());
  if (!curl) return Error{"report.smtp", "could not start libcurl", relay};
  std::unique_ptr<curl_slist, ListFree> recipients;
  for (const auto& address : settings.mail_to) {
    curl_slist* grown = curl_slist_append(recipients.get(), ("<" + address + ">").c_str());
    if (grown == nullptr) return Error{"report.smtp", "out of memory", relay};
    static_cast<void>(recipients.release());
    recipients.reset(grown);
  }
  const std::string from = "<" + settings.mail_from + ">";
  Payload payload{text};
  char error_buffer[CURL_ERROR_SIZE] = {};
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, relay.c_str());
  curl_easy_setopt(handle, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(handle, CURLOPT_READFUNCTION, &readPayload);
  curl_easy_setopt(handle, CURLOPT_READDATA, &payload);
  curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(handle, CURLOPT_TIMEOUT, settings.timeout_seconds);
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  // Certificates are verified (libcurl's default, stated so nobody turns it off by accident).
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(handle, CURLOPT_SSL_VERIFYHOST, 2L);
  curl_easy_setopt(handle, CURLOPT_USE_SSL, settings.require_tls ? static_cast<long>(CURLUSESSL_ALL)
                                                                 : static_cast<long>(CURLUSESSL_TRY));
  const CURLcode code = curl_easy_perform(handle);
  if (code != CURLE_OK) {
    const std::string detail = error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(code);
    return Error{"report.smtp", "could not send the report: " + detail, relay};
  }
  return {};
}

}  // namespace m2z::report
