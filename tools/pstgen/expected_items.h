// The expected-items file written next to a generated PST: every item with the values a correct
// reader must produce, streamed item by item so that large runs need no memory per item.
#pragma once

#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "model/appointment.h"
#include "model/result.h"
#include "pstgen/calendar_items.h"

namespace m2z::pstgen {

// Bodies longer than this are described by length and prefix instead of spelled out.
inline constexpr std::size_t kMaxInlineBody = 16384;

nlohmann::json toJson(const model::Appointment& appointment);
nlohmann::json toJson(const model::TimeZoneDefinition& zone);

class ExpectedWriter {
 public:
  // `path` empty: a writer that discards everything (no --expected given).
  [[nodiscard]] static Result<std::unique_ptr<ExpectedWriter>> create(const std::string& path, nlohmann::json header);
  ~ExpectedWriter();
  ExpectedWriter(const ExpectedWriter&) = delete;
  ExpectedWriter& operator=(const ExpectedWriter&) = delete;

  [[nodiscard]] Status addFolder(const std::string& path, const std::string& container_class, std::uint32_t nid);
  [[nodiscard]] Status addAppointment(const AppointmentSpec& spec, const model::Appointment& expected);
  [[nodiscard]] Status addItem(const std::string& kind, nlohmann::json item);
  // Writes the counts and closes the file.
  [[nodiscard]] Status finish(nlohmann::json summary);

 private:
  ExpectedWriter(std::string path, std::FILE* file);
  Status write(const std::string& text);

  std::string path_;
  std::FILE* file_ = nullptr;
  bool first_item_ = true;
  nlohmann::json folders_ = nlohmann::json::array();
  std::map<std::string, std::uint64_t> counts_;
};

}  // namespace m2z::pstgen
