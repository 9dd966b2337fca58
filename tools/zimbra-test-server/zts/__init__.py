"""Zimbra SOAP test server: a small, schema-checked stand-in for a Zimbra mailbox server.

The package is laid out like the server it imitates:
  schemas    - loads Zimbra's XSDs (offline) and describes their content models
  lenient    - the documented list of ways the real server parses more loosely than the XSDs
  soap       - SOAP 1.1/1.2 envelopes, Zimbra's header context and fault format
  directory  - accounts, passwords and auth tokens
  mailbox    - folders and calendar items of one account
  calendar   - invites, time zones, recurrence, and their XML/JSON renderings
  handlers   - one function per SOAP request
  dispatcher - the request pipeline (auth, target account, validation, handler)
  control    - the /test/* JSON API: read-back and fault injection
  http       - the threaded HTTP(S) server tying it together
"""
