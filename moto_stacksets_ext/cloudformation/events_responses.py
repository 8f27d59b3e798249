"""The DescribeEvents handler, mixed into ``StackSetsResponse`` (the work is ``operation_events``'s)."""

from __future__ import annotations

from moto.cloudformation.responses import CloudFormationResponse
from moto.core.responses import ActionResult

from .. import moto_internals
from .operation_events import EventQuery, describe_events
from .validation import raise_for, unreadable, violations

#: The actions served here (added to ``StackSetsResponse.SERVED``).
EVENT_ACTIONS = frozenset({"DescribeEvents"})


class EventResponses(CloudFormationResponse):
    _parse_error: Exception | None = None

    def describe_events(self) -> ActionResult:
        from .models import stacksets_backends

        if self._parse_error is not None:
            raise unreadable("DescribeEvents", self._parse_error)
        values = dict(self.params)
        raise_for(violations("DescribeEvents", values))
        filters = values.get("Filters") or {}
        found = moto_internals.existing_backend(stacksets_backends, self.current_account, self.region)
        query = EventQuery(
            values.get("StackName"),
            values.get("ChangeSetName"),
            values.get("OperationId"),
            filters.get("FailedEvents") is True,
            values.get("NextToken"),
        )
        return ActionResult(describe_events(self.cloudformation_backend, found.hooks if found else None, query))
