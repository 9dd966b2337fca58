// MsgStorage over libolecf: a .msg file's compound-file storages, with move-only owners for the
// libolecf handles. Private to readers/msg: the only header that includes libolecf.h.
#pragma once

#include <libolecf.h>

#include <memory>
#include <string>
#include <utility>

#include "model/result.h"
#include "readers/msg/msg_properties.h"

namespace m2z::readers::msg {

// A libolecf_error_t that frees itself; pass out() to a libolecf call, read text() after it failed.
class OleError {
 public:
  OleError() = default;
  OleError(const OleError&) = delete;
  OleError& operator=(const OleError&) = delete;
  ~OleError() { reset(); }

  libolecf_error_t** out() {
    reset();
    return &error_;
  }
  std::string text() const;  // libolecf's messages, innermost last, on one line

 private:
  void reset() {
    if (error_ != nullptr) libolecf_error_free(&error_);
  }
  libolecf_error_t* error_ = nullptr;
};

template <class T, int (*Free)(T**, libolecf_error_t**)>
class OleHandle {
 public:
  OleHandle() = default;
  OleHandle(const OleHandle&) = delete;
  OleHandle& operator=(const OleHandle&) = delete;
  OleHandle(OleHandle&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  OleHandle& operator=(OleHandle&& other) noexcept {
    if (this != &other) {
      reset();
      handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
  }
  ~OleHandle() { reset(); }

  T* get() const { return handle_; }
  T** out() {
    reset();
    return &handle_;
  }
  explicit operator bool() const { return handle_ != nullptr; }
  void reset() {
    if (handle_ != nullptr) Free(&handle_, nullptr);
    handle_ = nullptr;
  }

 private:
  T* handle_ = nullptr;
};

inline int closeAndFreeOleFile(libolecf_file_t** file, libolecf_error_t** error) {
  libolecf_file_close(*file, nullptr);  // fails harmlessly when the file was never opened
  return libolecf_file_free(file, error);
}

using OleFile = OleHandle<libolecf_file_t, closeAndFreeOleFile>;
using OleItem = OleHandle<libolecf_item_t, libolecf_item_free>;

// One storage (the root storage or a sub storage). Its items hold references into the file:
// the OleFile must outlive every OleStorage opened from it.
class OleStorage final : public MsgStorage {
 public:
  explicit OleStorage(OleItem item) : item_(std::move(item)) {}

  Result<std::vector<std::string>> childNames() override;
  Result<std::optional<std::vector<std::uint8_t>>> readStream(const std::string& name, std::size_t max_bytes) override;
  Result<std::unique_ptr<MsgStorage>> openStorage(const std::string& name) override;

 private:
  // The child named `name` if it has type `type`; an empty item when there is none.
  Result<OleItem> child(const std::string& name, std::uint8_t type);

  OleItem item_;
};

}  // namespace m2z::readers::msg
