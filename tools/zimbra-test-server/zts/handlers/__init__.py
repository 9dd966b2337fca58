"""SOAP request handlers; importing this package registers them with the dispatcher."""

from . import account, admin, folders, calendar, search, contacts, tasks, filters, prefs  # noqa: F401 - for their @handler registrations
