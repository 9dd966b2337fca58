#include "readers/msg/olecf_storage.h"

#include <array>

namespace m2z::readers::msg {

namespace {

// A storage lists at most a few thousand children ([MS-OXMSG] caps rows at 2048 each); more can
// only come from damage, and listing them would cost time for nothing.
constexpr int kMaxChildren = 65536;

}  // namespace

std::string OleError::text() const {
  if (error_ == nullptr) return "libolecf reported no detail";
  std::array<char, 4096> buffer{};
  if (libolecf_error_backtrace_sprint(error_, buffer.data(), buffer.size()) <= 0 &&
      libolecf_error_sprint(error_, buffer.data(), buffer.size()) <= 0) {
    return "libolecf reported an error it could not describe";
  }
  std::string text(buffer.data());
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  for (auto& c : text) {
    if (c == '\n') c = ';';
  }
  return text;
}

Result<std::vector<std::string>> OleStorage::childNames() {
  OleError error;
  int count = 0;
  if (libolecf_item_get_number_of_sub_items(item_.get(), &count, error.out()) != 1) {
    return Error{"msg.storage", "cannot list the storage: " + error.text(), ""};
  }
  if (count < 0 || count > kMaxChildren) {
    return Error{"msg.storage", "the storage claims " + std::to_string(count) + " children", ""};
  }
  std::vector<std::string> names;
  for (int index = 0; index < count; ++index) {
    OleItem sub;
    if (libolecf_item_get_sub_item(item_.get(), index, sub.out(), error.out()) != 1 || !sub) {
      return Error{"msg.storage", "cannot open child " + std::to_string(index) + ": " + error.text(), ""};
    }
    std::size_t size = 0;
    if (libolecf_item_get_utf8_name_size(sub.get(), &size, error.out()) != 1 || size == 0 || size > 1024) {
      continue;  // a directory entry names at most 32 UTF-16 units; no usable name means no row of ours
    }
    std::string name(size, '\0');
    if (libolecf_item_get_utf8_name(sub.get(), reinterpret_cast<std::uint8_t*>(name.data()), size, error.out()) != 1) {
      continue;
    }
    name.resize(std::string_view(name.c_str()).size());
    names.push_back(std::move(name));
  }
  return names;
}

Result<OleItem> OleStorage::child(const std::string& name, std::uint8_t type) {
  OleError error;
  OleItem sub;
  const int found = libolecf_item_get_sub_item_by_utf8_name(
      item_.get(), reinterpret_cast<const std::uint8_t*>(name.data()), name.size(), sub.out(), error.out());
  if (found == -1) return Error{"msg.storage", "cannot look up \"" + name + "\": " + error.text(), name};
  if (found == 0 || !sub) return OleItem{};
  std::uint8_t actual = 0;
  if (libolecf_item_get_type(sub.get(), &actual, error.out()) != 1) {
    return Error{"msg.storage", "cannot read the type of \"" + name + "\": " + error.text(), name};
  }
  if (actual != type) return OleItem{};
  return sub;
}

Result<std::optional<std::vector<std::uint8_t>>> OleStorage::readStream(const std::string& name,
                                                                        std::size_t max_bytes) {
  auto stream = child(name, LIBOLECF_ITEM_TYPE_STREAM);
  if (!stream) return stream.error();
  if (!*stream) return std::optional<std::vector<std::uint8_t>>();
  OleError error;
  std::uint32_t size = 0;
  if (libolecf_item_get_size(stream->get(), &size, error.out()) != 1) {
    return Error{"msg.stream", "cannot size the stream: " + error.text(), name};
  }
  if (size > max_bytes) {
    return Error{"msg.stream", "the stream has " + std::to_string(size) + " bytes, more than the " +
                                   std::to_string(max_bytes) + " it may have",
                 name};
  }
  std::vector<std::uint8_t> data(size);
  if (size > 0) {
    const ssize_t read = libolecf_stream_read_buffer_at_offset(stream->get(), data.data(), data.size(), 0, error.out());
    if (read < 0 || static_cast<std::size_t>(read) != data.size()) {
      return Error{"msg.stream", "cannot read the stream: " + (read < 0 ? error.text() : "it ends early"), name};
    }
  }
  return std::optional<std::vector<std::uint8_t>>(std::move(data));
}

Result<std::unique_ptr<MsgStorage>> OleStorage::openStorage(const std::string& name) {
  auto storage = child(name, LIBOLECF_ITEM_TYPE_STORAGE);
  if (!storage) return storage.error();
  if (!*storage) return std::unique_ptr<MsgStorage>();
  return std::unique_ptr<MsgStorage>(std::make_unique<OleStorage>(std::move(*storage)));
}

}  // namespace m2z::readers::msg
