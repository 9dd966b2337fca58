"""Server configuration and the shared state every request handler sees."""

from __future__ import annotations

import dataclasses
import os
from typing import List, Optional, Tuple

from .control import TestControl
from .directory import Directory
from .lenient import LenientNormaliser
from .schemas import SchemaSet
from .timezones import WellKnownZones
from .uploads import UploadStore

DEFAULT_SCHEMA_FOLDER = "zcs8-2014a"
DEFAULT_USER_PASSWORD = "test123"


def default_shared_dir() -> str:
    """$M2Z_SHARED_DIR, else <repo>/../shared (this file is <repo>/tools/zimbra-test-server/zts)."""
    configured = os.environ.get("M2Z_SHARED_DIR")
    if configured:
        return configured
    repo = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
    return os.path.join(os.path.dirname(repo), "shared")


@dataclasses.dataclass
class ServerConfig:
    admin_user: str
    admin_password: str
    accounts: List[Tuple[str, str]]          # (name, password)
    schemas_dir: str
    timezones_file: Optional[str]
    mode: str = "strict"                     # "strict" | "lenient"
    max_uid_bytes: int = 255
    mail_host: str = "localhost"


class ServerState:
    """Everything that outlives one request.  `reset()` returns it to the start-up state."""

    def __init__(self, config: ServerConfig):
        self.config = config
        self.schemas = SchemaSet(config.schemas_dir)
        self.normaliser = LenientNormaliser(self.schemas)
        self.zones = WellKnownZones.from_ics(config.timezones_file)
        self.control = TestControl()
        self.directory = self._fresh_directory()
        self.uploads = UploadStore()

    @property
    def lenient(self) -> bool:
        return self.config.mode == "lenient"

    def reset(self) -> None:
        self.directory = self._fresh_directory()
        self.uploads = UploadStore()
        self.control.reset()

    def _fresh_directory(self) -> Directory:
        directory = Directory(self.config.mail_host)
        names = [self.config.admin_user] + [name for name, _ in self.config.accounts]
        for name in names:
            directory.add_domain(name.rpartition("@")[2])
        directory.create_account(self.config.admin_user, self.config.admin_password, is_admin=True,
                                 attrs={"zimbraIsAdminAccount": ["TRUE"]})
        for name, password in self.config.accounts:
            directory.create_account(name, password)
        return directory
