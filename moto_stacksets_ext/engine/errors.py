"""Engine errors: one class per kind of failure, carrying the facts a front-end needs to word it.

The engine knows nothing of HTTP or providers; each front-end maps these classes to its provider's
code, status and message.
"""

from __future__ import annotations


class EngineError(Exception):
    """Base class of every error the engine raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidRequest(EngineError):
    """The request is malformed or breaks a rule (a provider's validation error)."""

    def __init__(self, message: str, parameter: str | None = None) -> None:
        super().__init__(message)
        self.parameter = parameter


class InvalidPageToken(InvalidRequest):
    """A pagination token failed to decode or verify, or belongs to another request."""

    def __init__(self) -> None:
        super().__init__(
            "The pagination token is invalid: it is malformed, was issued for a different request, or has expired",
            parameter="NextToken",
        )


class StackSetNotFound(EngineError):
    def __init__(self, name_or_id: str) -> None:
        super().__init__(f"StackSet {name_or_id} not found")
        self.name_or_id = name_or_id


class StackSetIdMismatch(EngineError):
    """The caller named a stack set and the id it expects it to have; the stack set has another id."""

    def __init__(self, name: str, expected_id: str) -> None:
        super().__init__(f"{expected_id} is not the id of StackSet {name}")
        self.name = name
        self.expected_id = expected_id


class StackSetNameExists(EngineError):
    def __init__(self, name: str) -> None:
        super().__init__(f"StackSet {name} already exists")
        self.name = name


class StackSetNotEmpty(EngineError):
    def __init__(self, name: str) -> None:
        super().__init__(f"StackSet {name} is not empty: delete its stack instances first")
        self.name = name


class OperationNotFound(EngineError):
    def __init__(self, operation_id: str) -> None:
        super().__init__(f"Operation {operation_id} not found")
        self.operation_id = operation_id


class StackInstanceNotFound(EngineError):
    def __init__(self, stack_set_name: str, account: str, region: str) -> None:
        super().__init__(
            f"Stack instance for StackSet {stack_set_name} in account {account} and region {region} not found"
        )
        self.stack_set_name = stack_set_name
        self.account = account
        self.region = region


class OperationInProgress(EngineError):
    def __init__(self, stack_set_arn: str) -> None:
        super().__init__(f"Another Operation on StackSet {stack_set_arn} is in progress")
        self.stack_set_arn = stack_set_arn


class TooManyOperations(OperationInProgress):
    """The stack set already has as many operations running or queued as its cloud allows."""

    def __init__(self, stack_set_arn: str, limit: int) -> None:
        super().__init__(stack_set_arn)
        self.args = (f"StackSet {stack_set_arn} already has {limit} operations running or queued",)
        self.message = self.args[0]
        self.limit = limit


class OperationIdExists(EngineError):
    def __init__(self, operation_id: str) -> None:
        super().__init__(f"An operation with id {operation_id} already exists")
        self.operation_id = operation_id


class IdempotencyMismatch(EngineError):
    """A caller's idempotency key (client token) already started a different call on the stack set."""

    def __init__(self, key: str) -> None:
        super().__init__(f"The idempotency key {key} was used for a different request")
        self.key = key


class StackInstanceExists(EngineError):
    """A create names an instance the stack set has (namespaces that refuse it: ``refuse_existing_instances``)."""

    def __init__(self, stack_set_name: str, account: str, region: str) -> None:
        super().__init__(
            f"StackSet {stack_set_name} already has a stack instance in account {account} and region {region}"
        )
        self.stack_set_name = stack_set_name
        self.account = account
        self.region = region


class StaleRequest(EngineError):
    def __init__(self, operation_id: str) -> None:
        super().__init__(f"Operation {operation_id} is stale: another operation has run on this StackSet since")
        self.operation_id = operation_id


class InvalidOperation(EngineError):
    """The request is well formed but not valid for the current state (e.g. stop an ended operation)."""


class UnknownRegion(InvalidRequest):
    """Targets in regions the namespace's cloud (partition) does not have."""

    def __init__(self, regions: list[str]) -> None:
        super().__init__(f"The following regions are not valid: {', '.join(regions)}")
        self.regions = regions


class InvalidProgression(InvalidRequest):
    """The transition set in moto's state manager for the cloud's operation model cannot be read."""

    def __init__(self, reason: str) -> None:
        super().__init__(f"The progression set in moto's state manager cannot be read: {reason}")
        self.reason = reason
