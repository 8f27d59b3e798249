"""How RFS names what the engine creates, and the engine namespace of one (domain, region)."""

from __future__ import annotations

import uuid

from .._state import namespaces
from ..engine import regions
from ..engine.clock import clock
from ..engine.execution import Executor
from ..engine.model import StackSet
from ..engine.outcomes import outcomes
from ..engine.stacksets import StackSetNamespace
from .identity import KNOWN_REGIONS
from .instance_stacks import InstanceStackDeployer
from .names import CLOUD, OPERATION_MODEL

_transition = namespaces.operation_model(OPERATION_MODEL)
#: With ``managed_operation.enable_parallel_operation``, at most this many operations of one stack set may be
#: queued or in progress (QUEUE_IN_PROGRESS / OPERATION_IN_PROGRESS), as RFS's SDK model says; the next is refused.
MAX_PARALLEL_OPERATIONS = 10
#: Stack instances may target the regions of the SDK's RfsRegion and IAM's endpoint table.
regions.register(CLOUD, lambda home: KNOWN_REGIONS)


class RfsNaming:
    """RFS ids are UUIDs; there are no ARNs; a stack instance's stack (a stack of the member domain, see
    ``instance_stacks``) is named after its stack set."""

    def stack_set_id(self, name: str) -> str:
        return str(uuid.uuid4())

    def stack_set_arn(self, stack_set_id: str) -> str | None:
        return None

    def stack_name(self, stack_set: StackSet) -> str:
        return stack_set.stack_set_name


def _create(key: tuple[str, str, str]) -> StackSetNamespace:
    return StackSetNamespace(
        identity=key,
        naming=RfsNaming(),
        executor=Executor(CLOUD, InstanceStackDeployer(), clock, outcomes),
        clock=clock,
        transition=_transition,
        max_in_flight=MAX_PARALLEL_OPERATIONS,
        start_free_at_once=True,
    )


def namespace_of(domain_id: str, region: str) -> StackSetNamespace:
    """The engine namespace of a management domain in a region (created on first use)."""
    return namespaces.namespace((CLOUD, domain_id, region), _create)
