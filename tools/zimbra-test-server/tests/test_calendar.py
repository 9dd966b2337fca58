"""SetAppointment / GetAppointment / GetApptSummaries behave as soap-calendar.txt describes."""

import unittest

import soap_bodies as body
from support import ADMIN, USER, USER1, ServerTestCase

# 2024-03-11 09:00 in Berlin (CET, UTC+1) is 08:00 UTC.
START_UTC_MS = 1710144000000
HOUR_MS = 3600 * 1000
DAY_MS = 24 * HOUR_MS


class SetAppointmentTest(ServerTestCase):
    def setUp(self):
        super().setUp()
        self.token = self.server.user_token()

    def set(self, xml, token=None, account=None):
        return self.server.soap(USER, xml, token or self.token, account)

    def test_set_then_get_by_id_and_uid_returns_the_invite(self):
        reply = self.set(body.set_appointment())
        self.assertOk(reply, "SetAppointmentResponse")
        item_id = reply.response.get("calItemId")
        self.assertEqual(item_id, "257")  # first user item of a new mailbox
        self.assertEqual(reply.response.get("apptId"), item_id)
        self.assertIsNotNone(reply.first("//mail:SetAppointmentResponse/mail:default[@id]"))

        for attribute in (f'id="{item_id}"', 'uid="m2z-uid-0001"'):
            got = self.server.soap(USER, f'<GetAppointmentRequest xmlns="urn:zimbraMail" {attribute}/>',
                                   self.token)
            self.assertOk(got, "GetAppointmentResponse")
            appt = got.first("//mail:appt")
            self.assertEqual(appt.get("uid"), "m2z-uid-0001")
            self.assertEqual(appt.get("l"), "10")
            comp = got.first("//mail:appt/mail:inv/mail:comp")
            self.assertEqual(comp.get("name"), "Team meeting")
            self.assertEqual(comp.get("loc"), "Room 1")
            self.assertEqual(got.first("//mail:comp/mail:s").get("d"), "20240311T090000")
            self.assertEqual(got.first("//mail:comp/mail:s").get("u"), str(START_UTC_MS))
            self.assertEqual(got.first("//mail:comp/mail:or").get("url"), USER1)
            self.assertEqual(got.first("//mail:comp/mail:at").get("a"), "bob@example.com")
            self.assertEqual(got.first("//mail:inv/mail:tz").get("id"), body.BERLIN_TZ_ID)

    def test_state_reports_the_parsed_default_invite(self):
        self.assertOk(self.set(body.set_appointment()), "SetAppointmentResponse")
        state = self.server.state(USER1)
        [appt] = state["appointments"]
        self.assertEqual((appt["id"], appt["folderId"], appt["folderPath"], appt["uid"]),
                         (257, 10, "/Calendar", "m2z-uid-0001"))
        invite = appt["default"]
        self.assertEqual(invite["name"], "Team meeting")
        self.assertEqual(invite["loc"], "Room 1")
        self.assertEqual((invite["allDay"], invite["fb"], invite["transp"], invite["class"],
                          invite["status"]), (False, "B", "O", "PUB", "CONF"))
        self.assertEqual(invite["s"], {"d": "20240311T090000", "tz": body.BERLIN_TZ_ID,
                                       "utcMillis": START_UTC_MS})
        self.assertEqual(invite["e"]["utcMillis"], START_UTC_MS + HOUR_MS)
        [tz] = invite["tz"]
        self.assertEqual((tz["id"], tz["stdoff"], tz["dayoff"]), (body.BERLIN_TZ_ID, 60, 120))
        self.assertEqual(tz["standard"], {"mon": 10, "week": -1, "wkday": 1, "hour": 3, "min": 0, "sec": 0})
        self.assertEqual(tz["daylight"]["mon"], 3)
        self.assertEqual(invite["organizer"], {"a": USER1, "d": "User One"})
        self.assertEqual(invite["attendees"], [{"a": "bob@example.com", "d": "Bob", "role": "REQ",
                                                "ptst": "NE", "rsvp": "1"}])
        self.assertEqual(invite["alarms"][0]["action"], "DISPLAY")
        self.assertEqual(invite["alarms"][0]["relMinutes"], -15)
        self.assertEqual(invite["alarms"][0]["related"], "START")
        self.assertEqual(invite["categories"], ["Work"])
        self.assertEqual(invite["description"], "Agenda: budget")
        self.assertEqual((appt["exceptionsCount"], appt["cancelsCount"]), (0, 0))
        self.assertIn('su="Team meeting"', invite["rawMessageXml"])

    def test_all_day_appointment(self):
        self.assertOk(self.set(body.all_day_appointment()), "SetAppointmentResponse")
        invite = self.server.state(USER1)["appointments"][0]["default"]
        self.assertTrue(invite["allDay"])
        self.assertEqual(invite["s"], {"d": "20240312", "tz": None})
        # Zimbra's all-day end date is inclusive: s == e is one day.
        self.assertEqual(invite["durationMillis"], DAY_MS)

    def test_same_uid_replaces_the_item_and_keeps_its_id(self):
        first = self.set(body.set_appointment(name="Old"))
        second = self.set(body.set_appointment(name="New", start="20240312T090000",
                                               end="20240312T100000"))
        self.assertEqual(first.response.get("calItemId"), second.response.get("calItemId"))
        [appt] = self.server.state(USER1)["appointments"]
        self.assertEqual(appt["default"]["name"], "New")
        self.assertEqual(appt["default"]["s"]["d"], "20240312T090000")

    def test_uid_of_255_bytes_is_stored_256_is_a_failure(self):
        self.assertOk(self.set(body.set_appointment(uid="u" * 255)), "SetAppointmentResponse")
        self.assertFault(self.set(body.set_appointment(uid="v" * 256)), "service.FAILURE",
                         sender=False)
        # The limit is in UTF-8 bytes: 128 two-byte characters are 256 bytes.
        self.assertFault(self.set(body.set_appointment(uid="é" * 128)), "service.FAILURE",
                         sender=False)
        self.assertEqual(len(self.server.state(USER1)["appointments"]), 1)

    def test_time_without_zulu_or_tz_is_invalid(self):
        reply = self.set(body.set_appointment(tz=None, tz_definition=""))
        self.assertFault(reply, "service.INVALID_REQUEST")
        self.assertIn("20240311T090000", reply.fault_reason)

    def test_utc_times_need_no_tz(self):
        reply = self.set(body.set_appointment(start="20240311T080000Z", end="20240311T090000Z",
                                              tz=None, tz_definition=""))
        self.assertOk(reply, "SetAppointmentResponse")
        invite = self.server.state(USER1)["appointments"][0]["default"]
        self.assertEqual(invite["s"]["utcMillis"], START_UTC_MS)

    def test_unknown_tz_is_invalid_and_well_known_ones_resolve(self):
        reply = self.set(body.set_appointment(tz="Mars/Olympus_Mons", tz_definition=""))
        self.assertFault(reply, "service.INVALID_REQUEST")
        self.assertIn("Mars/Olympus_Mons", reply.fault_reason)
        # An Olson id and a Zimbra alias from the server's timezones.ics need no <tz>.
        for uid, tz in (("olson", "Europe/Berlin"),
                        ("alias", "(GMT+01.00) Amsterdam / Berlin / Bern / Rome / Stockholm / Vienna")):
            reply = self.set(body.set_appointment(uid=uid, tz=tz, tz_definition=""))
            self.assertOk(reply, "SetAppointmentResponse")
        got = self.server.soap(USER, '<GetAppointmentRequest xmlns="urn:zimbraMail" uid="alias"/>',
                               self.token)
        # The server answers with the zone's canonical id and its definition.
        self.assertEqual(got.first("//mail:comp/mail:s").get("tz"), "Europe/Berlin")
        self.assertEqual(got.first("//mail:comp/mail:s").get("u"), str(START_UTC_MS))
        self.assertEqual(got.first("//mail:inv/mail:tz").get("id"), "Europe/Berlin")

    def test_missing_folder_and_missing_appointment(self):
        self.assertFault(self.set(body.set_appointment(folder="999")), "mail.NO_SUCH_FOLDER")
        reply = self.server.soap(USER, '<GetAppointmentRequest xmlns="urn:zimbraMail" id="4242"/>',
                                 self.token)
        self.assertFault(reply, "mail.NO_SUCH_APPT")
        reply = self.server.soap(USER, '<GetAppointmentRequest xmlns="urn:zimbraMail" uid="nope"/>',
                                 self.token)
        self.assertFault(reply, "mail.NO_SUCH_APPT")

    def test_appointment_goes_into_a_created_folder(self):
        created = self.server.soap(USER, body.create_folder("Imported"), self.token)
        folder_id = created.first("//mail:folder").get("id")
        self.assertOk(self.set(body.set_appointment(folder=folder_id)), "SetAppointmentResponse")
        [appt] = self.server.state(USER1)["appointments"]
        self.assertEqual((appt["folderId"], appt["folderPath"]), (257, "/Imported"))
        self.assertEqual(appt["id"], 258)

    def test_admin_acting_for_a_user_gets_qualified_ids(self):
        admin = self.server.admin_token()
        reply = self.server.soap(ADMIN, body.set_appointment(), admin, account=USER1)
        self.assertOk(reply, "SetAppointmentResponse")
        account_id = self.server.state(USER1)["account"]["id"]
        self.assertEqual(reply.response.get("calItemId"), f"{account_id}:257")
        got = self.server.soap(ADMIN, f'<GetAppointmentRequest xmlns="urn:zimbraMail" '
                                      f'id="{account_id}:257"/>', admin, account=USER1)
        self.assertOk(got, "GetAppointmentResponse")


