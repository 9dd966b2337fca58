"""Accounts, domains, passwords and auth tokens (what Zimbra keeps in LDAP and its token cache)."""

from __future__ import annotations

import dataclasses
import secrets
import threading
import time
import uuid
from typing import Dict, List, Optional

from . import soap
from .mailbox import Mailbox

# Zimbra's defaults: zimbraAdminAuthTokenLifetime 12h, zimbraAuthTokenLifetime 2d.
ADMIN_TOKEN_LIFETIME_MS = 12 * 3600 * 1000
USER_TOKEN_LIFETIME_MS = 2 * 24 * 3600 * 1000
DELEGATED_TOKEN_DEFAULT_SECONDS = 3600  # soap-admin.txt: DelegateAuth "defaults to 1 hour"


@dataclasses.dataclass
class Account:
    id: str
    name: str
    password: Optional[str]
    is_admin: bool
    mailbox: Mailbox
    attrs: Dict[str, List[str]] = dataclasses.field(default_factory=dict)


@dataclasses.dataclass
class AuthToken:
    value: str
    account_id: str
    is_admin: bool            # an admin token may act for other accounts and call urn:zimbraAdmin
    expires_at_ms: int
    delegated_by: Optional[str] = None   # admin account id for DelegateAuth tokens
    revoked: bool = False                # set by the test control "expire_tokens"

    def lifetime_left_ms(self) -> int:
        return max(0, self.expires_at_ms - now_ms())


def now_ms() -> int:
    return int(time.time() * 1000)


class Directory:
    """Thread-safe account and token store for one server instance."""

    def __init__(self, mail_host: str):
        self.mail_host = mail_host
        self._lock = threading.RLock()
        self._accounts_by_id: Dict[str, Account] = {}
        self._accounts_by_name: Dict[str, Account] = {}  # lower-cased: names are case-insensitive
        self._domains: set = set()
        self._tokens: Dict[str, AuthToken] = {}

    # ---- accounts ------------------------------------------------------------------------
    def add_domain(self, domain: str) -> None:
        with self._lock:
            self._domains.add(domain.lower())

    def domains(self) -> List[str]:
        with self._lock:
            return sorted(self._domains)

    def create_account(self, name: str, password: Optional[str], is_admin: bool = False,
                       attrs: Optional[Dict[str, List[str]]] = None) -> Account:
        local, at, domain = name.rpartition("@")
        if not at or not local or not domain:
            raise soap.invalid_request(f"invalid account name (must be user@domain): {name}")
        with self._lock:
            if domain.lower() not in self._domains:
                raise soap.no_such_domain(domain)
            if name.lower() in self._accounts_by_name:
                raise soap.account_exists(name)
            account_id = str(uuid.uuid4())
            account = Account(account_id, name.lower(), password, is_admin, Mailbox(account_id),
                              {k: list(v) for k, v in (attrs or {}).items()})
            account.attrs.setdefault("zimbraMailHost", [self.mail_host])
            account.attrs.setdefault("zimbraAccountStatus", ["active"])
            self._accounts_by_id[account_id] = account
            self._accounts_by_name[account.name] = account
            return account

    def find(self, by: str, value: str) -> Optional[Account]:
        with self._lock:
            if by == "id":
                return self._accounts_by_id.get(value)
            if by == "name":
                return self._accounts_by_name.get((value or "").lower())
            return None

    def by_id(self, account_id: str) -> Optional[Account]:
        with self._lock:
            return self._accounts_by_id.get(account_id)

    def accounts(self) -> List[Account]:
        with self._lock:
            return list(self._accounts_by_id.values())

    def authenticate(self, name: str, password: Optional[str], need_admin: bool) -> Account:
        """The account if the password matches; account.AUTH_FAILED otherwise (also for unknown
        names, so a caller cannot probe which accounts exist)."""
        account = self.find("name", name)
        if (account is None or account.password is None or password is None
                or not secrets.compare_digest(account.password.encode(), password.encode())
                or (need_admin and not account.is_admin)):
            raise soap.auth_failed(name)
        return account

    # ---- tokens --------------------------------------------------------------------------
    def issue_token(self, account: Account, is_admin: bool, lifetime_ms: int,
                    delegated_by: Optional[str] = None) -> AuthToken:
        # Opaque like Zimbra's "0_<hmac>_<data>" tokens; clients must not parse them.
        value = f"0_{secrets.token_hex(20)}_{account.id.replace('-', '')}"
        token = AuthToken(value, account.id, is_admin, now_ms() + lifetime_ms, delegated_by)
        with self._lock:
            self._tokens[value] = token
        return token

    def resolve_token(self, value: Optional[str]) -> AuthToken:
        """The live token, or service.AUTH_REQUIRED (absent/unknown) / AUTH_EXPIRED."""
        if not value:
            raise soap.auth_required()
        with self._lock:
            token = self._tokens.get(value)
        if token is None:
            raise soap.auth_required()
        if token.revoked or token.expires_at_ms <= now_ms():
            raise soap.auth_expired()
        return token

    def expire_all_tokens(self) -> int:
        with self._lock:
            for token in self._tokens.values():
                token.revoked = True
            return len(self._tokens)
