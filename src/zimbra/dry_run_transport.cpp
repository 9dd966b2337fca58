#include "zimbra/dry_run_transport.h"

#include "xml/xml.h"
#include "zimbra/prefs_requests.h"
#include "zimbra/soap.h"

namespace m2z::zimbra {

namespace {

std::string envelope(std::string_view body_xml) {
  return buildEnvelope(RequestContext{}, body_xml);
}

HttpResponse answer(std::string_view body_xml) { return HttpResponse{200, envelope(body_xml), {}, 0}; }

// Zimbra's fault shape (soap.txt, SOAP 1.2): HTTP 500, Detail/Error/Code.
HttpResponse fault(std::string_view code, std::string_view reason) {
  xml::XmlWriter writer;
  writer.open("soap:Fault");
  writer.open("soap:Code").textElement("soap:Value", "soap:Sender").close();
  writer.open("soap:Reason").textElement("soap:Text", reason).close();
  writer.open("soap:Detail").open("Error", {{"xmlns", std::string(kZimbraNamespace)}});
  writer.textElement("Code", code).close().close();
  writer.close();
  return HttpResponse{500, envelope(writer.text()), {}, 0};
}

}  // namespace

std::string DryRunTransport::nextId() { return "dry-run-" + std::to_string(next_id_++); }

Result<HttpResponse> DryRunTransport::post(const std::string& url, std::string_view body,
                                           const std::vector<HttpHeader>& /*headers*/) {
  // A request envelope has the shape of a response one: the request element is the Body's child.
  Result<SoapResponse> request = parseSoapResponse(body);
  if (!request || request->fault) {
    return Error{"transport.dry_run", "the dry run was given something that is not a SOAP request", url};
  }
  const xml::Element& element = request->body;
  xml::XmlWriter writer;
  if (element.name == "AuthRequest") {
    writer.open("AuthResponse", {{"xmlns", std::string(kAdminNamespace)}});
    writer.textElement("authToken", kDryRunToken).textElement("lifetime", "43200000").close();
    return answer(writer.text());
  }
  if (element.name == "CreateFolderRequest") {
    const xml::Element* folder = element.child("folder");
    const std::string name = folder != nullptr ? folder->attributeOr("name", "") : std::string();
    const std::string parent = folder != nullptr ? folder->attributeOr("l", "1") : std::string("1");
    writer.open("CreateFolderResponse", {{"xmlns", std::string(kMailNamespace)}});
    writer.empty("folder", {{"id", nextId()}, {"name", name}, {"l", parent}, {"view", "appointment"}}).close();
    return answer(writer.text());
  }
  if (element.name == "GetAppointmentRequest") {
    return fault("mail.NO_SUCH_APPT", "dry run: nothing exists on the server");
  }
  if (element.name == "SetAppointmentRequest") {
    const std::string item = nextId();
    const std::string invite = nextId();
    writer.open("SetAppointmentResponse", {{"xmlns", std::string(kMailNamespace)}, {"calItemId", item}});
    writer.empty("default", {{"id", invite}}).close();
    return answer(writer.text());
  }
  // Contacts, lists and tasks: made with new ids; look-ups find nothing.
  if (element.name == "CreateContactRequest") {
    const xml::Element* contact = element.child("cn");
    const std::string folder = contact != nullptr ? contact->attributeOr("l", "7") : std::string("7");
    writer.open("CreateContactResponse", {{"xmlns", std::string(kMailNamespace)}});
    writer.empty("cn", {{"id", nextId()}, {"l", folder}}).close();
    return answer(writer.text());
  }
  if (element.name == "GetContactsRequest") {
    writer.empty("GetContactsResponse", {{"xmlns", std::string(kMailNamespace)}});
    return answer(writer.text());
  }
  if (element.name == "SetTaskRequest") {
    const std::string item = nextId();
    const std::string invite = nextId();
    writer.open("SetTaskResponse", {{"xmlns", std::string(kMailNamespace)}, {"calItemId", item}});
    writer.empty("default", {{"id", invite}}).close();
    return answer(writer.text());
  }
  if (element.name == "GetTaskRequest") {
    return fault("mail.NO_SUCH_TASK", "dry run: nothing exists on the server");
  }
  if (element.name == "SearchRequest") {
    writer.empty("SearchResponse", {{"xmlns", std::string(kMailNamespace)}, {"offset", "0"}, {"more", "0"}});
    return answer(writer.text());
  }
  // Mail rules and preferences: the account has none yet; changes are accepted.
  if (element.name == "GetFilterRulesRequest") {
    writer.open("GetFilterRulesResponse", {{"xmlns", std::string(kMailNamespace)}});
    writer.empty("filterRules").close();
    return answer(writer.text());
  }
  if (element.name == "ModifyFilterRulesRequest") {
    writer.empty("ModifyFilterRulesResponse", {{"xmlns", std::string(kMailNamespace)}});
    return answer(writer.text());
  }
  if (element.name == "GetPrefsRequest") {
    writer.empty("GetPrefsResponse", {{"xmlns", std::string(kAccountNamespace)}});
    return answer(writer.text());
  }
  if (element.name == "ModifyPrefsRequest") {
    writer.empty("ModifyPrefsResponse", {{"xmlns", std::string(kAccountNamespace)}});
    return answer(writer.text());
  }
  return fault("service.UNKNOWN_DOCUMENT", "dry run: no answer for " + element.name);
}

}  // namespace m2z::zimbra
