"""The work ``AWS::CloudFormation::StackSet`` resources do for their parent stacks (typed state).

A template's stack-set resource makes real engine calls: CreateStackSet at once, then its instance groups
as operations, one after the other (a stack set runs one operation at a time). Each resource's calls are
``Step``s of a ``ResourceWork``; the works of one parent stack's create, update or delete form a
``ParentRun``, which keeps the parent ``*_IN_PROGRESS`` until every work has ended (``template_stacks``
drives them). The runs live in the ``StackSetsBackend`` of the parent's account and region, so moto's
reset clears them with everything else.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import Any


class StackAction(str, Enum):
    """What the parent stack is doing (the prefix of its status)."""

    CREATE = "CREATE"
    UPDATE = "UPDATE"
    DELETE = "DELETE"
    #: A failed create rolling back (deleting what it made).
    ROLLBACK = "ROLLBACK"
    #: A failed update rolling back (restoring the previous stack-set configuration).
    UPDATE_ROLLBACK = "UPDATE_ROLLBACK"


@dataclass
class Step:
    """One call a resource makes: ``start`` makes it and answers the operation id it started (None: the call
    ended at once, e.g. CreateStackSet or DeleteStackSet). ``stack_set`` names the stack set it acts on."""

    call: str
    stack_set: str
    start: Callable[[], str | None]


@dataclass
class ResourceWork:
    """One stack-set resource's calls for one action of its parent stack."""

    stack_id: str
    logical_id: str
    resource_type: str
    action: str  # CREATE, UPDATE or DELETE: the resource's own events
    physical_id: str
    steps: deque[Step] = field(default_factory=deque)
    #: The operation the work waits for: (call, stack set, operation id, CallAs).
    current: tuple[str, str, str, str | None] | None = None
    call_as: str | None = None
    #: Why the work failed (the resource's ``ResourceStatusReason``); None while it has not.
    failure: str | None = None
    done: bool = False
    #: What undoes an update of this resource (its steps back to the previous configuration).
    undo: Callable[[], ResourceWork | None] | None = None
    #: Called once the work succeeded (the resource takes its new configuration).
    on_success: Callable[[], None] | None = None
    #: The resource (moto's model object) the work is for.
    resource: Any = None

    @property
    def ended(self) -> bool:
        return self.done or self.failure is not None


@dataclass
class ParentRun:
    """The works of one parent stack's action, and what the parent does when they end."""

    stack_id: str
    action: StackAction
    works: list[ResourceWork] = field(default_factory=list)
    #: The parent's template before an update (restored when the update rolls back).
    previous_template: object | None = None

    @property
    def ended(self) -> bool:
        return all(w.ended for w in self.works)

    @property
    def failed(self) -> list[ResourceWork]:
        return [w for w in self.works if w.failure is not None]


@dataclass
class TemplateRuns:
    """The runs of one account and region: works made during the current request (not yet claimed by a
    run) and the runs still in progress, by parent stack id."""

    unclaimed: list[ResourceWork] = field(default_factory=list)
    runs: dict[str, ParentRun] = field(default_factory=dict)
    #: The parents' templates before the update in progress (by stack id), for a rollback.
    previous_templates: dict[str, object] = field(default_factory=dict)
    #: The parent stacks the request in progress (or a run) changes, by id (moto takes a deleting stack out of
    #: its lists while it deletes its resources).
    stacks: dict[str, Any] = field(default_factory=dict)

    def claim(self, stack_id: str) -> list[ResourceWork]:
        """The unclaimed works of one parent stack (taken out of the unclaimed list)."""
        mine = [w for w in self.unclaimed if w.stack_id == stack_id]
        self.unclaimed = [w for w in self.unclaimed if w.stack_id != stack_id]
        return mine