class SummariesTest(ServerTestCase):
    def setUp(self):
        super().setUp()
        self.token = self.server.user_token()

    def summaries(self, start_ms, end_ms):
        reply = self.server.soap(USER, f'<GetApptSummariesRequest xmlns="urn:zimbraMail" '
                                       f's="{start_ms}" e="{end_ms}"/>', self.token)
        self.assertOk(reply, "GetApptSummariesResponse")
        return reply

    def test_single_instance_in_window(self):
        self.server.soap(USER, body.set_appointment(), self.token)
        reply = self.summaries(START_UTC_MS - DAY_MS, START_UTC_MS + DAY_MS)
        appt = reply.first("//mail:appt")
        self.assertEqual(appt.get("d"), str(HOUR_MS))   # default duration
        self.assertEqual([i.get("s") for i in reply.xpath("//mail:inst")], [str(START_UTC_MS)])
        self.assertEqual(self.summaries(START_UTC_MS + DAY_MS, START_UTC_MS + 2 * DAY_MS)
                         .xpath("//mail:appt"), [])

    def test_daily_series_with_exception_and_cancellation(self):
        uid = "series-1"
        xml = body.set_appointment(
            uid=uid, recur=body.daily_recurrence(4),
            except_xml=body.instance_invite("except", uid, "20240312T090000",
                                            "20240312T110000", "20240312T120000"),
            cancel_xml=body.instance_invite("cancel", uid, "20240313T090000",
                                            "20240313T090000", "20240313T100000"))
        self.assertOk(self.server.soap(USER, xml, self.token), "SetAppointmentResponse")
        reply = self.summaries(START_UTC_MS - DAY_MS, START_UTC_MS + 10 * DAY_MS)
        starts = [int(i.get("s")) for i in reply.xpath("//mail:inst")]
        self.assertEqual(starts, [START_UTC_MS,                      # 11th as planned
                                  START_UTC_MS + DAY_MS + 2 * HOUR_MS,  # 12th moved to 11:00
                                  START_UTC_MS + 3 * DAY_MS])        # 13th cancelled, 14th last
        state = self.server.state(USER1)["appointments"][0]
        self.assertEqual((state["exceptionsCount"], state["cancelsCount"]), (1, 1))
        self.assertEqual(state["default"]["recurrence"]["add"][0]["count"], 4)

    def test_daily_series_keeps_wall_clock_time_across_dst(self):
        # Berlin switches to CEST on 2024-03-31: 09:00 local is 08:00 UTC before, 07:00 after.
        xml = body.set_appointment(uid="dst", start="20240330T090000", end="20240330T093000",
                                   recur=body.daily_recurrence(2))
        self.server.soap(USER, xml, self.token)
        reply = self.summaries(1711756800000 - DAY_MS, 1711756800000 + 3 * DAY_MS)
        starts = [int(i.get("s")) for i in reply.xpath("//mail:inst")]
        self.assertEqual(starts, [1711785600000, 1711868400000])

    def test_invalid_window(self):
        reply = self.server.soap(USER, '<GetApptSummariesRequest xmlns="urn:zimbraMail" s="soon" e="1"/>',
                                 self.token)
        self.assertFault(reply, "service.INVALID_REQUEST")

    def test_search_finds_appointments_by_subject_and_folder(self):
        self.server.soap(USER, body.set_appointment(), self.token)
        reply = self.server.soap(USER, '<SearchRequest xmlns="urn:zimbraMail" types="appointment" '
                                       f'calExpandInstStart="{START_UTC_MS - DAY_MS}" '
                                       f'calExpandInstEnd="{START_UTC_MS + DAY_MS}">'
                                       '<query>in:Calendar meeting</query></SearchRequest>', self.token)
        self.assertOk(reply, "SearchResponse")
        appt = reply.first("//mail:SearchResponse/mail:appt")
        self.assertEqual(appt.get("dur"), str(HOUR_MS))
        self.assertEqual(reply.first("//mail:appt/mail:inst").get("s"), str(START_UTC_MS))
        reply = self.server.soap(USER, '<SearchRequest xmlns="urn:zimbraMail" types="appointment">'
                                       '<query>nothing-like-this</query></SearchRequest>', self.token)
        self.assertEqual(reply.xpath("//mail:appt"), [])


if __name__ == "__main__":
    unittest.main()
