"""Automatic deployments of SERVICE_MANAGED stack sets, driven by moto's Organizations backend.

While the plugin is installed, moto's ``create_account``, ``move_account``, ``close_account`` and
``remove_account_from_organization`` are wrapped: after moto has done its work, every stack set of the
organization with ``AutoDeployment.Enabled`` whose target OUs (the OUs it was deployed to) contain the
account's new place gets an automatic CREATE operation for that account in the regions of that OU's instances, and
one the account left gets a DELETE operation (stacks kept with ``RetainStacksOnAccountRemoval``). Both
are QUEUED first unless operations finish within the call (immediate progression).

``AutoDeployment.DependsOn`` ("operations will be sequenced to ensure all dependencies complete successfully
before this StackSet's operation begins"): when one account joins, the stack sets' automatic operations are
started dependencies first, and a stack set's operation waits (QUEUED) until the operations its dependencies
got for the same account have succeeded; if one of them does not succeed, it ends FAILED without deploying
(AWS does not document that case). Dependencies are matched by ARN among the stack sets of the same
administrator account and region.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from moto.organizations.models import OrganizationsBackend

from .. import moto_internals
from ..engine.model import PermissionModel, StackSet, StackSetStatus, Target
from .models import StackSetsBackend, stacksets_backends


def _ancestry(org: OrganizationsBackend, parent_id: str | None) -> list[str]:
    """``parent_id`` and every OU (and root) above it."""
    chain: list[str] = []
    by_id = {unit.id: unit for unit in org.ou}
    while parent_id is not None and parent_id not in chain:
        chain.append(parent_id)
        unit = by_id.get(parent_id)
        parent_id = getattr(unit, "parent_id", None) if unit is not None else None
    return chain


def _admin_backends(org: OrganizationsBackend) -> list[StackSetsBackend]:
    """The StackSets backends of the organization's management account and members (delegated admins)."""
    members = {org.account_id} | {account.id for account in org.accounts}
    found: list[StackSetsBackend] = []
    for account_id, regions in list(stacksets_backends.items()):
        if account_id in members:
            found.extend(regions.values())
    return found


def _auto_stack_sets(backend: StackSetsBackend) -> list[StackSet]:
    return [
        s
        for s in backend.namespace.all_stack_sets()
        if s.status is StackSetStatus.ACTIVE
        and s.permission_model is PermissionModel.SERVICE_MANAGED
        and s.auto_deployment
        and s.auto_deployment.enabled
    ]


def in_dependency_order(stack_sets: list[StackSet]) -> list[StackSet]:
    """The stack sets with each one after those its ``AutoDeployment.DependsOn`` names (by ARN; a cycle or an
    ARN of another place is ignored), otherwise in their own order."""
    by_arn = {s.stack_set_arn: s for s in stack_sets if s.stack_set_arn}
    ordered: list[StackSet] = []
    visiting: set[str] = set()

    def visit(stack_set: StackSet) -> None:
        if stack_set.stack_set_id in visiting:
            return
        visiting.add(stack_set.stack_set_id)
        for arn in (stack_set.auto_deployment.depends_on if stack_set.auto_deployment else None) or []:
            dependency = by_arn.get(arn)
            if dependency is not None:
                visit(dependency)
        ordered.append(stack_set)

    for stack_set in stack_sets:
        visit(stack_set)
    return ordered


def account_joined(org: OrganizationsBackend, account_id: str, parent_id: str | None) -> None:
    places = _ancestry(org, parent_id)
    for backend in _admin_backends(org):
        started: dict[str, str] = {}  # stack set ARN -> the automatic operation this event started for it
        for stack_set in in_dependency_order(_auto_stack_sets(backend)):
            by_unit = {t.organizational_unit_id: t for t in stack_set.auto_deployment_targets}
            unit = next((u for u in places if u in by_unit), None)
            if unit is None:
                continue
            targets = [Target(account_id, region, unit) for region in by_unit[unit].regions]
            depends_on = (stack_set.auto_deployment.depends_on if stack_set.auto_deployment else None) or []
            after = [started[arn] for arn in depends_on if arn in started]
            operation = backend.namespace.auto_deploy(stack_set.stack_set_id, targets, after or None)
            if operation is not None and stack_set.stack_set_arn:
                started[stack_set.stack_set_arn] = operation.operation_id


def account_left(org: OrganizationsBackend, account_id: str, parent_id: str | None) -> None:
    places = set(_ancestry(org, parent_id))
    for backend in _admin_backends(org):
        for stack_set in _auto_stack_sets(backend):
            owned = [i for i in stack_set.instance_order if i.account == account_id]
            if not owned or (parent_id is not None and any(i.organizational_unit_id in places for i in owned)):
                continue
            retain = bool(stack_set.auto_deployment and stack_set.auto_deployment.retain_stacks_on_account_removal)
            backend.namespace.auto_remove(stack_set.stack_set_id, account_id, retain)


def _parent_of(org: OrganizationsBackend, account_id: str) -> str | None:
    account = next((a for a in org.accounts if a.id == account_id), None)
    return None if account is None else account.parent_id


def _wrap(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return lambda original: _wrapper(name, original)


def _wrapper(name: str, original: Callable[..., Any]) -> Callable[..., Any]:
    method = moto_internals.ORGANIZATIONS_BACKEND_METHODS[name].name

    def wrapper(self: OrganizationsBackend, **kwargs: Any) -> Any:
        if name != "create_account":
            moto_internals.keyword(kwargs, "AccountId", method)  # before moto changes anything
        result = original(self, **kwargs)
        if name == "create_account":
            account_id = result["CreateAccountStatus"]["AccountId"]
            account_joined(self, account_id, _parent_of(self, account_id))
        elif name == "move_account":
            account_id = kwargs["AccountId"]
            account_left(self, account_id, _parent_of(self, account_id))
            account_joined(self, account_id, _parent_of(self, account_id))
        else:
            account_left(self, kwargs["AccountId"], None)
        return result

    return wrapper


_wrapped: list[tuple[type, str, Callable[..., Any]]] = []


def patch() -> None:
    """Wrap moto's Organizations calls (idempotent); ``MotoContractError`` if one of them moved."""
    if _wrapped:
        return
    for name, signature in moto_internals.ORGANIZATIONS_BACKEND_METHODS.items():
        _wrapped.append(moto_internals.wrap_method(signature, _wrap(name)))


def unpatch() -> None:
    while _wrapped:
        moto_internals.unwrap(_wrapped.pop())
