// Secret redaction for everything the audit log writes: passwords, auth tokens and preauth keys
// are replaced by kRedacted before a byte reaches the file.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "xml/xml.h"

namespace m2z::audit {

inline constexpr std::string_view kRedacted = "***redacted***";

// True for the element and attribute local names that hold secrets (case-insensitive):
// password, newPassword, oldPassword, authToken, preauth, token, and, because Zimbra sends them
// beside the auth token, jwtToken and csrfToken.
bool isSecretName(std::string_view local_name);

// Redacts in place, at any depth: the text of elements with a secret name (their child elements
// are dropped too), attribute values with a secret name, and the text of <a n="...">
// whose n contains "password" (Zimbra's attribute lists: <a n="userPassword">...</a>).
// Namespace declarations are left alone: their values are URIs, not secrets.
void redactSecrets(xml::Element& element);

// The same rules over text that is not well-formed XML (a torn or truncated body, an HTML error
// page): start tags are found lexically, and an element's content is redacted up to the next '<'
// or the end of the text.
void redactSecretsInText(std::string& text);

// Replaces every occurrence of each secret in `text` (longest first, so a secret that contains
// another is not left half-visible). Empty secrets are ignored.
void replaceSecretValues(std::string& text, const std::vector<std::string>& secrets);

// A URL fit for the log: user info ("user:password@"), query and fragment removed.
std::string withoutCredentials(std::string_view url);

}  // namespace m2z::audit
