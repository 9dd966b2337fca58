#include "pstgen/pst_writer.h"

#include <algorithm>

#include "pstgen/property_context.h"

namespace m2z::pstgen {

namespace {

constexpr std::uint32_t tag(std::uint16_t id, std::uint16_t type) { return (static_cast<std::uint32_t>(id) << 16) | type; }

// Column sets of the template tables ([MS-PST] 2.4.4.4.1, 2.4.4.5.1, 2.4.4.6.1, 2.4.5.3.1,
// 2.4.6.1.1) in the order Outlook creates them, which fixes their place in the row.
const std::vector<std::uint32_t> kHierarchyColumns = {
    0x3001001F, 0x36020003, 0x36030003, 0x360A000B, 0x0E300102, 0x0E330014,
    0x0E340102, 0x0E380003, 0x3613001F, 0x66350003, 0x66360003};
const std::vector<std::uint32_t> kContentsColumns = {
    0x0E170003, 0x001A001F, 0x0E070003, 0x00170003, 0x0042001F, 0x0037001F, 0x0E060040, 0x00390040, 0x0E080003,
    0x0E04001F, 0x0E03001F, 0x0057000B, 0x0058000B, 0x00360003, 0x10970003, 0x0070001F, 0x00710102, 0x30130102,
    0x65C60003, 0x30080040, 0x0E300102, 0x0E330014, 0x0E340102, 0x0E3D0102, 0x0E3C0102, 0x0E380003};
const std::vector<std::uint32_t> kAssocContentsColumns = {
    0x0E170003, 0x001A001F, 0x0E070003, 0x3001001F, 0x70030003, 0x70040102, 0x70050102,
    0x7006001F, 0x70070003, 0x6800001F, 0x6803000B, 0x68051003, 0x682F001F};
const std::vector<std::uint32_t> kSearchContentsColumns = {
    0x67F10003, 0x0E05001F, 0x0E170003, 0x001A001F, 0x0E070003, 0x00170003, 0x0042001F, 0x0037001F, 0x0E060040,
    0x0E080003, 0x0E04001F, 0x0E03001F, 0x0057000B, 0x0058000B, 0x00360003, 0x0E2A000B, 0x30080040};
const std::vector<std::uint32_t> kRecipientColumns = {
    0x0E0F000B, 0x3002001F, 0x3003001F, 0x0FFF0102, 0x3001001F, 0x0C150003,
    0x300B0102, 0x0FF90102, 0x0FFE0003, 0x39000003, 0x3A40000B, 0x39FF001F};
const std::vector<std::uint32_t> kAttachmentColumns = {0x370B0003, 0x0E200003, 0x37050003, 0x3704001F};

constexpr std::uint16_t kPidTagDisplayName = 0x3001;
constexpr std::uint16_t kPidTagContentCount = 0x3602;
constexpr std::uint16_t kPidTagContentUnreadCount = 0x3603;
constexpr std::uint16_t kPidTagSubfolders = 0x360A;
constexpr std::uint16_t kPidTagContainerClass = 0x3613;
constexpr std::uint16_t kPidTagAssocContentCount = 0x3617;
constexpr std::uint16_t kPidTagMessageFlags = 0x0E07;
constexpr std::uint16_t kPidTagMessageSize = 0x0E08;
constexpr std::uint16_t kPidTagMessageStatus = 0x0E17;
constexpr std::uint16_t kPidTagHasAttachments = 0x0E1B;
constexpr std::uint16_t kPidTagCreationTime = 0x3007;
constexpr std::uint16_t kPidTagLastModificationTime = 0x3008;
constexpr std::uint16_t kPidTagSearchKey = 0x300B;
constexpr std::uint16_t kPidTagAttachSize = 0x0E20;
constexpr std::uint16_t kPidTagAttachNumber = 0x0E21;
constexpr std::uint16_t kPidTagAttachMethod = 0x3705;
constexpr std::uint16_t kPidTagRenderingPosition = 0x370B;
constexpr std::uint16_t kPidTagAttachDataBinary = 0x3701;
constexpr std::int32_t kMsgFlagRead = 0x01;
constexpr std::int32_t kMsgFlagHasAttach = 0x10;

constexpr Nid kRecipientTableNid = 0x692;   // NID_RECIPIENT_TABLE, also the recipient template
constexpr Nid kAttachmentTableNid = 0x671;  // NID_ATTACHMENT_TABLE, also the attachment template

bool hasId(const std::vector<PcProperty>& properties, std::uint16_t id) {
  return std::any_of(properties.begin(), properties.end(), [id](const PcProperty& p) { return p.id == id; });
}

std::uint64_t storedSize(const Property& property) {
  return property.generated ? property.generated->storedSize() : property.value.size();
}

// The cells a table with `columns` takes from a property list.
std::vector<TableCell> cellsFor(const TableWriter& table, const std::vector<PcProperty>& properties) {
  std::vector<TableCell> cells;
  for (const PcProperty& entry : properties) {
    const std::uint32_t column = tag(entry.id, entry.property.type);
    if (table.hasColumn(column)) cells.push_back({column, entry.property});
  }
  return cells;
}

Result<SubnodeEntry> asSubnode(NdbWriter& ndb, Nid nid, NodeContent content) {
  auto sub = ndb.writeSubnodeTree(std::move(content.subnodes));
  if (!sub) return sub.error();
  return SubnodeEntry{nid, content.bid_data, *sub};
}

}  // namespace

Result<std::unique_ptr<PstWriter>> PstWriter::create(const std::string& path, StoreOptions options) {
  auto ndb = NdbWriter::create(path, options.encryption);
  if (!ndb) return ndb.error();
  std::unique_ptr<PstWriter> writer(new PstWriter(std::move(*ndb), std::move(options)));
  // The folders every PST has ([MS-PST] 2.7.3), with the NIDs Outlook gives them.
  auto root = writer->createFolder(kRootFolder, "", "", kRootFolder);
  if (!root) return root.error();
  auto ipm = writer->createFolder(kRootFolder, "Top of Personal Folders", "", writer->ndb_->allocateNid(NidType::kNormalFolder));
  if (!ipm) return ipm.error();
  writer->ipm_subtree_ = *ipm;
  auto search_root = writer->createFolder(kRootFolder, "Search Root", "", writer->ndb_->allocateNid(NidType::kNormalFolder));
  if (!search_root) return search_root.error();
  writer->search_root_ = *search_root;
  auto deleted = writer->createFolder(*ipm, "Deleted Items", "", writer->ndb_->allocateNid(NidType::kNormalFolder));
  if (!deleted) return deleted.error();
  writer->deleted_items_ = *deleted;
  // libpff refuses a map with an empty entry stream, and Outlook never writes one: start with
  // the reminder properties every Outlook store names first (PSETID_Common 0x8501, 0x8503).
  for (const std::uint32_t lid : {0x8501u, 0x8503u}) {
    auto id = writer->names_.idFor(PropertyName{psetidCommon(), lid, ""});
    if (!id) return id.error();
  }
  return writer;
}

PstWriter::PstWriter(std::unique_ptr<NdbWriter> ndb, StoreOptions options)
    : ndb_(std::move(ndb)), options_(std::move(options)) {}

Result<FolderId> PstWriter::createFolder(FolderId parent, const std::string& name, const std::string& container_class,
                                         Nid nid) {
  Folder folder;
  folder.nid = nid;
  folder.parent = parent;
  folder.name = name;
  folder.container_class = container_class;
  folders_.emplace(nid, std::move(folder));
  if (parent != nid) folders_.at(parent).children.push_back(nid);
  return nid;
}

Result<FolderId> PstWriter::addFolder(FolderId parent, const std::string& name, const std::string& container_class) {
  if (folders_.find(parent) == folders_.end()) {
    return Error{"pstgen.no_folder", "no parent folder with NID " + std::to_string(parent), ndb_->path()};
  }
  return createFolder(parent, name, container_class, ndb_->allocateNid(NidType::kNormalFolder));
}

Bytes PstWriter::entryId(Nid nid) const {
  // EntryID ([MS-PST] 2.4.3.2): rgbFlags (4 zero bytes), the store's provider UID, the NID.
  Bytes id(24, 0);
  std::copy(options_.record_key.begin(), options_.record_key.end(), id.begin() + 4);
  setU32(id.data() + 20, nid);
  return id;
}

Result<std::vector<PcProperty>> PstWriter::resolve(const std::vector<Property>& properties) {
  std::vector<PcProperty> out;
  out.reserve(properties.size());
  for (const Property& property : properties) {
    std::uint16_t id = property.id;
    if (property.name) {
      auto mapped = names_.idFor(*property.name);
      if (!mapped) return Error{mapped.error().code, mapped.error().message, ndb_->path()};
      id = *mapped;
    } else if (id >= 0x8000) {
      return Error{"pstgen.property_id", "tagged property ids must be below 0x8000", ndb_->path()};
    }
    out.push_back({id, property});
  }
  return out;
}

Result<Nid> PstWriter::addMessage(FolderId folder_id, const Message& message) {
  const auto found = folders_.find(folder_id);
  if (found == folders_.end()) {
    return Error{"pstgen.no_folder", "no folder with NID " + std::to_string(folder_id), ndb_->path()};
  }
  Folder& folder = found->second;
  const Nid nid = ndb_->allocateNid(message.associated ? NidType::kAssocMessage : NidType::kNormalMessage);
  std::vector<PcProperty> row_properties;
  std::int32_t flags = 0;
  auto content = writeMessage(message, nid, &row_properties, &flags);
  if (!content) return content.error();

  // The row in the folder's contents table, then the node itself.
  std::unique_ptr<TableWriter>& table = message.associated ? folder.assoc_contents : folder.contents;
  if (!table) table = std::make_unique<TableWriter>(*ndb_, message.associated ? kAssocContentsColumns : kContentsColumns);
  const auto row = cellsFor(*table, row_properties);
  if (auto status = table->addRow(nid, row); !status) return status.error();
  auto sub = ndb_->writeSubnodeTree(std::move(content->subnodes));
  if (!sub) return sub.error();
  ndb_->addNode({nid, content->bid_data, *sub, folder.nid});

  if (message.associated) {
    ++folder.assoc_count;
  } else {
    ++folder.content_count;
    if ((flags & kMsgFlagRead) == 0) ++folder.unread_count;
  }
  ++messages_;
  return nid;
}

Result<NodeContent> PstWriter::writeMessage(const Message& message, Nid nid, std::vector<PcProperty>* row,
                                            std::int32_t* message_flags) {
  auto resolved = resolve(message.properties);
  if (!resolved) return resolved.error();
  std::vector<PcProperty> properties = std::move(*resolved);

  // Properties every message carries ([MS-PST] 2.4.5.1): fill in the ones the caller left out.
  std::uint64_t size = 0;
  for (const PcProperty& entry : properties) size += storedSize(entry.property);
  std::int32_t flags = kMsgFlagRead;
  for (const PcProperty& entry : properties) {
    if (entry.id == kPidTagMessageFlags && entry.property.value.size() == 4) {
      flags = static_cast<std::int32_t>(getU32(entry.property.value.data()));
    }
  }
  if (!message.attachments.empty()) flags |= kMsgFlagHasAttach;
  std::erase_if(properties, [](const PcProperty& entry) { return entry.id == kPidTagMessageFlags; });
  properties.push_back({kPidTagMessageFlags, tagged(kPidTagMessageFlags, ptype::kInteger32, encodeInt32(flags))});
  if (!hasId(properties, kPidTagMessageSize)) {
    const auto clamped = static_cast<std::int32_t>(std::min<std::uint64_t>(size, 0x7FFFFFFF));
    properties.push_back({kPidTagMessageSize, tagged(kPidTagMessageSize, ptype::kInteger32, encodeInt32(clamped))});
  }
  if (!hasId(properties, kPidTagMessageStatus)) {
    properties.push_back({kPidTagMessageStatus, tagged(kPidTagMessageStatus, ptype::kInteger32, encodeInt32(0))});
  }
  if (!hasId(properties, kPidTagHasAttachments)) {
    properties.push_back({kPidTagHasAttachments, taggedBool(kPidTagHasAttachments, !message.attachments.empty())});
  }
  if (!hasId(properties, kPidTagCreationTime)) {
    properties.push_back({kPidTagCreationTime, taggedTime(kPidTagCreationTime, options_.filetime)});
  }
  if (!hasId(properties, kPidTagLastModificationTime)) {
    properties.push_back({kPidTagLastModificationTime, taggedTime(kPidTagLastModificationTime, options_.filetime)});
  }
  if (!hasId(properties, kPidTagSearchKey)) {
    Bytes key(options_.record_key.begin(), options_.record_key.end());
    setU32(key.data(), nid);
    properties.push_back({kPidTagSearchKey, taggedBinary(kPidTagSearchKey, key)});
  }

  LocalNids nids;
  std::vector<SubnodeEntry> subnodes;

  // Recipient table: the template's columns plus whatever the recipients carry.
  std::vector<std::vector<PcProperty>> recipients;
  std::vector<std::uint32_t> recipient_columns = kRecipientColumns;
  for (const Recipient& recipient : message.recipients) {
    auto resolved_recipient = resolve(recipient.properties);
    if (!resolved_recipient) return resolved_recipient.error();
    for (const PcProperty& entry : *resolved_recipient) recipient_columns.push_back(tag(entry.id, entry.property.type));
    recipients.push_back(std::move(*resolved_recipient));
  }
  TableWriter recipient_table(*ndb_, recipient_columns);
  for (std::size_t i = 0; i < recipients.size(); ++i) {
    const auto cells = cellsFor(recipient_table, recipients[i]);
    if (auto status = recipient_table.addRow(static_cast<std::uint32_t>(i), cells); !status) return status.error();
  }
  auto recipient_content = recipient_table.finish();
  if (!recipient_content) return recipient_content.error();
  auto recipient_subnode = asSubnode(*ndb_, kRecipientTableNid, std::move(*recipient_content));
  if (!recipient_subnode) return recipient_subnode.error();
  subnodes.push_back(*recipient_subnode);

  // Attachments: one PC subnode each, listed in the attachment table.
  if (!message.attachments.empty()) {
    TableWriter attachment_table(*ndb_, kAttachmentColumns);
    for (std::size_t i = 0; i < message.attachments.size(); ++i) {
      auto resolved_attachment = resolve(message.attachments[i].properties);
      if (!resolved_attachment) return resolved_attachment.error();
      std::vector<PcProperty> attachment = std::move(*resolved_attachment);
      std::uint64_t data_size = 0;
      for (const PcProperty& entry : attachment) {
        if (entry.id == kPidTagAttachDataBinary) data_size = storedSize(entry.property);
      }
      if (!hasId(attachment, kPidTagAttachMethod)) {
        attachment.push_back({kPidTagAttachMethod, taggedInt32(kPidTagAttachMethod, 1)});  // afByValue
      }
      if (!hasId(attachment, kPidTagAttachSize)) {
        const auto clamped = static_cast<std::int32_t>(std::min<std::uint64_t>(data_size, 0x7FFFFFFF));
        attachment.push_back({kPidTagAttachSize, taggedInt32(kPidTagAttachSize, clamped)});
      }
      if (!hasId(attachment, kPidTagRenderingPosition)) {
        attachment.push_back({kPidTagRenderingPosition, taggedInt32(kPidTagRenderingPosition, -1)});
      }
      if (!hasId(attachment, kPidTagAttachNumber)) {
        attachment.push_back({kPidTagAttachNumber, taggedInt32(kPidTagAttachNumber, static_cast<std::int32_t>(i))});
      }
      const Nid attachment_nid = nids.next(NidType::kAttachment);
      LocalNids attachment_nids;
      std::vector<SubnodeEntry> embedded_subnodes;
      if (message.attachments[i].embedded) {
        // The embedded message is a subnode of the attachment with its own subnodes; the
        // attachment's PidTagAttachDataObject holds its NID and size ([MS-PST] 2.3.3.5).
        const Nid embedded_nid = attachment_nids.next(NidType::kNormalMessage);
        std::vector<PcProperty> embedded_properties;
        auto embedded = writeMessage(*message.attachments[i].embedded, embedded_nid, &embedded_properties, nullptr);
        if (!embedded) return embedded.error();
        std::uint64_t embedded_size = 0;
        for (const PcProperty& entry : embedded_properties) embedded_size += storedSize(entry.property);
        auto embedded_subnode = asSubnode(*ndb_, embedded_nid, std::move(*embedded));
        if (!embedded_subnode) return embedded_subnode.error();
        embedded_subnodes.push_back(*embedded_subnode);
        Bytes object;
        putU32(object, embedded_nid);
        putU32(object, static_cast<std::uint32_t>(std::min<std::uint64_t>(embedded_size, 0xFFFFFFFF)));
        std::erase_if(attachment, [](const PcProperty& entry) { return entry.id == kPidTagAttachDataBinary; });
        attachment.push_back({kPidTagAttachDataBinary, tagged(kPidTagAttachDataBinary, ptype::kObject, object)});
        if (!hasId(attachment, kPidTagAttachMethod)) {
          attachment.push_back({kPidTagAttachMethod, taggedInt32(kPidTagAttachMethod, 5)});  // afEmbeddedMessage
        }
        if (!hasId(attachment, kPidTagAttachSize)) {
          const auto clamped = static_cast<std::int32_t>(std::min<std::uint64_t>(embedded_size, 0x7FFFFFFF));
          attachment.push_back({kPidTagAttachSize, taggedInt32(kPidTagAttachSize, clamped)});
        }
      }
      const auto cells = cellsFor(attachment_table, attachment);
      auto pc = writePropertyContext(*ndb_, std::move(attachment), attachment_nids);
      if (!pc) return pc.error();
      for (const SubnodeEntry& entry : embedded_subnodes) pc->subnodes.push_back(entry);
      auto subnode = asSubnode(*ndb_, attachment_nid, std::move(*pc));
      if (!subnode) return subnode.error();
      subnodes.push_back(*subnode);
      if (auto status = attachment_table.addRow(attachment_nid, cells); !status) return status.error();
    }
    auto table = attachment_table.finish();
    if (!table) return table.error();
    auto table_subnode = asSubnode(*ndb_, kAttachmentTableNid, std::move(*table));
    if (!table_subnode) return table_subnode.error();
    subnodes.push_back(*table_subnode);
  }

  if (row != nullptr) *row = properties;
  if (message_flags != nullptr) *message_flags = flags;
  auto pc = writePropertyContext(*ndb_, std::move(properties), nids);
  if (!pc) return pc.error();
  for (SubnodeEntry& entry : pc->subnodes) subnodes.push_back(entry);
  pc->subnodes = std::move(subnodes);
  return std::move(*pc);
}

Status PstWriter::writeFolder(Folder& folder) {
  // Folder PC ([MS-PST] 2.4.4.1.1): display name, counts, subfolder flag, container class.
  std::vector<PcProperty> properties;
  properties.push_back({kPidTagDisplayName, taggedString(kPidTagDisplayName, folder.name)});
  properties.push_back({kPidTagContentCount, taggedInt32(kPidTagContentCount, static_cast<std::int32_t>(folder.content_count))});
  properties.push_back(
      {kPidTagContentUnreadCount, taggedInt32(kPidTagContentUnreadCount, static_cast<std::int32_t>(folder.unread_count))});
  properties.push_back({kPidTagSubfolders, taggedBool(kPidTagSubfolders, !folder.children.empty())});
  if (!folder.container_class.empty()) {
    properties.push_back({kPidTagContainerClass, taggedString(kPidTagContainerClass, folder.container_class)});
  }
  if (folder.assoc_count > 0) {
    properties.push_back(
        {kPidTagAssocContentCount, taggedInt32(kPidTagAssocContentCount, static_cast<std::int32_t>(folder.assoc_count))});
  }
  LocalNids nids;
  auto pc = writePropertyContext(*ndb_, std::move(properties), nids);
  if (!pc) return pc.error();
  auto pc_sub = ndb_->writeSubnodeTree(std::move(pc->subnodes));
  if (!pc_sub) return pc_sub.error();
  ndb_->addNode({folder.nid, pc->bid_data, *pc_sub, folder.parent});

  // Hierarchy table: one row per child folder, keyed by the child's NID.
  TableWriter hierarchy(*ndb_, kHierarchyColumns);
  for (const Nid child_nid : folder.children) {
    const Folder& child = folders_.at(child_nid);
    std::vector<TableCell> cells;
    cells.push_back({tag(kPidTagDisplayName, ptype::kString), taggedString(kPidTagDisplayName, child.name)});
    cells.push_back({tag(kPidTagContentCount, ptype::kInteger32),
                     taggedInt32(kPidTagContentCount, static_cast<std::int32_t>(child.content_count))});
    cells.push_back({tag(kPidTagContentUnreadCount, ptype::kInteger32),
                     taggedInt32(kPidTagContentUnreadCount, static_cast<std::int32_t>(child.unread_count))});
    cells.push_back({tag(kPidTagSubfolders, ptype::kBoolean), taggedBool(kPidTagSubfolders, !child.children.empty())});
    if (!child.container_class.empty()) {
      cells.push_back({tag(kPidTagContainerClass, ptype::kString), taggedString(kPidTagContainerClass, child.container_class)});
    }
    if (auto status = hierarchy.addRow(child_nid, cells); !status) return status;
  }
  const std::uint32_t index = nidIndex(folder.nid);
  auto writeTable = [&](TableWriter& table, NidType type) -> Status {
    auto content = table.finish();
    if (!content) return content.error();
    auto sub = ndb_->writeSubnodeTree(std::move(content->subnodes));
    if (!sub) return sub.error();
    ndb_->addNode({makeNid(type, index), content->bid_data, *sub, 0});
    return {};
  };
  if (auto status = writeTable(hierarchy, NidType::kHierarchyTable); !status) return status;
  if (!folder.contents) folder.contents = std::make_unique<TableWriter>(*ndb_, kContentsColumns);
  if (auto status = writeTable(*folder.contents, NidType::kContentsTable); !status) return status;
  folder.contents.reset();
  if (!folder.assoc_contents) folder.assoc_contents = std::make_unique<TableWriter>(*ndb_, kAssocContentsColumns);
  if (auto status = writeTable(*folder.assoc_contents, NidType::kAssocContentsTable); !status) return status;
  folder.assoc_contents.reset();
  return {};
}

Status PstWriter::writeTemplate(Nid nid, const std::vector<std::uint32_t>& tags) {
  TableWriter table(*ndb_, tags);
  auto content = table.finish();
  if (!content) return content.error();
  ndb_->addNode({nid, content->bid_data, 0, 0});
  return {};
}

Result<PstSummary> PstWriter::finish() {
  for (auto& [nid, folder] : folders_) {
    if (auto status = writeFolder(folder); !status) return status.error();
  }

  // Message store ([MS-PST] 2.4.3.1): record key, display name, the special folders' EntryIDs.
  std::vector<PcProperty> store;
  store.push_back({0x0FF9, taggedBinary(0x0FF9, Bytes(options_.record_key.begin(), options_.record_key.end()))});
  store.push_back({kPidTagDisplayName, taggedString(kPidTagDisplayName, options_.display_name)});
  store.push_back({0x35E0, taggedBinary(0x35E0, entryId(ipm_subtree_))});    // PidTagIpmSubTreeEntryId
  store.push_back({0x35E3, taggedBinary(0x35E3, entryId(deleted_items_))});  // PidTagIpmWastebasketEntryId
  store.push_back({0x35E7, taggedBinary(0x35E7, entryId(search_root_))});    // PidTagFinderEntryId
  // PidTagValidFolderMask: IPM subtree (0x01), wastebasket (0x08) and finder (0x80) are valid.
  store.push_back({0x35DF, taggedInt32(0x35DF, 0x89)});
  store.push_back({0x67FF, taggedInt32(0x67FF, 0)});  // PidTagPstPassword: none
  LocalNids store_nids;
  auto store_pc = writePropertyContext(*ndb_, std::move(store), store_nids);
  if (!store_pc) return store_pc.error();
  auto store_sub = ndb_->writeSubnodeTree(std::move(store_pc->subnodes));
  if (!store_sub) return store_sub.error();
  ndb_->addNode({kMessageStore, store_pc->bid_data, *store_sub, 0});

  std::vector<PcProperty> map;
  for (Property& property : names_.properties()) map.push_back({property.id, std::move(property)});
  LocalNids map_nids;
  auto map_pc = writePropertyContext(*ndb_, std::move(map), map_nids);
  if (!map_pc) return map_pc.error();
  auto map_sub = ndb_->writeSubnodeTree(std::move(map_pc->subnodes));
  if (!map_sub) return map_sub.error();
  ndb_->addNode({kNameToIdMap, map_pc->bid_data, *map_sub, 0});

  // Empty search queues ([MS-PST] 2.4.8): management queue, activity list, domain object.
  for (const Nid nid : {Nid{0x1E1}, Nid{0x201}, Nid{0x261}}) ndb_->addNode({nid, 0, 0, 0});
  // Template tables Outlook copies new folders' and messages' tables from.
  if (auto status = writeTemplate(0x60D, kHierarchyColumns); !status) return status.error();
  if (auto status = writeTemplate(0x60E, kContentsColumns); !status) return status.error();
  if (auto status = writeTemplate(0x60F, kAssocContentsColumns); !status) return status.error();
  if (auto status = writeTemplate(0x610, kSearchContentsColumns); !status) return status.error();
  if (auto status = writeTemplate(kAttachmentTableNid, kAttachmentColumns); !status) return status.error();
  if (auto status = writeTemplate(kRecipientTableNid, kRecipientColumns); !status) return status.error();

  auto ndb = ndb_->finish();
  if (!ndb) return ndb.error();
  return PstSummary{*ndb, folders_.size(), messages_, names_.size()};
}

}  // namespace m2z::pstgen
