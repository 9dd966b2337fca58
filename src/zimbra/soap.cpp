#include "zimbra/soap.h"

namespace m2z::zimbra {

namespace {

std::string trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(first, last - first + 1));
}

const xml::Element* soapChild(const xml::Element& parent, std::string_view name) {
  for (const xml::Element& child : parent.children) {
    if (child.name == name && (child.namespace_uri == kSoap12Namespace || child.namespace_uri == kSoap11Namespace)) {
      return &child;
    }
  }
  return nullptr;
}

}  // namespace

std::string buildEnvelope(const RequestContext& context, std::string_view body_xml) {
  xml::XmlWriter writer;
  writer.open("soap:Envelope", {{"xmlns:soap", std::string(kSoap12Namespace)}});
  writer.open("soap:Header");
  if (context.auth_token.empty() && context.account.empty()) {
    writer.empty("context", {{"xmlns", std::string(kZimbraNamespace)}});
  } else {
    writer.open("context", {{"xmlns", std::string(kZimbraNamespace)}});
    if (!context.auth_token.empty()) writer.textElement("authToken", context.auth_token);
    if (!context.account.empty()) writer.textElement("account", context.account, {{"by", "name"}});
    writer.close();
  }
  writer.close();
  writer.open("soap:Body");
  writer.raw(body_xml);
  writer.close();
  writer.close();
  return writer.release();
}

Fault faultFrom(const xml::Element& fault_element) {
  Fault fault;
  // SOAP 1.2: Detail/Error/Code and Reason/Text; SOAP 1.1: detail/Error/Code and faultstring.
  const xml::Element* detail = fault_element.child("Detail");
  if (detail == nullptr) detail = fault_element.child("detail");
  if (detail != nullptr) {
    if (const xml::Element* error = detail->find("Error")) {
      if (const xml::Element* code = error->child("Code")) fault.code = trimmed(code->text);
    }
  }
  if (fault.code.empty()) fault.code = "soap.fault";
  if (const xml::Element* reason = fault_element.child("Reason")) {
    const xml::Element* text = reason->child("Text");
    fault.reason = trimmed(text != nullptr ? text->text : reason->text);
  } else if (const xml::Element* faultstring = fault_element.child("faultstring")) {
    fault.reason = trimmed(faultstring->text);
  }
  return fault;
}

Result<SoapResponse> parseSoapResponse(std::string_view text) {
  Result<xml::Element> parsed = xml::parse(text, "SOAP response");
  if (!parsed) return Error{"soap.malformed", parsed.error().message, "SOAP response"};
  const xml::Element& envelope = *parsed;
  if (envelope.name != "Envelope" ||
      (envelope.namespace_uri != kSoap12Namespace && envelope.namespace_uri != kSoap11Namespace)) {
    return Error{"soap.malformed", "the response is not a SOAP envelope (root element " + envelope.name + ")",
                 "SOAP response"};
  }
  const xml::Element* body = soapChild(envelope, "Body");
  if (body == nullptr) return Error{"soap.malformed", "the SOAP envelope has no Body", "SOAP response"};
  if (body->children.empty()) return Error{"soap.malformed", "the SOAP Body is empty", "SOAP response"};
  SoapResponse response;
  const xml::Element& first = body->children.front();
  if (first.name == "Fault" && (first.namespace_uri == kSoap12Namespace || first.namespace_uri == kSoap11Namespace)) {
    response.fault = faultFrom(first);
  } else {
    response.body = first;
  }
  return response;
}

}  // namespace m2z::zimbra
