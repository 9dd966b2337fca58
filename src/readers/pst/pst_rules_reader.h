// The PST/OST rules reader: streams every mail rule and the out-of-office settings a Personal
// Folders file keeps in its folders' hidden (folder-associated) contents into an ItemSink.
#pragma once

#include <string>

#include "model/item_sink.h"
#include "model/result.h"
#include "readers/pst/pst_reader.h"

namespace m2z::readers::pst {

struct RulesReadSummary {
  int folders = 0;             // folders walked
  int associated_items = 0;    // folder-associated items looked at, of any class
  int rule_items = 0;          // rule, rule organizer and OOF template messages, and unreadable ones;
                               // each is counted once below
  int rules = 0;               // handed to onRule
  int client_rule_streams = 0; // IPM.RuleOrganizer messages (reported through findings)
  int oof_templates = 0;       // used for the OOF settings
  int skipped = 0;             // reported through a Finding with item_skipped set
  bool oof_settings = false;   // onOofSettings was called
};

// Walks every folder (at any depth) and its associated contents: onRule for each
// IPM.Rule.Version2.Message and IPM.ExtendedRule.Message; a Finding for each IPM.RuleOrganizer
// (the Outlook client's rules stream, which is kept as raw bytes); one onOofSettings when the
// store holds OOF templates, an OOF state or OOF rules, else an "oof.not_found" Finding.
// Folder paths and entry ids are as readCalendars gives them. Fails only when the file itself
// cannot be opened or read as a PST/OST.
[[nodiscard]] Result<RulesReadSummary> readRulesAndOof(const std::string& path, model::ItemSink& sink,
                                                       const ReadOptions& options = {});

}  // namespace m2z::readers::pst
