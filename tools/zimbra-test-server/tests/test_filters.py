"""Filter rules: Get/ModifyFilterRules replace-the-set semantics, verbatim storage, seeding."""

import unittest

from support import USER, USER1, USER2, ServerTestCase

MAIL = 'xmlns="urn:zimbraMail"'
RULE_A = ('<filterRule name="From boss" active="1"><filterTests condition="anyof">'
          '<addressTest index="0" header="from" part="all" stringComparison="contains" value="boss@x.org"/>'
          '</filterTests><filterActions><actionFlag index="0" flagName="flagged"/>'
          '<actionStop index="1"/></filterActions></filterRule>')
RULE_B = ('<filterRule name="Big" active="0"><filterTests condition="allof">'
          '<sizeTest index="0" numberComparison="over" s="1048575"/></filterTests>'
          '<filterActions><actionFileInto index="0" folderPath="/Big"/></filterActions></filterRule>')


def modify(rules):
    return f'<ModifyFilterRulesRequest {MAIL}><filterRules>{"".join(rules)}</filterRules></ModifyFilterRulesRequest>'


def in_mail_ns(rule):
    return rule.replace("<filterRule ", f"<filterRule {MAIL} ", 1)


class FilterRulesTest(ServerTestCase):
    def setUp(self):
        super().setUp()
        self.token = self.server.user_token()

    def rules(self, reply):
        return [r.get("name") for r in reply.xpath("//mail:filterRules/mail:filterRule")]

    def test_new_account_has_no_rules(self):
        reply = self.server.soap(USER, f"<GetFilterRulesRequest {MAIL}/>", self.token)
        self.assertOk(reply, "GetFilterRulesResponse")
        self.assertEqual(self.rules(reply), [])
        self.assertEqual(self.server.state(USER1)["filterRules"], [])

    def test_modify_replaces_the_whole_set_in_order(self):
        self.assertOk(self.server.soap(USER, modify([RULE_A, RULE_B]), self.token), "ModifyFilterRulesResponse")
        reply = self.server.soap(USER, f"<GetFilterRulesRequest {MAIL}/>", self.token)
        self.assertEqual(self.rules(reply), ["From boss", "Big"])
        self.assertOk(self.server.soap(USER, modify([RULE_B]), self.token), "ModifyFilterRulesResponse")
        reply = self.server.soap(USER, f"<GetFilterRulesRequest {MAIL}/>", self.token)
        self.assertEqual(self.rules(reply), ["Big"])
        # Stored verbatim (whitespace-only text dropped), in the mail namespace.
        self.assertEqual(self.server.state(USER1)["filterRules"], [in_mail_ns(RULE_B)])
        self.assertEqual(self.server.state(USER2)["filterRules"], [])

    def test_pretty_printed_rule_is_stored_like_the_compact_one(self):
        pretty = RULE_B.replace("><", ">\n  <")
        self.assertOk(self.server.soap(USER, modify([pretty]), self.token), "ModifyFilterRulesResponse")
        self.assertEqual(self.server.state(USER1)["filterRules"], [in_mail_ns(RULE_B)])

    def test_schema_invalid_rule_is_refused(self):
        # filterRule requires @active (zimbraMail.xsd); nothing is stored.
        reply = self.server.soap(USER, modify([RULE_A.replace(' active="1"', "")]), self.token)
        self.assertFault(reply, "service.INVALID_REQUEST")
        self.assertEqual(self.server.state(USER1)["filterRules"], [])

    def test_admin_acting_for_account(self):
        admin = self.server.admin_token()
        reply = self.server.soap("/service/admin/soap", modify([RULE_A]), admin, account=USER2)
        self.assertOk(reply, "ModifyFilterRulesResponse")
        self.assertEqual(self.server.state(USER2)["filterRules"], [in_mail_ns(RULE_A)])

    def test_seeded_rules_are_returned(self):
        status, body = self.server.control({"mail_settings": {"account": USER1, "filterRules": [in_mail_ns(RULE_A)]}})
        self.assertEqual(status, 200, body)
        reply = self.server.soap(USER, f"<GetFilterRulesRequest {MAIL}/>", self.token)
        self.assertEqual(self.rules(reply), ["From boss"])
        status, _ = self.server.control({"mail_settings": {"account": USER1, "filterRules": [RULE_A]}})
        self.assertEqual(status, 400)  # not in urn:zimbraMail

    def test_outgoing_rules_are_separate(self):
        body = modify([RULE_B]).replace("ModifyFilterRules", "ModifyOutgoingFilterRules")
        self.assertOk(self.server.soap(USER, body, self.token), "ModifyOutgoingFilterRulesResponse")
        state = self.server.state(USER1)
        self.assertEqual((state["filterRules"], state["outgoingFilterRules"]), ([], [in_mail_ns(RULE_B)]))


if __name__ == "__main__":
    unittest.main()
