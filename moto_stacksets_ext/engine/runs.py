"""Run state: an operation's progress through its targets (plain data; the executor drives it).

``Execution`` is what a running operation carries: one ``RegionRun`` per region (its queue, the targets in
flight, failures against tolerance), the deploy kind of each target, and the targets whose deployment
is not finished yet (``Waiting``): a deployer may answer "not finished" with an opaque continuation, which
the engine keeps here and hands back to it on a later step (see ``execution``). Nothing here is saved in
state files: an operation is run to its end before its stack set is saved.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import TargetResult
    from .progress import Tally


class DeployKind(Enum):
    CREATE = "CREATE"
    UPDATE = "UPDATE"
    DELETE = "DELETE"
    NOOP = "NOOP"
    #: Drift detection: read-only, the instance's status is left alone.
    DRIFT_CHECK = "DRIFT_CHECK"
    #: Import: the instance adopts an existing stack.
    IMPORT = "IMPORT"

    @property
    def changes_instance(self) -> bool:
        return self not in (DeployKind.NOOP, DeployKind.DRIFT_CHECK)


@dataclass
class RegionRun:
    region: str
    queue: deque[TargetResult]
    tolerance: int
    max_concurrency: int
    strict: bool
    in_flight: list[TargetResult] = field(default_factory=list)
    failures: int = 0
    failed: bool = False

    @property
    def finished(self) -> bool:
        return not self.in_flight and (self.failed or not self.queue)

    def batch_size(self) -> int:
        if self.strict:
            return max(1, min(self.max_concurrency, self.tolerance + 1 - self.failures))
        return self.max_concurrency


@dataclass
class Waiting:
    """A target in flight whose deployment is not finished: the deployer said so on an earlier step.

    ``continuation`` is the deployer's own (opaque to the engine), handed back as ``Deployment.resume``;
    ``not_before`` is the earliest moment a time-progression step resumes it (the step's moment plus the
    wait the deployer asked for); ``reason`` says what the target waits for (shown in the live view).
    """

    continuation: object
    not_before: datetime
    reason: str | None = None


@dataclass
class Execution:
    regions: list[RegionRun]
    parallel: bool
    kinds: dict[tuple[str, str], DeployKind] = field(default_factory=dict)
    #: Steps taken so far (the first batch starts in step 1).
    steps: int = 1
    #: Targets in flight whose deployment the deployer has not finished yet, by (account, region).
    waiting: dict[tuple[str, str], Waiting] = field(default_factory=dict)
    #: The operation's roles are still to be provisioned (the next step does it, before any deployment).
    provisioning: bool = False
    #: The results counted by region, kept current as the executor changes them (``progress.Tally``).
    tally: Tally | None = None

    def active_regions(self) -> list[RegionRun]:
        pending = [run for run in self.regions if not run.finished]
        return pending if self.parallel else pending[:1]
