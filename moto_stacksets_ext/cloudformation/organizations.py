"""AWS Organizations facts the stack-set API needs, read from moto's organizations backend.

* the organization an account belongs to (as management or member account);
* the accounts under organizational units (child OUs included) for SERVICE_MANAGED targets;
* whether an account is a delegated administrator for StackSets (``CallAs=DELEGATED_ADMIN``).
"""

from __future__ import annotations

from typing import Any

from moto.organizations.models import organizations_backends

from .. import moto_internals
from .exceptions import ValidationError

STACKSETS_SERVICE_PRINCIPAL = "member.org.stacksets.cloudformation.amazonaws.com"


def allow_stacksets_delegation() -> bool:
    """Let moto register delegated administrators for StackSets. True if this call added it."""
    supported = moto_internals.delegated_admin_services()
    if STACKSETS_SERVICE_PRINCIPAL in supported:
        return False
    supported.append(STACKSETS_SERVICE_PRINCIPAL)
    return True


def disallow_stacksets_delegation() -> None:
    supported = moto_internals.delegated_admin_services()
    if STACKSETS_SERVICE_PRINCIPAL in supported:
        supported.remove(STACKSETS_SERVICE_PRINCIPAL)


def organization_backend(account_id: str, partition: str) -> Any | None:
    """moto's organizations backend of the organization ``account_id`` belongs to, if any."""
    master = organizations_backends.master_accounts.get(account_id)
    owner, owner_partition = master if master else (account_id, partition)
    backend = organizations_backends[owner][owner_partition]
    return backend if backend.org is not None else None


def is_delegated_admin(account_id: str, partition: str) -> bool:
    backend = organization_backend(account_id, partition)
    if backend is None:
        return False
    return any(
        admin.account.id == account_id and STACKSETS_SERVICE_PRINCIPAL in admin.services for admin in backend.admins
    )


def require_organization(account_id: str, partition: str) -> Any:
    backend = organization_backend(account_id, partition)
    if backend is None:
        raise ValidationError("You must enable organizations access to operate a service managed stack set")
    return backend


def accounts_in_units(account_id: str, partition: str, unit_ids: list[str]) -> list[tuple[str, str]]:
    """(account, OU id) for every active account under each OU, child OUs included, in request order."""
    # An OU the organization does not have reaches no account (AWS is not known to reject it).
    backend = require_organization(account_id, partition)
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for unit_id in unit_ids:
        pending = [unit_id]
        while pending:
            parent = pending.pop(0)
            for account in backend.accounts:
                if account.parent_id == parent and account.id not in seen and account.status == "ACTIVE":
                    seen.add(account.id)
                    found.append((account.id, unit_id))
            pending += [unit.id for unit in backend.ou if unit.parent_id == parent]
    return found


def trusted_access(account_id: str, partition: str) -> bool | None:
    """Whether StackSets' trusted access with Organizations is on (None: the account has no organization).

    It is moto's record of the service principal's access (``enable_aws_service_access``), so
    ActivateOrganizationsAccess and Organizations' own API see the same switch.
    """
    backend = organization_backend(account_id, partition)
    if backend is None:
        return None
    return any(service.get("ServicePrincipal") == STACKSETS_SERVICE_PRINCIPAL for service in backend.services)


def set_trusted_access(account_id: str, partition: str, enabled: bool) -> bool:
    """Switch StackSets' trusted access; False if the account has no organization."""
    backend = organization_backend(account_id, partition)
    if backend is None:
        return False
    if enabled:
        backend.enable_aws_service_access(ServicePrincipal=STACKSETS_SERVICE_PRINCIPAL)
    else:
        backend.services = [s for s in backend.services if s.get("ServicePrincipal") != STACKSETS_SERVICE_PRINCIPAL]
    return True
