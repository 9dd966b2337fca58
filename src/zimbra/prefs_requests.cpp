#include "zimbra/prefs_requests.h"

#include <chrono>
#include <cstdio>

namespace m2z::zimbra {

namespace {

model::Finding oofFinding(const model::OofSettings& oof, std::string kind, model::Severity severity, std::string field,
                          std::string why) {
  model::Finding f;
  f.kind = std::move(kind);
  f.severity = severity;
  f.item = oof.provenance;
  f.field = std::move(field);
  f.why = std::move(why);
  return f;
}

}  // namespace

std::vector<std::string> oofPrefNames() {
  return {std::string(kPrefOofEnabled),          std::string(kPrefOofReply),
          std::string(kPrefOofExternalReply),    std::string(kPrefOofExternalEnabled),
          std::string(kPrefOofSuppressExternal), std::string(kPrefExternalSendersType),
          std::string(kPrefOofFromDate),         std::string(kPrefOofUntilDate)};
}

std::string generalizedTime(model::Instant instant) {
  const std::chrono::sys_seconds at{std::chrono::seconds{instant.unix_seconds}};
  const std::chrono::sys_days day = std::chrono::floor<std::chrono::days>(at);
  const std::chrono::year_month_day date{day};
  const std::chrono::hh_mm_ss time{at - day};
  char text[64];  // room for any value of the fields, so the release build proves no truncation
  std::snprintf(text, sizeof text, "%04d%02u%02u%02lld%02lld%02lldZ", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                static_cast<long long>(time.hours().count()), static_cast<long long>(time.minutes().count()),
                static_cast<long long>(time.seconds().count()));
  return text;
}

OofPrefs oofPrefs(const model::OofSettings& oof) {
  using Severity = model::Severity;
  OofPrefs out;
  const auto set = [&](std::string_view name, std::string value) { out.prefs.emplace_back(std::string(name), std::move(value)); };
  if (oof.enabled) set(kPrefOofEnabled, *oof.enabled ? "TRUE" : "FALSE");
  if (oof.internal_reply) set(kPrefOofReply, *oof.internal_reply);
  if (oof.external_reply) set(kPrefOofExternalReply, *oof.external_reply);
  switch (oof.external_audience) {
    case model::OofExternalAudience::kNone:
      set(kPrefOofExternalEnabled, "FALSE");
      set(kPrefOofSuppressExternal, "TRUE");
      break;
    case model::OofExternalAudience::kKnownSenders:
      set(kPrefOofExternalEnabled, "TRUE");
      set(kPrefExternalSendersType, "INAB");
      out.findings.push_back(oofFinding(oof, "oof.known_senders", Severity::kInfo, "external_audience",
                                        "\"known senders only\" becomes Zimbra's senders in the address book (INAB)"));
      break;
    case model::OofExternalAudience::kAll:
      set(kPrefOofExternalEnabled, "TRUE");
      set(kPrefExternalSendersType, "ALL");
      break;
    case model::OofExternalAudience::kUnknown:
      if (oof.external_reply) {
        out.findings.push_back(oofFinding(oof, "oof.external_audience_unknown", Severity::kInfo, "external_audience",
                                          "the source does not say who gets the external reply; its text is set "
                                          "but not switched on"));
      }
      break;
  }
  if (oof.start) set(kPrefOofFromDate, generalizedTime(*oof.start));
  if (oof.end) set(kPrefOofUntilDate, generalizedTime(*oof.end));
  if (oof.start && oof.end && *oof.end < *oof.start) {
    out.findings.push_back(oofFinding(oof, "oof.period_reversed", Severity::kWarning, "end",
                                      "the scheduled end is before the start; the period is left out"));
    out.prefs.pop_back();
    out.prefs.pop_back();
  }
  return out;
}

std::string buildGetPrefsRequest(const std::vector<std::string>& names) {
  xml::XmlWriter writer;
  writer.open("GetPrefsRequest", {{"xmlns", std::string(kAccountNamespace)}});
  for (const std::string& name : names) writer.empty("pref", {{"name", name}});
  writer.close();
  return writer.release();
}

Result<std::string> buildModifyPrefsRequest(const PrefList& prefs) {
  xml::XmlWriter writer;
  writer.open("ModifyPrefsRequest", {{"xmlns", std::string(kAccountNamespace)}});
  for (const auto& [name, value] : prefs) {
    if (name.rfind("zimbraPref", 0) != 0) {
      return Error{"request.invalid_pref", "ModifyPrefs only sets zimbraPref* attributes", name};
    }
    writer.textElement("pref", value, {{"name", name}});
  }
  writer.close();
  return writer.release();
}

Result<std::map<std::string, std::vector<std::string>>> readPrefs(const xml::Element& response) {
  if (response.name != "GetPrefsResponse") {
    return Error{"soap.unexpected", "expected a GetPrefsResponse", response.name};
  }
  std::map<std::string, std::vector<std::string>> out;
  for (const xml::Element* pref : response.childrenNamed("pref")) {
    const std::string* name = pref->attribute("name");
    if (name == nullptr) return Error{"soap.unexpected", "a <pref> without a name", "GetPrefsResponse"};
    out[*name].push_back(pref->text);
  }
  return out;
}

}  // namespace m2z::zimbra
