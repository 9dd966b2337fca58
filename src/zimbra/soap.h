// The SOAP 1.2 envelope Zimbra expects around every request, and the reading of its replies:
// the body element, or a Zimbra fault.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "model/result.h"
#include "xml/xml.h"

namespace m2z::zimbra {

inline constexpr std::string_view kSoap12Namespace = "http://www.w3.org/2003/05/soap-envelope";
inline constexpr std::string_view kSoap11Namespace = "http://schemas.xmlsoap.org/soap/envelope/";
inline constexpr std::string_view kZimbraNamespace = "urn:zimbra";
inline constexpr std::string_view kMailNamespace = "urn:zimbraMail";
inline constexpr std::string_view kAdminNamespace = "urn:zimbraAdmin";
inline constexpr std::string_view kSoapContentType = "application/soap+xml; charset=utf-8";

// What goes into <soap:Header><context xmlns="urn:zimbra">.
struct RequestContext {
  std::string auth_token;  // empty for the AuthRequest itself
  std::string account;     // mailbox to act on (by name); empty: the authenticated account
};

// The full envelope around `body_xml` (one request element, as the builders make it).
//   <context xmlns="urn:zimbra"><authToken>..</authToken><account by="name">..</account></context>
// No <nosession/>: soap.txt ("Sessions") says the server creates no session unless the client
// asks for one with <session/>, and zimbra.xsd's HeaderContext does not model <nosession/>.
// zimbra.xsd also types <account> as a plain string without "by"; soap.txt and the server take
// by="name", so the header follows soap.txt (only the body is schema-validated).
std::string buildEnvelope(const RequestContext& context, std::string_view body_xml);

// A Zimbra fault: `code` is Detail/Error/Code (e.g. "mail.NO_SUCH_FOLDER"); decide by it, never
// by `reason`, which is free text for people.
struct Fault {
  std::string code;    // "soap.fault" when the server gave no Zimbra code
  std::string reason;
};

struct SoapResponse {
  std::optional<Fault> fault;
  xml::Element body;  // the element inside soap:Body (empty when fault is set)
};

// Reads a SOAP 1.2 (or 1.1) response. An Error ("soap.malformed") means the text is not a SOAP
// envelope at all; a fault is a successful read with `fault` set.
[[nodiscard]] Result<SoapResponse> parseSoapResponse(std::string_view text);

// The fault inside a soap:Fault element (SOAP 1.2 or 1.1 shape).
Fault faultFrom(const xml::Element& fault_element);

}  // namespace m2z::zimbra
