"""A small runner for Zimbra's QA scripts (zimbra-soap-harness, `t:tests` XML)."""
