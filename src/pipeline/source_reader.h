// Reads the items of any supported source into a sink, choosing the reader by the file's content
// (not its name): PST/OST, Outlook .msg, iCalendar, vCard, EWS XML, Exchange shell exports.
#pragma once

#include <string>

#include "model/item_sink.h"
#include "model/result.h"
#include "readers/pst/pst_reader.h"

namespace m2z::pipeline {

// Fails when the file cannot be read at all or is of a kind without a calendar reader yet; the
// error names the file, what was expected and what was found.
Status readSourceCalendars(const std::string& path, model::ItemSink& sink);

// How sources are read; the PST options (e.g. recover) apply to PST/OST files only.
struct SourceReadOptions {
  readers::pst::ReadOptions pst;
};

// Everything the sources hold that mapi2zimbra carries over: for a PST/OST its calendars, then
// its contacts, distribution lists and tasks, then its mail rules and out-of-office settings (to
// onRule / onOofSettings); a .msg file's one item; a vCard file's contacts and groups; an EWS XML
// file's items, inbox rules and OOF settings; a Get-InboxRule / Get-MailboxAutoReplyConfiguration
// export (CSV or CLIXML); iCalendar files as readSourceCalendars. Fails as readSourceCalendars
// does; a PST that fails in a later pass has had the earlier passes delivered.
Status readSourceItems(const std::string& path, model::ItemSink& sink, const SourceReadOptions& options = {});

}  // namespace m2z::pipeline
