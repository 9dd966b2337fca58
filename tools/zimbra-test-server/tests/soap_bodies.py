"""Request bodies that validate strictly against zcs8-2014a, as the C++ client must build them.

Element order follows the XSD sequences (which differ from the order Zimbra's prose docs use):
  <m>    : mp before inv; the subject is the attribute su (no <su> child)
  <inv>  : <comp> before <tz>; inv and comp both carry method, compNum and rsvp (required)
  <comp> : category, comment, contact, geo, at, alarm, xprop, fr, desc, descHtml, or, recur,
           exceptId, s, e|dur
  <tz>   : id, stdoff and dayoff are all required (dayoff = stdoff for zones without DST)
"""

from __future__ import annotations

from typing import Optional
from xml.sax.saxutils import quoteattr

BERLIN_TZ = ('<tz id="W. Europe Standard Time" stdoff="60" dayoff="120" stdname="CET" dayname="CEST">'
             '<standard week="-1" wkday="1" mon="10" hour="3" min="0" sec="0"/>'
             '<daylight week="-1" wkday="1" mon="3" hour="2" min="0" sec="0"/></tz>')
BERLIN_TZ_ID = "W. Europe Standard Time"


def admin_auth(name: str, password: str) -> str:
    return f'<AuthRequest xmlns="urn:zimbraAdmin" name={quoteattr(name)} password={quoteattr(password)}/>'


def create_folder(name: str, parent: Optional[str] = "1", view: Optional[str] = "appointment",
                  fie: bool = False) -> str:
    attributes = f"name={quoteattr(name)}"
    if parent is not None:
        attributes += f" l={quoteattr(parent)}"
    if view:
        attributes += f" view={quoteattr(view)}"
    if fie:
        attributes += ' fie="1"'
    return f'<CreateFolderRequest xmlns="urn:zimbraMail"><folder {attributes}/></CreateFolderRequest>'


def set_appointment(uid: str = "m2z-uid-0001", folder: str = "10", name: str = "Team meeting",
                    start: str = "20240311T090000", end: str = "20240311T100000",
                    tz: Optional[str] = BERLIN_TZ_ID, tz_definition: str = BERLIN_TZ,
                    all_day: bool = False, organizer: str = "user1@test.local",
                    recur: str = "", extra_default_children: str = "", except_xml: str = "",
                    cancel_xml: str = "") -> str:
    tz_attribute = f" tz={quoteattr(tz)}" if tz else ""
    return (
        f'<SetAppointmentRequest xmlns="urn:zimbraMail" l="{folder}">'
        f'<default ptst="AC"><m su={quoteattr(name)}>'
        f'<mp ct="text/plain" content="Agenda: budget"/>'
        f'<inv method="PUBLISH" compNum="0" rsvp="0">'
        f'<comp method="PUBLISH" compNum="0" rsvp="1" uid={quoteattr(uid)} name={quoteattr(name)} '
        f'loc="Room 1" fb="B" transp="O" class="PUB" status="CONF" allDay="{1 if all_day else 0}">'
        f'<category>Work</category>'
        f'<at a="bob@example.com" d="Bob" role="REQ" ptst="NE" rsvp="1"/>'
        f'<alarm action="DISPLAY"><trigger><rel neg="1" m="15" related="START"/></trigger>'
        f'<desc>Reminder</desc></alarm>'
        f'<desc>Agenda: budget</desc>'
        f'<or a={quoteattr(organizer)} d="User One"/>'
        f'{recur}{extra_default_children}'
        f'<s d="{start}"{tz_attribute}/><e d="{end}"{tz_attribute}/>'
        f'</comp>{tz_definition}</inv></m></default>'
        f'{except_xml}{cancel_xml}'
        f'</SetAppointmentRequest>')


def all_day_appointment(uid: str = "m2z-allday-1", day: str = "20240312") -> str:
    return set_appointment(uid=uid, name="Holiday", start=day, end=day, tz=None, tz_definition="",
                           all_day=True)


def daily_recurrence(count: int) -> str:
    return (f'<recur><add><rule freq="DAI"><count num="{count}"/><interval ival="1"/></rule>'
            f'</add></recur>')


def instance_invite(kind: str, uid: str, recurrence_id: str, start: str, end: str,
                    tz: str = BERLIN_TZ_ID) -> str:
    """An <except> or <cancel> for one instance (RECURRENCE-ID) of a series."""
    return (f'<{kind} ptst="AC"><m su="Moved">'
            f'<inv method="PUBLISH" compNum="0" rsvp="0">'
            f'<comp method="PUBLISH" compNum="0" rsvp="0" uid={quoteattr(uid)} name="Moved" seq="1">'
            f'<or a="user1@test.local"/>'
            f'<exceptId d="{recurrence_id}" tz={quoteattr(tz)}/>'
            f'<s d="{start}" tz={quoteattr(tz)}/><e d="{end}" tz={quoteattr(tz)}/>'
            f'</comp>{BERLIN_TZ}</inv></m></{kind}>')
