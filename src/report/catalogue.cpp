#include "report/catalogue.h"

#include <nlohmann/json.hpp>

#include "report/messages_embedded.h"

namespace m2z::report {

Result<Language> parseLanguage(std::string_view code) {
  if (code == "en") return Language::kEnglish;
  if (code == "de") return Language::kGerman;
  return Error{"report.language", "unknown report language \"" + std::string(code) + "\" (en or de)", ""};
}

Result<Catalogue> Catalogue::load(Language language) {
  return language == Language::kGerman ? parse(detail::kMessagesDe, "messages/de.json")
                                       : parse(detail::kMessagesEn, "messages/en.json");
}

Result<Catalogue> Catalogue::parse(std::string_view json_text, std::string_view what) {
  const nlohmann::json root = nlohmann::json::parse(json_text, nullptr, false);
  if (root.is_discarded() || !root.is_object()) {
    return Error{"report.catalogue", "the message catalogue is not a JSON object", std::string(what)};
  }
  Catalogue catalogue;
  for (const auto& [key, value] : root.items()) {
    if (value.is_string()) {
      catalogue.messages_[key] = value.get<std::string>();
    } else if (value.is_object()) {
      for (const auto& [inner, text] : value.items()) {
        if (!text.is_string()) return Error{"report.catalogue", "\"" + key + "." + inner + "\" is not text", std::string(what)};
        catalogue.messages_[key + "." + inner] = text.get<std::string>();
      }
    } else {
      return Error{"report.catalogue", "\"" + key + "\" is neither text nor an object", std::string(what)};
    }
  }
  catalogue.language_code_ = catalogue.text("language");
  return catalogue;
}

std::string Catalogue::text(std::string_view key, const std::map<std::string, std::string>& values) const {
  const auto found = messages_.find(std::string(key));
  if (found == messages_.end()) return std::string(key);
  std::string out;
  const std::string& pattern = found->second;
  std::size_t pos = 0;
  while (pos < pattern.size()) {
    const std::size_t open = pattern.find('{', pos);
    const std::size_t close = open == std::string::npos ? std::string::npos : pattern.find('}', open);
    if (close == std::string::npos) {
      out.append(pattern, pos, std::string::npos);
      break;
    }
    out.append(pattern, pos, open - pos);
    const auto value = values.find(pattern.substr(open + 1, close - open - 1));
    if (value != values.end()) {
      out += value->second;
    } else {
      out.append(pattern, open, close + 1 - open);
    }
    pos = close + 1;
  }
  return out;
}

}  // namespace m2z::report
