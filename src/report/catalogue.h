// The user report's words in one language, from the embedded message catalogue (messages/*.json).
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "model/result.h"

namespace m2z::report {

enum class Language { kEnglish, kGerman };

// "en" / "de"; nullopt-like error for anything else.
[[nodiscard]] Result<Language> parseLanguage(std::string_view code);

class Catalogue {
 public:
  [[nodiscard]] static Result<Catalogue> load(Language language);
  // Parses catalogue JSON text (flat keys, plus "reason" and "change" objects keyed by flag).
  [[nodiscard]] static Result<Catalogue> parse(std::string_view json_text, std::string_view what);

  // The message for `key` with each "{name}" replaced; the key itself when the catalogue lacks
  // it, so a missing translation shows rather than hides the item.
  std::string text(std::string_view key, const std::map<std::string, std::string>& values = {}) const;
  bool has(std::string_view key) const { return messages_.count(std::string(key)) != 0; }
  const std::string& languageCode() const { return language_code_; }

 private:
  std::map<std::string, std::string> messages_;  // "reason.fault" for nested keys
  std::string language_code_;
};

}  // namespace m2z::report
