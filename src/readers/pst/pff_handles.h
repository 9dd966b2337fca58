// Move-only owners for libpff handles, and libpff errors turned into text. Private to
// readers/pst: the only header that includes libpff.h.
#pragma once

// libpff.h includes <libbfio.h>: Debian's libpff-dev does not pull in libbfio-dev, so
// tools/setup.sh installs it and cmake/M2zDependencies.cmake checks for it.
#include <libpff.h>

#include <string>
#include <utility>

namespace m2z::readers::pst {

// A libpff_error_t that frees itself; pass out() to a libpff call, read text() after it failed.
class PffError {
 public:
  PffError() = default;
  PffError(const PffError&) = delete;
  PffError& operator=(const PffError&) = delete;
  ~PffError() { reset(); }

  libpff_error_t** out() {
    reset();
    return &error_;
  }
  // libpff's own messages, innermost last, on one line.
  std::string text() const;

 private:
  void reset() {
    if (error_ != nullptr) libpff_error_free(&error_);
  }
  libpff_error_t* error_ = nullptr;
};

// Owns one handle of type T and releases it with Free. libpff hands out some handles (record
// sets, record entries) as references into an item; its public free for those only clears the
// pointer, so owning them this way is always correct.
template <class T, int (*Free)(T**, libpff_error_t**)>
class PffHandle {
 public:
  PffHandle() = default;
  PffHandle(const PffHandle&) = delete;
  PffHandle& operator=(const PffHandle&) = delete;
  PffHandle(PffHandle&& other) noexcept : handle_(std::exchange(other.handle_, nullptr)) {}
  PffHandle& operator=(PffHandle&& other) noexcept {
    if (this != &other) {
      reset();
      handle_ = std::exchange(other.handle_, nullptr);
    }
    return *this;
  }
  ~PffHandle() { reset(); }

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

inline int closeAndFreeFile(libpff_file_t** file, libpff_error_t** error) {
  libpff_file_close(*file, nullptr);  // fails harmlessly when the file was never opened
  return libpff_file_free(file, error);
}

using PffFile = PffHandle<libpff_file_t, closeAndFreeFile>;
using PffItem = PffHandle<libpff_item_t, libpff_item_free>;
using PffRecordSet = PffHandle<libpff_record_set_t, libpff_record_set_free>;
using PffRecordEntry = PffHandle<libpff_record_entry_t, libpff_record_entry_free>;
using PffMultiValue = PffHandle<libpff_multi_value_t, libpff_multi_value_free>;

}  // namespace m2z::readers::pst
