// The messaging layer ([MS-PST] 2.4): a message store with folders, messages, recipients and
// attachments, written as they are added; folders and tables are completed by finish().
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "model/result.h"
#include "pstgen/name_to_id_map.h"
#include "pstgen/ndb_writer.h"
#include "pstgen/property.h"
#include "pstgen/property_context.h"
#include "pstgen/table_context.h"

namespace m2z::pstgen {

struct Recipient {
  std::vector<Property> properties;  // one row of the recipient table
};

struct Message;

struct Attachment {
  std::vector<Property> properties;  // the attachment object, PidTagAttachDataBinary included
  // An embedded message (afEmbeddedMessage, e.g. a series' exception): written as a subnode of
  // the attachment and named by PidTagAttachDataObject ([MS-PST] 2.4.6.2, 2.3.3.5 PtypObject).
  std::shared_ptr<const Message> embedded;
};

struct Message {
  std::vector<Property> properties;
  std::vector<Recipient> recipients;
  std::vector<Attachment> attachments;
  bool associated = false;  // folder-associated information (FAI), e.g. rules and OOF templates
};

struct StoreOptions {
  std::string display_name = "Personal Folders";
  Encryption encryption = Encryption::kNone;
  std::array<std::uint8_t, 16> record_key{};  // the store's provider UID, in every EntryID
  std::uint64_t filetime = 0;                 // creation/modification time where none is given
};

struct PstSummary {
  NdbSummary ndb;
  std::uint64_t folders = 0;
  std::uint64_t messages = 0;
  std::uint64_t named_properties = 0;
};

using FolderId = Nid;

class PstWriter {
 public:
  [[nodiscard]] static Result<std::unique_ptr<PstWriter>> create(const std::string& path, StoreOptions options);

  FolderId rootFolder() const { return kRootFolder; }
  FolderId ipmSubtree() const { return ipm_subtree_; }
  FolderId deletedItems() const { return deleted_items_; }

  [[nodiscard]] Result<FolderId> addFolder(FolderId parent, const std::string& name, const std::string& container_class);
  [[nodiscard]] Result<Nid> addMessage(FolderId folder, const Message& message);
  [[nodiscard]] Result<PstSummary> finish();

  static constexpr Nid kRootFolder = 0x122;     // NID_ROOT_FOLDER
  static constexpr Nid kMessageStore = 0x21;    // NID_MESSAGE_STORE
  static constexpr Nid kNameToIdMap = 0x61;     // NID_NAME_TO_ID_MAP

 private:
  struct Folder {
    Nid nid = 0;
    Nid parent = 0;
    std::string name;
    std::string container_class;
    std::vector<Nid> children;
    std::uint32_t content_count = 0;
    std::uint32_t unread_count = 0;
    std::uint32_t assoc_count = 0;
    std::unique_ptr<TableWriter> contents;
    std::unique_ptr<TableWriter> assoc_contents;
  };

  PstWriter(std::unique_ptr<NdbWriter> ndb, StoreOptions options);
  Result<FolderId> createFolder(FolderId parent, const std::string& name, const std::string& container_class, Nid nid);
  Result<std::vector<PcProperty>> resolve(const std::vector<Property>& properties);
  // A message's PC and subnodes (recipient table, attachments); `row` receives the properties
  // its contents-table row takes, `flags` its PidTagMessageFlags.
  Result<NodeContent> writeMessage(const Message& message, Nid nid, std::vector<PcProperty>* row, std::int32_t* flags);
  Bytes entryId(Nid nid) const;
  Status writeFolder(Folder& folder);
  Status writeTemplate(Nid nid, const std::vector<std::uint32_t>& tags);

  std::unique_ptr<NdbWriter> ndb_;
  StoreOptions options_;
  NameToIdMap names_;
  std::map<Nid, Folder> folders_;
  FolderId ipm_subtree_ = 0;
  FolderId search_root_ = 0;
  FolderId deleted_items_ = 0;
  std::uint64_t messages_ = 0;
};

}  // namespace m2z::pstgen
