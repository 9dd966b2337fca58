// FieldReader: typed reads from one PropertyBag for the contact and task mappings, reporting a
// value of the wrong type once as a Finding and treating it as absent. Private to readers/mapi.
#pragma once

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "model/finding.h"
#include "model/provenance.h"
#include "readers/mapi/property_bag.h"
#include "readers/mapi/property_ids.h"

namespace m2z::readers::mapi {

class FieldReader {
 public:
  FieldReader(const PropertyBag& bag, const model::Provenance& item, std::vector<model::Finding>& findings)
      : bag_(bag), item_(item), findings_(findings) {}
  // The reader keeps references: a temporary item would dangle before the first finding.
  FieldReader(const PropertyBag& bag, model::Provenance&& item, std::vector<model::Finding>& findings) = delete;

  const PropertyBag& bag() const { return bag_; }
  const model::Provenance& item() const { return item_; }

  template <class T>
  const T* get(const TaggedProperty& property) {
    return typed<T>(bag_.findTagged(property.id), property.name);
  }
  template <class T>
  const T* get(const NamedProperty& property) {
    return typed<T>(bag_.findNamed(property.property_set, property.lid), property.name);
  }
  template <class T>
  const T* get(const StringNamedProperty& property) {
    return typed<T>(bag_.findNamed(property.property_set, property.string_name), property.name);
  }
  template <class Property>
  std::string string(const Property& property) {
    const auto* value = get<std::string>(property);
    return value ? *value : std::string();
  }

  void report(std::string kind, model::Severity severity, std::string_view field, std::string before,
              std::string after, std::string why) {
    findings_.push_back(model::Finding{std::move(kind), severity, item_, std::string(field), std::move(before),
                                       std::move(after), std::move(why), false});
  }
  void badValue(std::string_view field, std::string before, std::string after, std::string why) {
    report("property.bad_value", model::Severity::kWarning, field, std::move(before), std::move(after),
           std::move(why));
  }

 private:
  template <class T>
  const T* typed(const PropertyValue* value, std::string_view name) {
    if (value == nullptr) return nullptr;
    if (const T* typed_value = std::get_if<T>(value)) return typed_value;
    report("property.wrong_type", model::Severity::kWarning, name, "", "",
           "the value has another type than " + std::string(typeName<T>()) + "; it is ignored");
    return nullptr;
  }
  template <class T>
  static constexpr std::string_view typeName() {
    if constexpr (std::is_same_v<T, std::int32_t>) return "PtypInteger32";
    if constexpr (std::is_same_v<T, std::int64_t>) return "PtypInteger64";
    if constexpr (std::is_same_v<T, bool>) return "PtypBoolean";
    if constexpr (std::is_same_v<T, FileTime>) return "PtypTime";
    if constexpr (std::is_same_v<T, std::string>) return "PtypString";
    if constexpr (std::is_same_v<T, Binary>) return "PtypBinary";
    if constexpr (std::is_same_v<T, std::vector<std::string>>) return "PtypMultipleString";
    return "PtypMultipleBinary";
  }

  const PropertyBag& bag_;
  const model::Provenance& item_;
  std::vector<model::Finding>& findings_;
};

// PidNameKeywords ([MS-OXCMSG] 2.2.1.17), empty entries dropped.
inline std::vector<std::string> readCategories(FieldReader& fields) {
  std::vector<std::string> categories;
  if (const auto* keywords = fields.get<std::vector<std::string>>(kPidNameKeywords)) {
    for (const auto& keyword : *keywords) {
      if (!keyword.empty()) categories.push_back(keyword);
    }
  }
  return categories;
}

}  // namespace m2z::readers::mapi
