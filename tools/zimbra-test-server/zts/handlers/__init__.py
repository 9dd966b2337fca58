"""SOAP request handlers; importing this package registers them with the dispatcher."""

from . import account, admin, folders, calendar, search  # noqa: F401 - for their @handler registrations
