#include "state/location.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "state/state_store.h"

namespace m2z::state {
namespace detail {
namespace {

constexpr std::string_view kSqlitePrefix = "sqlite:";
constexpr std::string_view kMask = "***";

bool isPostgresUrl(std::string_view location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

// A span of the URL: [begin, end).
struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
  bool empty() const { return begin >= end; }
};

// The password of the user info ("user:password@host"). libpq takes the user info up to the
// last '@' before the path or query.
Span userInfoPassword(std::string_view url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  const std::size_t authority = scheme_end + 3;
  std::size_t authority_end = url.find_first_of("/?", authority);
  if (authority_end == std::string_view::npos) authority_end = url.size();
  const std::string_view authority_text = url.substr(authority, authority_end - authority);
  const std::size_t at = authority_text.rfind('@');
  if (at == std::string_view::npos) return {};
  const std::size_t colon = authority_text.substr(0, at).find(':');
  if (colon == std::string_view::npos) return {};
  return Span{authority + colon + 1, authority + at};
}

// The values of every password= query parameter.
std::vector<Span> queryPasswords(std::string_view url) {
  std::vector<Span> spans;
  const std::size_t query = url.find('?');
  if (query == std::string_view::npos) return spans;
  std::size_t start = query + 1;
  while (start <= url.size()) {
    std::size_t end = url.find('&', start);
    if (end == std::string_view::npos) end = url.size();
    const std::string_view parameter = url.substr(start, end - start);
    const std::size_t equals = parameter.find('=');
    if (equals != std::string_view::npos && parameter.substr(0, equals) == "password") {
      spans.push_back(Span{start + equals + 1, end});
    }
    start = end + 1;
  }
  return spans;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percentDecoded(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      const int high = hexValue(text[i + 1]);
      const int low = hexValue(text[i + 2]);
      if (high >= 0 && low >= 0) {
        out += static_cast<char>(high * 16 + low);
        i += 2;
        continue;
      }
    }
    out += text[i];
  }
  return out;
}

std::vector<Span> passwordSpans(std::string_view url) {
  std::vector<Span> spans = queryPasswords(url);
  if (Span user = userInfoPassword(url); !user.empty()) spans.push_back(user);
  std::sort(spans.begin(), spans.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  return spans;
}

}  // namespace

Result<Location> parseLocation(const std::string& location) {
  if (location.empty()) return Error{"state.location", "no state store location given", ""};
  if (isPostgresUrl(location)) {
    return Location{Backend::kPostgres, location, redactLocation(location)};
  }
  if (location.starts_with(kSqlitePrefix)) {
    std::string path = location.substr(kSqlitePrefix.size());
    if (path.empty()) return Error{"state.location", "sqlite: needs a file path", location};
    return Location{Backend::kSqlite, path, path};
  }
  const std::size_t scheme = location.find("://");
  if (scheme != std::string::npos && location.find('/') > scheme) {
    return Error{"state.location",
                 "unsupported state store location (use a file path, sqlite:PATH or postgresql://...)",
                 redactLocation(location)};
  }
  return Location{Backend::kSqlite, location, location};
}

std::vector<std::string> passwordsIn(std::string_view url) {
  std::vector<std::string> secrets;
  for (const Span& span : passwordSpans(url)) {
    if (span.empty()) continue;
    const std::string_view raw = url.substr(span.begin, span.end - span.begin);
    secrets.emplace_back(raw);
    std::string decoded = percentDecoded(raw);
    if (!decoded.empty() && decoded != raw) secrets.push_back(std::move(decoded));
  }
  return secrets;
}

std::string scrubSecrets(std::string text, std::vector<std::string> secrets) {
  std::sort(secrets.begin(), secrets.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  for (const std::string& secret : secrets) {
    if (secret.empty()) continue;
    for (std::size_t at = text.find(secret); at != std::string::npos; at = text.find(secret, at + kMask.size())) {
      text.replace(at, secret.size(), kMask);
    }
  }
  return text;
}

}  // namespace detail

std::string redactLocation(std::string_view location) {
  // Only URLs carry passwords; a file path is shown as it is.
  if (location.find("://") == std::string_view::npos) return std::string(location);
  std::string out;
  std::size_t copied = 0;
  for (const detail::Span& span : detail::passwordSpans(location)) {
    if (span.begin < copied) continue;
    out.append(location.substr(copied, span.begin - copied));
    out.append(detail::kMask);
    copied = span.end;
  }
  out.append(location.substr(copied));
  return out;
}

}  // namespace m2z::state
