// Carries one account's mail rules (as Zimbra filter rules) and out-of-office settings (as
// preferences) to Zimbra without disturbing what the user already has there.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/finding.h"
#include "model/oof.h"
#include "model/provenance.h"
#include "model/rule.h"
#include "zimbra/client.h"

namespace m2z::pipeline {

// One source rule or the OOF settings: accounted for once.
struct MailSettingsItem {
  model::Provenance item;
  std::string kind;     // "rule" or "oof"
  std::string name;     // rule name as created on the server / "out of office"
  std::string outcome;  // "created", "already_present", "created_disabled", "skipped", "failed"
  std::string reason;   // empty for created
  std::vector<model::Finding> findings;
};

// Suffix for a new rule whose name a different rule of the user already has.
inline constexpr std::string_view kCollisionSuffix = " (migrated)";

// Rules (in the order Outlook runs them, by sequence) are appended after the account's existing
// rules with a single ModifyFilterRulesRequest, which replaces the whole set: the existing rules
// are sent back exactly as read and their order kept. A rule already there under its name (or
// under its collision name) is "already_present"; afterwards the set is read back and must hold
// the rules before plus those added, else the added rules are "failed". OOF: the account's
// preferences are read first; one the user configured is never overwritten ("skipped").
// In a dry run everything is built and validated; nothing is read back.
std::vector<MailSettingsItem> migrateMailSettings(zimbra::ZimbraClient& client, std::string_view account,
                                                  const std::vector<model::Rule>& rules,
                                                  const std::optional<model::OofSettings>& oof);

}  // namespace m2z::pipeline
