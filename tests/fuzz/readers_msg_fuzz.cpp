// Writes the fuzz input to a file and reads it with the .msg reader: any file gives a summary or
// an Error, never a crash, a hang or unbounded memory. libolecf opens files by path, so the input
// goes through a scratch file.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include <unistd.h>

#include "model/item_sink.h"
#include "readers/msg/msg_reader.h"

namespace {

struct NullSink : m2z::model::ItemSink {
  void onFolder(const m2z::model::SourceFolder&) override {}
  void onAppointment(m2z::model::Appointment) override {}
  void onFinding(m2z::model::Finding) override {}
};

std::string scratchFile() {
  const char* dir = std::getenv("TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/m2z_fuzz_msg_" + std::to_string(getpid()) + ".msg";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = scratchFile();
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return 0;
  const bool written = size == 0 || std::fwrite(data, 1, size, file) == size;
  std::fclose(file);
  if (written) {
    NullSink sink;
    (void)m2z::readers::msg::readMsgFile(path, sink);
  }
  std::remove(path.c_str());
  return 0;
}
