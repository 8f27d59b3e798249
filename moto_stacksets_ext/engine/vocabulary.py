"""The engine's vocabulary: the statuses, actions and modes of stack sets, instances and operations.

String enums in engine terms; each front-end maps them to its provider's words. ``model`` re-exports them.
"""

from __future__ import annotations

from enum import Enum


class Vocabulary(str, Enum):
    """A string enum whose str() is its value (so serializers write the bare word; the AWS serializer reads
    ``_value_`` directly for these, which is the same text)."""

    def __str__(self) -> str:
        return str(self.value)


class StackSetStatus(Vocabulary):
    ACTIVE = "ACTIVE"
    DELETED = "DELETED"


class StageStatus(Vocabulary):
    """The status of one stage of an operation (role provisioning, stack instances deployment)."""

    PENDING = "PENDING"
    NOT_APPLICABLE = "NOT_APPLICABLE"
    NOT_STARTED = "NOT_STARTED"
    IN_PROGRESS = "IN_PROGRESS"
    SUCCEEDED = "SUCCEEDED"
    PARTIAL_SUCCESS = "PARTIAL_SUCCESS"
    FAILED = "FAILED"


class PermissionModel(Vocabulary):
    SELF_MANAGED = "SELF_MANAGED"
    SERVICE_MANAGED = "SERVICE_MANAGED"


class OperationAction(Vocabulary):
    CREATE = "CREATE"
    UPDATE = "UPDATE"
    DELETE = "DELETE"
    DETECT_DRIFT = "DETECT_DRIFT"


class OperationStatus(Vocabulary):
    QUEUED = "QUEUED"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    STOPPING = "STOPPING"
    STOPPED = "STOPPED"

    @property
    def ended(self) -> bool:
        return self in (OperationStatus.SUCCEEDED, OperationStatus.FAILED, OperationStatus.STOPPED)


class TargetStatus(Vocabulary):
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"


class GateStatus(Vocabulary):
    """What a target's account gate decided (AWS's AccountGateResult.Status)."""

    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    SKIPPED = "SKIPPED"


class InstanceStatus(Vocabulary):
    CURRENT = "CURRENT"
    OUTDATED = "OUTDATED"
    INOPERABLE = "INOPERABLE"


class DetailedStatus(Vocabulary):
    PENDING = "PENDING"
    RUNNING = "RUNNING"
    SUCCEEDED = "SUCCEEDED"
    FAILED = "FAILED"
    CANCELLED = "CANCELLED"
    INOPERABLE = "INOPERABLE"
    SKIPPED_SUSPENDED_ACCOUNT = "SKIPPED_SUSPENDED_ACCOUNT"
    FAILED_IMPORT = "FAILED_IMPORT"


class DriftStatus(Vocabulary):
    DRIFTED = "DRIFTED"
    IN_SYNC = "IN_SYNC"
    UNKNOWN = "UNKNOWN"
    NOT_CHECKED = "NOT_CHECKED"


class ResourceDriftStatus(Vocabulary):
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


class DifferenceType(Vocabulary):
    """How a drifted resource's property differs from the template (AWS's ``DifferenceType``)."""

    ADD = "ADD"
    REMOVE = "REMOVE"
    NOT_EQUAL = "NOT_EQUAL"


class RegionConcurrency(Vocabulary):
    SEQUENTIAL = "SEQUENTIAL"
    PARALLEL = "PARALLEL"


class ConcurrencyMode(Vocabulary):
    STRICT_FAILURE_TOLERANCE = "STRICT_FAILURE_TOLERANCE"
    SOFT_FAILURE_TOLERANCE = "SOFT_FAILURE_TOLERANCE"


class AccountFilterType(Vocabulary):
    NONE = "NONE"
    INTERSECTION = "INTERSECTION"
    DIFFERENCE = "DIFFERENCE"
    UNION = "UNION"
