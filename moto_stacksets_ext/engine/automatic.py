"""Automatic deployments: operations no caller asked for, started when accounts join or leave the
organizational units a stack set deploys to (AWS's auto-deployment; the AWS front-end reports the moves).

``AutomaticDeployments`` is a part of ``stacksets.StackSetNamespace``; its calls enter through the door
like every other. Automatic operations queue first and take no preferences.
"""

from __future__ import annotations

import uuid

from . import door
from .admission import OperationRules
from .model import DeploymentTargets, Operation, OperationAction, StackSetStatus, Target
from .requests import OperationRequest


class AutomaticDeployments(OperationRules):
    """The automatic deployments of one namespace's stack sets."""

    @door.entry
    def auto_deploy(self, stack_set_id: str, targets: list[Target], after: list[str] | None = None) -> Operation | None:
        """Deploy a stack set to accounts that joined its target OUs (QUEUED first; preferences don't apply).
        ``after``: operations of the namespace that must succeed first (the operation fails if one does not)."""
        stack_set = self._stack_sets.get(stack_set_id)
        if stack_set is None or stack_set.status is StackSetStatus.DELETED:
            return None
        fresh = [t for t in targets if not stack_set.has_instance(t.account, t.region)]
        if not fresh:
            return None
        for target in fresh:
            self._add_instance(stack_set, target)
        units = sorted({t.organizational_unit_id for t in fresh if t.organizational_unit_id})
        request = OperationRequest(deployment_targets=DeploymentTargets(organizational_unit_ids=units))
        keys = [(t.account, t.region) for t in fresh]
        return self._start(
            stack_set, OperationAction.CREATE, str(uuid.uuid4()), request, keys, queued=True, after=after
        )

    @door.entry
    def auto_remove(self, stack_set_id: str, account: str, retain_stacks: bool) -> Operation | None:
        """Remove a stack set's instances from an account that left its target OUs."""
        stack_set = self._stack_sets.get(stack_set_id)
        if stack_set is None or stack_set.status is StackSetStatus.DELETED:
            return None
        keys = [i.key for i in stack_set.instance_order if i.account == account]
        if not keys:
            return None
        return self._start(
            stack_set,
            OperationAction.DELETE,
            str(uuid.uuid4()),
            OperationRequest(),
            keys,
            retain_stacks=retain_stacks,
            queued=True,
        )
