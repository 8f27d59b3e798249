"""Automatic deployments: operations no caller asked for, started when accounts join or leave the
organizational units a stack set deploys to (AWS's auto-deployment; the AWS front-end reports the moves).

``AutomaticDeployments`` is a collaborator of ``stacksets.StackSetNamespace``, whose door entries
``auto_deploy`` and ``auto_remove`` call it. Automatic operations queue first and take no preferences.
"""

from __future__ import annotations

import uuid

from .admission import Admission
from .model import DeploymentTargets, Operation, OperationAction, Target
from .requests import OperationRequest
from .store import StackSetStore


class AutomaticDeployments:
    """The automatic deployments of one namespace's stack sets."""

    def __init__(self, store: StackSetStore, admission: Admission) -> None:
        self._store = store
        self._admission = admission

    def deploy(self, stack_set_id: str, targets: list[Target], after: list[str] | None) -> Operation | None:
        """A CREATE operation for the targets without an instance (None: no live stack set, nothing new)."""
        stack_set = self._store.live(stack_set_id)
        if stack_set is None:
            return None
        fresh = [t for t in targets if not stack_set.has_instance(t.account, t.region)]
        if not fresh:
            return None
        for target in fresh:
            self._admission.add_instance(stack_set, target)
        units = sorted({t.organizational_unit_id for t in fresh if t.organizational_unit_id})
        request = OperationRequest(deployment_targets=DeploymentTargets(organizational_unit_ids=units))
        keys = [(t.account, t.region) for t in fresh]
        return self._admission.start(
            stack_set, OperationAction.CREATE, str(uuid.uuid4()), request, keys, queued=True, after=after
        )

    def remove(self, stack_set_id: str, account: str, retain_stacks: bool) -> Operation | None:
        """A DELETE operation for the account's instances (None: no live stack set, no instance there)."""
        stack_set = self._store.live(stack_set_id)
        if stack_set is None:
            return None
        keys = [i.key for i in stack_set.instance_order if i.account == account]
        if not keys:
            return None
        return self._admission.start(
            stack_set,
            OperationAction.DELETE,
            str(uuid.uuid4()),
            OperationRequest(),
            keys,
            retain_stacks=retain_stacks,
            queued=True,
        )
