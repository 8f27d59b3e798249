"""Where an instance operation goes: ``AccountIds`` x ``RegionIds`` (SELF_MANAGED), or resource-directory
folders and member accounts from ``DeploymentTargets`` x ``RegionIds`` (SERVICE_MANAGED).

Folders include their sub-folders (the Root folder: every member account); each target carries the
folder it was reached through (an account named directly: its own folder) as its ``RdFolderId``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..engine.model import DeploymentTargets, PermissionModel, StackSet, Target, by_region
from ..engine.requests import ResolvedTargets
from . import resource_directory
from .call import Call
from .errors import invalid_parameter, missing_parameter, multiple_parameter
from .params import string_list

MAX_REGIONS = 20
MAX_FOLDERS = 20
_ACCOUNT = re.compile(r"^\d{1,32}$")
_REGION = re.compile(r"^[a-z]+(-[a-z0-9]+)+$")
_TARGET_KEYS = ("RdFolderIds", "AccountIds")


@dataclass(frozen=True)
class Resolved:
    targets: list[Target]
    #: What the operation records as its DeploymentTargets (SERVICE_MANAGED only).
    deployment_targets: DeploymentTargets | None
    #: Targets reached through folders (an update skips those without an instance).
    through_folders: frozenset[tuple[str, str]]

    def for_engine(self) -> ResolvedTargets:
        return ResolvedTargets(self.targets, self.deployment_targets)

    def existing_through_folders(self, stack_set: StackSet) -> Resolved:
        """An update's targets: those reached through folders only where the stack group has an instance."""
        chosen = [
            t
            for t in self.targets
            if (t.account, t.region) not in self.through_folders or stack_set.has_instance(t.account, t.region)
        ]
        return Resolved(chosen, self.deployment_targets, self.through_folders)


def regions(call: Call, *, required: bool = True) -> list[str] | None:
    found = call.params.json_strings("RegionIds", max_items=MAX_REGIONS, required=required)
    for region in found or []:
        if not _REGION.match(region):
            raise invalid_parameter("RegionIds", f"the region ({region}) is not a valid region id")
    return found


def _accounts(name: str, accounts: list[str]) -> list[str]:
    for account in accounts:
        if not _ACCOUNT.match(account):
            raise invalid_parameter(name, f"the account ({account}) is not a valid account id")
    return accounts


def resolve(call: Call, stack_set: StackSet, region_ids: list[str], *, max_accounts: int) -> Resolved:
    """The targets of the call's ``AccountIds``/``DeploymentTargets`` in ``region_ids``."""
    accounts = call.params.json_strings("AccountIds", max_items=max_accounts)
    raw_targets = call.params.json_object("DeploymentTargets")
    if stack_set.permission_model is PermissionModel.SELF_MANAGED:
        if raw_targets is not None and raw_targets.get("RdFolderIds"):
            raise invalid_parameter(
                "DeploymentTargets", "RdFolderIds can only be used with a SERVICE_MANAGED stack group"
            )
        if accounts is None and raw_targets is not None and raw_targets.get("AccountIds") is not None:
            accounts = string_list("DeploymentTargets.AccountIds", raw_targets["AccountIds"], max_items=max_accounts)
        if accounts is None:
            raise missing_parameter("AccountIds")
        _accounts("AccountIds", accounts)
        targets = by_region(region_ids, accounts)
        return Resolved(targets, None, frozenset())
    if accounts is not None and raw_targets is not None:
        raise multiple_parameter(["AccountIds", "DeploymentTargets"])
    if raw_targets is None:
        if accounts is not None:
            raise invalid_parameter("AccountIds", "a SERVICE_MANAGED stack group is deployed to DeploymentTargets")
        raise missing_parameter("DeploymentTargets")
    return _service_managed(call, raw_targets, region_ids, max_accounts)


def _service_managed(call: Call, raw: dict[str, object], region_ids: list[str], max_accounts: int) -> Resolved:
    unknown = [key for key in raw if key not in _TARGET_KEYS]
    if unknown:
        raise invalid_parameter("DeploymentTargets", f"the key {unknown[0]} is not supported")
    folder_ids = (
        string_list("DeploymentTargets.RdFolderIds", raw["RdFolderIds"], max_items=MAX_FOLDERS)
        if raw.get("RdFolderIds") is not None
        else []
    )
    accounts = (
        _accounts(
            "DeploymentTargets.AccountIds",
            string_list("DeploymentTargets.AccountIds", raw["AccountIds"], max_items=max_accounts),
        )
        if raw.get("AccountIds") is not None
        else []
    )
    if not folder_ids and not accounts:
        raise missing_parameter("DeploymentTargets.RdFolderIds")
    directory = resource_directory.for_account(call.account)
    reached: dict[str, str] = {}
    via_folder: set[str] = set()
    for folder_id in folder_ids:
        if folder_id not in directory.folders:
            raise invalid_parameter(
                "DeploymentTargets", f"the folder ({folder_id}) does not exist in the resource directory"
            )
        for member in directory.accounts_in(folder_id):
            if member.account_id not in reached:
                reached[member.account_id] = folder_id
                via_folder.add(member.account_id)
    for account in accounts:
        known = directory.accounts.get(account)
        if known is None:
            raise invalid_parameter(
                "DeploymentTargets", f"the account ({account}) is not a member of the resource directory"
            )
        if account not in reached:
            reached[account] = known.folder_id
        via_folder.discard(account)
    targets = by_region(region_ids, reached.items())
    recorded = DeploymentTargets(accounts=list(accounts) or None, organizational_unit_ids=list(folder_ids) or None)
    through = frozenset((t.account, t.region) for t in targets if t.account in via_folder)
    return Resolved(targets, recorded, through)
