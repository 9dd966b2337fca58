"""Zimbra's FileUploadServlet (/service/upload) and the uploads it keeps until a request uses them.

As in Zimbra: the raw request body is the file (Content-Type and Content-Disposition's filename
describe it); the auth token comes from the ZM_ADMIN_AUTH_TOKEN cookie on the admin port or
ZM_AUTH_TOKEN on the user port (this server takes either); an upload belongs to the account of
that token, and a SOAP request finds it by the aid only when its own auth token is of the same
account (FileUploadServlet.fetchUpload checks the owner).  A body over the limit
(zimbraFileUploadMaxSize, 10 MB by default; ZTS_UPLOAD_MAX_BYTES for tests) is refused with 413.
The answer for fmt=raw is `200,'null','<aid>'`, for fmt=raw,extended
`200,'null',[{"aid":"..","ct":"..","filename":"..","s":N}]`; a failure is `<status>,'null'`.
An upload is consumed by the request that uses it; an unknown aid is mail.NO_SUCH_UPLOAD.
"""

from __future__ import annotations

import dataclasses
import hashlib
import http.cookies
import json
import os
import re
import threading
import time
import urllib.parse
import uuid
from typing import Dict, Optional, Tuple

from .soap import ZimbraFault

UPLOAD_PATH = "/service/upload"
DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024


@dataclasses.dataclass
class Upload:
    aid: str
    owner_id: str
    filename: str
    content_type: str
    data: bytes

    def as_json(self) -> dict:
        return {"name": self.filename, "contentType": self.content_type, "size": len(self.data),
                "sha256": hashlib.sha256(self.data).hexdigest()}


def no_such_upload(aid: str) -> ZimbraFault:
    return ZimbraFault("mail.NO_SUCH_UPLOAD", f"upload not found: {aid}", [("uploadId", "STR", aid)])


class UploadStore:
    def __init__(self):
        self.lock = threading.Lock()
        self._uploads: Dict[str, Upload] = {}
        self.max_bytes = int(os.environ.get("ZTS_UPLOAD_MAX_BYTES") or DEFAULT_MAX_UPLOAD_BYTES)

    def add(self, owner_id: str, filename: str, content_type: str, data: bytes) -> Upload:
        # Zimbra's aids are "<uuid>:<uuid>"; the form does not matter to clients.
        upload = Upload(f"{uuid.uuid4()}:{uuid.uuid4()}", owner_id, filename, content_type, data)
        with self.lock:
            self._uploads[upload.aid] = upload
        return upload

    def take(self, owner_id: str, aid: str) -> Upload:
        """The upload, removed from the store; mail.NO_SUCH_UPLOAD if unknown or someone else's."""
        with self.lock:
            upload = self._uploads.get(aid)
            if upload is None or upload.owner_id != owner_id:
                raise no_such_upload(aid)
            del self._uploads[aid]
            return upload

    def pending(self) -> int:
        with self.lock:
            return len(self._uploads)


def _token_from_cookies(cookie_header: Optional[str]) -> Optional[str]:
    if not cookie_header:
        return None
    cookies = http.cookies.SimpleCookie()
    try:
        cookies.load(cookie_header)
    except http.cookies.CookieError:
        return None
    for name in ("ZM_ADMIN_AUTH_TOKEN", "ZM_AUTH_TOKEN"):
        if name in cookies:
            return cookies[name].value
    return None


_FILENAME = re.compile(r'filename=(?:"((?:[^"\\]|\\.)*)"|([^;]+))', re.IGNORECASE)
_EXTENDED_FILENAME = re.compile(r"filename\*=([^;]+)", re.IGNORECASE)


def _filename(disposition: Optional[str]) -> str:
    """filename* (RFC 5987: charset''percent-encoded) when given, else filename."""
    extended = _EXTENDED_FILENAME.search(disposition or "")
    if extended:
        charset, _, encoded = extended.group(1).strip().partition("''")
        try:
            return urllib.parse.unquote(encoded, encoding=charset or "utf-8", errors="strict")
        except (LookupError, UnicodeDecodeError):
            pass
    match = _FILENAME.search(disposition or "")
    if not match:
        return ""
    if match.group(1) is not None:
        return re.sub(r"\\(.)", r"\1", match.group(1))
    return match.group(2).strip()


def handle_upload(state, query: str, headers, body: Optional[bytes]) -> Tuple[int, bytes]:
    """The servlet: (HTTP status, answer body), logged in the request log as "FileUpload"."""
    status, answer, account, injected = _upload(state, query, headers, body)
    state.control.log_request(name="FileUpload", namespace="", endpoint=UPLOAD_PATH, account=account,
                              fault=None if status == 200 else f"http {status}", http_status=status,
                              injected=injected)
    return status, answer


def _upload(state, query: str, headers, body: Optional[bytes]):
    params = urllib.parse.parse_qs(query)
    fmt = (params.get("fmt") or [""])[0]
    extended = "extended" in fmt.split(",")
    request_id = "null"

    account_name = None
    injected = None

    def answer(status: int, payload: str = ""):
        return status, (f"{status},'{request_id}'" + payload).encode("utf-8"), account_name, injected

    token_text = _token_from_cookies(headers.get("Cookie"))
    try:
        token = state.directory.resolve_token(token_text)
    except ZimbraFault:
        return answer(401)
    account = state.directory.by_id(token.account_id)
    if account is None:
        return answer(401)
    account_name = account.name
    # Injected faults (control.py) for request "FileUpload": an HTTP status, or a delay.
    rule = state.control.take_fault("FileUpload", account_name, after_commit=False)
    if rule is not None and rule.kind == "http_status":
        injected = rule.kind
        return answer(rule.status)
    if rule is not None and rule.kind == "delay":
        time.sleep(max(rule.ms, 0) / 1000.0)
    store = state.uploads
    if body is None or len(body) > store.max_bytes:
        return answer(413)
    content_type = (headers.get("Content-Type") or "application/octet-stream").split(";")[0].strip()
    upload = store.add(account.id, _filename(headers.get("Content-Disposition")), content_type, body)
    if extended:
        listing = [{"aid": upload.aid, "ct": upload.content_type, "filename": upload.filename,
                    "s": len(upload.data)}]
        return answer(200, "," + json.dumps(listing, separators=(",", ":")))
    return answer(200, f",'{upload.aid}'")
