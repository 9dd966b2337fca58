// Appointments, zones and a scripted transport shared by the zimbra tests.
#pragma once

#include <deque>
#include <string>
#include <vector>

#include "model/appointment.h"
#include "zimbra/exchange.h"
#include "zimbra/transport.h"

namespace m2z::zimbra::testing {

// Europe/Berlin as a single-rule zone: CET = UTC+1 (stdoff 60), CEST = UTC+2 (dayoff 120);
// EU rule since 1996: summer time from the last Sunday of March at 02:00 local standard time
// to the last Sunday of October at 03:00 local summer time. Weekday 1 = Sunday, week -1 = last.
inline model::SingleRuleZone berlin() {
  model::SingleRuleZone zone;
  zone.id = "Europe/Berlin";
  zone.standard_offset_minutes = 60;
  zone.daylight_offset_minutes = 120;
  zone.to_standard = model::TransitionRule{10, -1, 1, 3, 0, 0};
  zone.to_daylight = model::TransitionRule{3, -1, 1, 2, 0, 0};
  return zone;
}

// Asia/Tokyo: UTC+9 all year, no DST.
inline model::SingleRuleZone tokyo() {
  model::SingleRuleZone zone;
  zone.id = "Asia/Tokyo";
  zone.standard_offset_minutes = 540;
  return zone;
}

inline model::LocalDateTime at(int y, int mo, int d, int h, int mi) {
  return model::LocalDateTime{model::CivilDate{y, mo, d}, h, mi, 0};
}

// A one-hour meeting on Saturday 2014-11-01 09:00-10:00 Berlin time (CET, after the October
// change), organised by Alice, with Bob (accepted) and a room.
inline model::Appointment timedMeeting() {
  model::Appointment a;
  a.provenance = model::Provenance{"/data/alice.pst", "/Calendar", "2097188"};
  a.message_class = "IPM.Appointment";
  a.uid = "040000008200E00074C5B7101A82E00800000000";
  a.uid_origin = model::UidOrigin::kGlobalObjectIdHex;
  a.subject = "Team meeting";
  a.location = "Room 1";
  a.body = "Agenda:\n1. Budget";
  a.organizer = model::Person{"Alice", "alice@example.com", "SMTP"};
  a.attendees = {
      model::Attendee{model::Person{"Bob", "bob@example.com", "SMTP"}, model::AttendeeRole::kRequired,
                      model::ResponseStatus::kAccepted},
      model::Attendee{model::Person{"Room 1", "room1@example.com", "SMTP"}, model::AttendeeRole::kResource,
                      model::ResponseStatus::kNone},
  };
  a.reminder_minutes_before = 15;
  a.busy_status = model::BusyStatus::kBusy;
  a.sensitivity = model::Sensitivity::kNormal;
  a.categories = {"Work"};
  a.is_meeting = true;
  model::ResolvedTimes times;
  times.zone = berlin();
  times.how_resolved = "tzdefinition:W. Europe Standard Time";
  times.start_local = at(2014, 11, 1, 9, 0);
  times.end_local = at(2014, 11, 1, 10, 0);
  a.resolved = times;
  return a;
}

// An all-day event covering 2014-11-01 only (Outlook: 2014-11-01 00:00 to 2014-11-02 00:00).
inline model::Appointment allDayEvent() {
  model::Appointment a;
  a.provenance = model::Provenance{"/data/alice.pst", "/Calendar", "2097220"};
  a.uid = "all-day-1";
  a.subject = "Holiday";
  a.all_day = true;
  a.busy_status = model::BusyStatus::kOutOfOffice;
  model::ResolvedTimes times;
  times.zone = berlin();
  times.first_day = model::CivilDate{2014, 11, 1};
  times.last_day = model::CivilDate{2014, 11, 1};
  a.resolved = times;
  return a;
}

// Replays canned responses in order and records what was posted.
class ScriptedTransport final : public Transport {
 public:
  struct Posted {
    std::string url;
    std::string body;
    std::vector<HttpHeader> headers;
  };

  void respond(int status, std::string body) { script_.push_back(HttpResponse{status, std::move(body), std::chrono::milliseconds(7)}); }
  void fail(Error error) { script_.push_back(std::move(error)); }

  Result<HttpResponse> post(const std::string& url, std::string_view body, const std::vector<HttpHeader>& headers) override {
    posted.push_back(Posted{url, std::string(body), headers});
    if (script_.empty()) return Error{"transport.failed", "no scripted response left", url};
    Result<HttpResponse> next = std::move(script_.front());
    script_.pop_front();
    return next;
  }

  std::vector<Posted> posted;

 private:
  std::deque<Result<HttpResponse>> script_;
};

class RecordingObserver final : public ExchangeObserver {
 public:
  void onExchange(const Exchange& exchange) override { exchanges.push_back(exchange); }
  std::vector<Exchange> exchanges;
};

inline std::string soapBody(const std::string& inner) {
  return "<soap:Envelope xmlns:soap=\"http://www.w3.org/2003/05/soap-envelope\"><soap:Header>"
         "<context xmlns=\"urn:zimbra\"/></soap:Header><soap:Body>" +
         inner + "</soap:Body></soap:Envelope>";
}

inline std::string soapFault(const std::string& code, const std::string& reason) {
  return soapBody("<soap:Fault><soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code><soap:Reason><soap:Text>" +
                  reason + "</soap:Text></soap:Reason><soap:Detail><Error xmlns=\"urn:zimbra\"><Code>" + code +
                  "</Code></Error></soap:Detail></soap:Fault>");
}

inline std::string authResponse(const std::string& token) {
  return soapBody("<AuthResponse xmlns=\"urn:zimbraAdmin\"><authToken>" + token +
                  "</authToken><lifetime>43199998</lifetime></AuthResponse>");
}

}  // namespace m2z::zimbra::testing
