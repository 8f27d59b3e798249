"""DescribeChangeSetHooks: the Hooks that will run for each resource change of a change set."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from moto.cloudformation.models import ChangeSet, CloudFormationBackend

from ...engine.errors import InvalidPageToken
from ...engine.pagination import SequencedList, TokenCodec, paginate
from ..exceptions import ValidationError
from .exceptions import ChangeSetNotFound
from .invocation import CHANGE_ACTIONS, Target, matching_hooks
from .model import TargetType
from .state import HookState

_codec = TokenCodec()


@dataclass(frozen=True)
class _Row:
    seq: int
    hook: dict[str, Any]


def find_change_set(backend: CloudFormationBackend, name: str, stack_name: str | None) -> ChangeSet:
    found = backend.change_sets.get(name)
    if found is None:
        if name.startswith("arn:"):
            raise ChangeSetNotFound(f"ChangeSet [{name}] does not exist")
        candidates = [c for c in backend.change_sets.values() if c.change_set_name == name]
        if stack_name is not None:
            candidates = [c for c in candidates if stack_name in (c.stack_name, c.stack_id)]
        elif candidates:
            raise ValidationError("StackName must be specified if ChangeSetName is not specified as an ARN.")
        found = candidates[-1] if candidates else None
    if found is None or (stack_name is not None and stack_name not in (found.stack_name, found.stack_id)):
        raise ChangeSetNotFound(f"ChangeSet [{name}] does not exist")
    return found


def describe_change_set_hooks(
    backend: CloudFormationBackend,
    state: HookState,
    name: str,
    stack_name: str | None,
    logical_resource_id: str | None,
    token: str | None,
) -> dict[str, Any]:
    change_set = find_change_set(backend, name, stack_name)
    rows: SequencedList[_Row] = SequencedList()
    for change in change_set.changes:
        if logical_resource_id is not None and change.logical_resource_id != logical_resource_id:
            continue
        action = CHANGE_ACTIONS.get(change.action, "UPDATE")
        target = Target(
            TargetType.RESOURCE,
            change.logical_resource_id,
            action,
            change_set.stack_name,
            change_set.stack_id,
            change_set.role_arn,
            resource_type=change.resource_type,
            logical_id=change.logical_resource_id,
        )
        for hook in matching_hooks(state.registry, target):
            configuration = hook.hook_configuration
            assert configuration is not None
            rows.append(
                _Row(
                    len(rows) + 1,
                    {
                        "InvocationPoint": "PRE_PROVISION",
                        "FailureMode": configuration.parsed.failure_mode,
                        "TypeName": hook.type_name,
                        "TypeVersionId": hook.default_version_id,
                        "TypeConfigurationVersionId": configuration.version_id,
                        "TargetDetails": {
                            "TargetType": "RESOURCE",
                            "ResourceTargetDetails": {
                                "LogicalResourceId": change.logical_resource_id,
                                "ResourceType": change.resource_type,
                                "ResourceAction": change.action,
                            },
                        },
                    },
                )
            )
    binding = {
        "listing": "DescribeChangeSetHooks",
        "namespace": [state.account_id, state.region_name],
        "change_set": change_set.change_set_id,
        "logical_resource_id": logical_resource_id,
    }
    try:
        page = paginate(rows, codec=_codec, binding=binding, token=token, limit=100)
    except InvalidPageToken as error:
        raise ValidationError(error.message) from error
    status = {"CREATE_COMPLETE": "PLANNED", "FAILED": "UNAVAILABLE"}.get(change_set.status or "", "PLANNING")
    return {
        "ChangeSetId": change_set.change_set_id,
        "ChangeSetName": change_set.change_set_name,
        "Hooks": [row.hook for row in page.items],
        "Status": status,
        "NextToken": page.next_token,
        "StackId": change_set.stack_id,
        "StackName": change_set.stack_name,
    }
