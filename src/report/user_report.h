// Per-account mismatch reports for users: the items to check (what, when, why, what was
// changed) as a self-contained HTML page and a plain-text e-mail body, or a short all-clear.
#pragma once

#include <string>
#include <vector>

#include "report/catalogue.h"
#include "report/ledger.h"
#include "report/scan.h"

namespace m2z::report {

struct UserReport {
  std::string account;
  std::vector<Flag> items;  // what the user should check; empty means all clear
  std::string mail_subject;
  std::string html;  // one page, inline CSS, no external resources
  std::string text;  // the e-mail body
};

// Items of one account worth a user's attention, from all of that account's logs: flags that
// are not server trouble, once per item and reason, and no "not created" for an item a later
// run did create.
std::vector<Flag> itemsToCheck(const std::vector<const Ledger*>& account_ledgers);

// One report per account found in `ledgers`, sorted by account.
std::vector<UserReport> buildUserReports(const std::vector<Ledger>& ledgers, const Catalogue& catalogue);

// A file name for the account's report ("alice@example.com" stays; '/' and the like become '_').
std::string reportFileStem(const std::string& account);

}  // namespace m2z::report
