"""The record of calls: every request the plugin's front-ends served, for tests to assert on.

Like ``responses.calls`` or pytest-httpx's ``get_requests()``: ``control.calls`` lists, oldest first, every
request the mock answered on the plugin's routes (AWS CloudFormation, Huawei RFS, Alibaba ROS), each a
``Call`` with the cloud, account, region, action, parameters, HTTP status and error code. It is filled at
one point per front-end (the CloudFormation response class, and the gateway, which records what a cloud
front-end says it understood of the request it answered) and reset with moto's reset, i.e. at the start of
every ``mock_stacksets``/``stacksets`` test.

What counts as the parameters:

* AWS: the request's members as moto parsed them from botocore's model (``{"StackSetName": "s",
  "OperationPreferences": {"FailureToleranceCount": 1}}``);
* Huawei RFS: the path's names (``stack_set_name``), the query string and the JSON body, merged;
* Alibaba ROS: the API parameters of the query string and form body (common signature parameters left out),
  with JSON-encoded ("shrink") values such as ``RegionIds`` decoded.

Requests to other AWS services (S3, IAM, ...) are moto's own and are not recorded. The record keeps the
newest ``CallLog.LIMIT`` calls.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from .._state import namespaces


@dataclass(frozen=True)
class Call:
    """One request the mock served."""

    #: ``aws``, ``huawei`` or ``alibaba``.
    cloud: str
    #: The provider's action name, e.g. ``CreateStackInstances``, ``DeployStackSet``, ``CreateStackGroup``.
    action: str
    #: The calling account (AWS account id, Huawei domain id, Alibaba account id), if it could be told.
    account: str | None
    region: str | None
    parameters: Mapping[str, Any] = field(default_factory=dict)
    #: The HTTP status of the answer.
    status: int = 200
    #: The provider's error code when the call failed (``ValidationError``, ``RF.10013001``, ``StackGroupNotFound``).
    error_code: str | None = None
    #: When the mock answered (wall clock, UTC).
    at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    @property
    def ok(self) -> bool:
        """Whether the call succeeded (a status below 400)."""
        return self.status < 400


class CallLog:
    """The calls served so far, oldest first: iterate, index, ``len``, ``filter``, ``count``, ``last``."""

    #: At most this many calls are kept (the oldest are dropped first).
    LIMIT = 10_000

    def __init__(self) -> None:
        self._calls: deque[Call] = deque(maxlen=self.LIMIT)
        self._lock = threading.Lock()

    def record(self, call: Call) -> None:
        with self._lock:
            self._calls.append(call)

    def clear(self) -> None:
        """Forget every call (moto's reset does this too)."""
        with self._lock:
            self._calls.clear()

    def all(self) -> list[Call]:
        with self._lock:
            return list(self._calls)

    def __iter__(self) -> Iterator[Call]:
        return iter(self.all())

    def __len__(self) -> int:
        with self._lock:
            return len(self._calls)

    def __getitem__(self, index: int) -> Call:
        return self.all()[index]

    def filter(
        self,
        *,
        cloud: str | None = None,
        action: str | None = None,
        account: str | None = None,
        region: str | None = None,
        status: int | None = None,
        error_code: str | None = None,
        ok: bool | None = None,
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """The calls matching every argument given (``None`` matches anything), oldest first.

        ``where`` is any further test on a call, e.g. ``where=lambda c: c.parameters.get("StackSetName") == "s"``.
        """
        return [
            c
            for c in self.all()
            if (cloud is None or c.cloud == cloud)
            and (action is None or c.action == action)
            and (account is None or c.account == account)
            and (region is None or c.region == region)
            and (status is None or c.status == status)
            and (error_code is None or c.error_code == error_code)
            and (ok is None or c.ok == ok)
            and (where is None or where(c))
        ]

    def count(self, **criteria: Any) -> int:
        """How many calls match (the arguments of ``filter``)."""
        return len(self.filter(**criteria))

    def last(self, **criteria: Any) -> Call | None:
        """The newest matching call (the arguments of ``filter``), or ``None``."""
        found = self.filter(**criteria)
        return found[-1] if found else None

    def __repr__(self) -> str:
        return f"<CallLog {len(self)} call(s)>"


#: The process-wide record (reset with moto's reset).
calls = CallLog()


namespaces.on_reset(calls.clear)


def record(call: Call) -> None:
    """Add to the process-wide record; the first call since a reset makes sure moto's next reset reaches
    the record (moto resets only the backends in use)."""
    if len(calls) == 0:
        namespaces.touch()
    calls.record(call)


#: The filters of ``CallLog.filter`` that ``GET /moto-api/stacksets/calls`` takes as query parameters.
FILTERS = ("cloud", "action", "account", "region", "status", "error_code", "ok")
