"""The engine's vocabulary: the statuses, actions and modes of stack sets, instances and operations.

String enums in engine terms; each front-end maps them to its provider's words. ``model`` re-exports them.
"""

from __future__ import annotations

from enum import Enum


class _Vocabulary(str, Enum):
    """A string enum whose str() is its value (so serializers write the bare word)."""

    def __str__(self) -> str:
        return str(self.value)


class StackSetStatus(_Vocabulary):
    ACTIVE = "ACTIVE"
    DELETED = "DELETED"


class StageStatus(_Vocabulary):
    """The status of one stage of an operation (role provisioning, stack instances deployment)."""

    PENDING = "PENDING"
    NOT_APPLICABLE = "NOT_APPLICABLE"
    NOT_STARTED = "NOT_STARTED"
    IN_PROGRESS = "IN_PROGRESS"
    SUCCEEDED = "SUCCEEDED"
    PARTIAL_SUCCESS = "PARTIAL_SUCCESS"
    FAILED = "FAILED"


class PermissionModel(_Vocabulary):
    SELF_MANAGED = "SELF_MANAGED"
    SERVICE_MANAGED = "SERVICE_MANAGED"


class OperationAction(_Vocabulary):
    CREATE = "CREATE"
    UPDATE = "UPDATE"
    DELETE = "DELETE"
    DETECT_DRIFT = "DETECT_DRIFT"


class OperationStatus(_Vocabulary):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    STOPPING = "STOPPING"
    STOPPED = "STOPPED"

    @property
    def ended(self) -> bool:
        return self in (OperationStatus.SUCCEEDED, OperationStatus.FAILED, OperationStatus.STOPPED)


class TargetStatus(_Vocabulary):
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


class GateStatus(_Vocabulary):
    """What a target's account gate decided (AWS's AccountGateResult.Status)."""

    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    SKIPPED = "SKIPPED"


class InstanceStatus(_Vocabulary):
    CURRENT = "CURRENT"
    OUTDATED = "OUTDATED"
    INOPERABLE = "INOPERABLE"


class DetailedStatus(_Vocabulary):
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"
    INOPERABLE = "INOPERABLE"
    SKIPPED_SUSPENDED_ACCOUNT = "SKIPPED_SUSPENDED_ACCOUNT"
    FAILED_IMPORT = "FAILED_IMPORT"


class DriftStatus(_Vocabulary):
    DRIFTED = "DRIFTED"
    IN_SYNC = "IN_SYNC"
    UNKNOWN = "UNKNOWN"
    NOT_CHECKED = "NOT_CHECKED"


class ResourceDriftStatus(_Vocabulary):
    """What a drift check found for one resource of a stack (AWS's ``StackResourceDriftStatus``)."""

    IN_SYNC = "IN_SYNC"
    MODIFIED = "MODIFIED"
    DELETED = "DELETED"
    NOT_CHECKED = "NOT_CHECKED"
    UNKNOWN = "UNKNOWN"
    UNSUPPORTED = "UNSUPPORTED"

    @property
    def drifted(self) -> bool:
        """Whether the resource differs from its template (MODIFIED or DELETED): its stack has drifted."""
        return self in (ResourceDriftStatus.MODIFIED, ResourceDriftStatus.DELETED)


class DifferenceType(_Vocabulary):
    """How a drifted resource's property differs from the template (AWS's ``DifferenceType``)."""

    ADD = "ADD"
    REMOVE = "REMOVE"
    NOT_EQUAL = "NOT_EQUAL"


class RegionConcurrency(_Vocabulary):
    SEQUENTIAL = "SEQUENTIAL"
    PARALLEL = "PARALLEL"


class ConcurrencyMode(_Vocabulary):
    STRICT_FAILURE_TOLERANCE = "STRICT_FAILURE_TOLERANCE"
    SOFT_FAILURE_TOLERANCE = "SOFT_FAILURE_TOLERANCE"


class AccountFilterType(_Vocabulary):
    NONE = "NONE"
    INTERSECTION = "INTERSECTION"
    DIFFERENCE = "DIFFERENCE"
    UNION = "UNION"
