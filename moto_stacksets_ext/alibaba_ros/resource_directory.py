"""The Alibaba Cloud resource directory that SERVICE_MANAGED stack groups deploy into.

One ``ResourceDirectory`` per management account: a Root folder, nested folders and member
accounts, plus the trusted-access switch of ROS (Get/EnableServiceAccess). Tests set it up with the
typed API below; the state lives in a moto ``BackendDict`` so moto's reset clears it::

    from moto_stacksets_ext.alibaba_ros import resource_directory

    rd = resource_directory.for_access_key("LTAI-test")        # the directory of the caller's account
    prod = rd.add_folder("Prod")
    rd.add_account("1000000000000001", prod.folder_id)
    rd.add_account("1000000000000002")                        # in the Root folder
"""

from __future__ import annotations

import hashlib
import itertools
import re
import threading
from dataclasses import dataclass, field

from moto.core.base_backend import BackendDict, BaseBackend
from moto.core.models import DEFAULT_ACCOUNT_ID

from .accounts import calling_account

_FOLDER_ID = re.compile(r"^(fd|r)-[A-Za-z0-9]{1,32}$")
_ACCOUNT_ID = re.compile(r"^\d{1,32}$")


@dataclass(frozen=True)
class Folder:
    folder_id: str
    name: str
    parent_folder_id: str | None


@dataclass(frozen=True)
class MemberAccount:
    account_id: str
    folder_id: str
    display_name: str


@dataclass
class ResourceDirectory:
    """The resource directory of one management account."""

    management_account: str
    root_folder_id: str
    folders: dict[str, Folder] = field(default_factory=dict)
    accounts: dict[str, MemberAccount] = field(default_factory=dict)
    service_access_enabled: bool = False
    _counter: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.folders[self.root_folder_id] = Folder(self.root_folder_id, "Root", None)

    # -- set-up -----------------------------------------------------------------------------------------
    def add_folder(self, name: str, parent_folder_id: str | None = None, *, folder_id: str | None = None) -> Folder:
        """Add a folder under ``parent_folder_id`` (the Root folder by default)."""
        parent = parent_folder_id or self.root_folder_id
        if parent not in self.folders:
            raise ValueError(f"folder {parent} does not exist")
        with self._lock:
            if folder_id is None:
                digest = hashlib.sha256(f"{self.management_account}/{next(self._counter)}".encode()).hexdigest()
                folder_id = f"fd-{digest[:10]}"
            if not _FOLDER_ID.match(folder_id) or folder_id in self.folders:
                raise ValueError(f"folder id {folder_id!r} is malformed or already used")
            folder = Folder(folder_id, name, parent)
            self.folders[folder_id] = folder
        return folder

    def add_account(
        self, account_id: str, folder_id: str | None = None, *, display_name: str | None = None
    ) -> MemberAccount:
        """Add (or move) a member account into ``folder_id`` (the Root folder by default)."""
        folder = folder_id or self.root_folder_id
        if folder not in self.folders:
            raise ValueError(f"folder {folder} does not exist")
        if not _ACCOUNT_ID.match(account_id):
            raise ValueError(f"account id {account_id!r} should be digits")
        member = MemberAccount(account_id, folder, display_name or account_id)
        self.accounts[account_id] = member
        return member

    def remove_account(self, account_id: str) -> None:
        self.accounts.pop(account_id, None)

    def enable_service_access(self) -> None:
        self.service_access_enabled = True

    # -- queries ----------------------------------------------------------------------------------------
    def subtree(self, folder_id: str) -> set[str]:
        """``folder_id`` and every folder nested under it."""
        found = {folder_id}
        changed = True
        while changed:
            changed = False
            for folder in self.folders.values():
                if folder.parent_folder_id in found and folder.folder_id not in found:
                    found.add(folder.folder_id)
                    changed = True
        return found

    def accounts_in(self, folder_id: str) -> list[MemberAccount]:
        """Member accounts of ``folder_id`` and its sub-folders (the Root folder: every member)."""
        folders = self.subtree(folder_id)
        return [member for member in self.accounts.values() if member.folder_id in folders]


class ResourceDirectoriesBackend(BaseBackend):
    """Holds every management account's directory (one instance; moto's reset replaces it)."""

    def __init__(self, region_name: str, account_id: str) -> None:
        super().__init__(region_name, account_id)
        self.directories: dict[str, ResourceDirectory] = {}
        self.lock = threading.Lock()


resource_directories_backends = BackendDict(
    ResourceDirectoriesBackend, "stacksets-alibaba-rd", use_boto3_regions=False, additional_regions=["aws"]
)


def _holder() -> ResourceDirectoriesBackend:
    backend: ResourceDirectoriesBackend = resource_directories_backends[DEFAULT_ACCOUNT_ID]["aws"]
    return backend


def root_folder_id(account_id: str) -> str:
    """The Root folder id of ``account_id``'s directory (deterministic: ``r-`` and 6 characters)."""
    return "r-" + hashlib.sha256(account_id.encode()).hexdigest()[:6]


def for_account(account_id: str) -> ResourceDirectory:
    """The resource directory managed by ``account_id`` (created, empty, on first use)."""
    holder = _holder()
    with holder.lock:
        directory = holder.directories.get(account_id)
        if directory is None:
            directory = holder.directories[account_id] = ResourceDirectory(account_id, root_folder_id(account_id))
    return directory


def for_access_key(access_key_id: str) -> ResourceDirectory:
    """The resource directory of the account that ``access_key_id`` belongs to (see ``accounts``)."""
    return for_account(calling_account(access_key_id))


def add_folder(
    account_id: str, name: str, parent_folder_id: str | None = None, *, folder_id: str | None = None
) -> Folder:
    return for_account(account_id).add_folder(name, parent_folder_id, folder_id=folder_id)


def add_account(account_id: str, member_account_id: str, folder_id: str | None = None) -> MemberAccount:
    return for_account(account_id).add_account(member_account_id, folder_id)


def enable_service_access(account_id: str) -> None:
    for_account(account_id).enable_service_access()
