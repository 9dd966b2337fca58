// The vCard reader: streams the cards of a .vcf file (vCard 2.1, 3.0 and 4.0, as Outlook, Exchange
// and phones write them) into an ItemSink as Contacts and DistLists, every card accounted for.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "model/item_sink.h"
#include "model/result.h"

namespace m2z::readers::vcf {

struct VcfReadOptions {
  // Bounds that keep memory small whatever the file holds; a card that exceeds one is skipped.
  std::size_t max_line_bytes = std::size_t{1} << 20;       // one physical line
  std::size_t max_property_bytes = std::size_t{8} << 20;   // one unfolded property (a base64 photo)
  std::size_t max_card_bytes = std::size_t{16} << 20;      // all the properties of one card
};

struct VcfReadSummary {
  int cards_seen = 0;  // BEGIN:VCARD blocks, including ones skipped
  int contacts = 0;    // handed to onContact
  int dist_lists = 0;  // handed to onDistList
  int skipped = 0;     // reported through a Finding with item_skipped set
};

// Reads vCard text; `name` names it in provenance and errors (the folder is "/<file name>").
// Per-card problems become Findings; fails only when the text is not vCard at all.
[[nodiscard]] Result<VcfReadSummary> readVcardText(std::string_view text, const std::string& name,
                                                   model::ItemSink& sink, const VcfReadOptions& options = {});

// Reads a .vcf file as readVcardText does, a chunk at a time.
[[nodiscard]] Result<VcfReadSummary> readVcardFile(const std::string& path, model::ItemSink& sink,
                                                   const VcfReadOptions& options = {});

}  // namespace m2z::readers::vcf
