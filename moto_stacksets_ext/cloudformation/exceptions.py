"""CloudFormation errors: one class per botocore error shape (plus CloudFormation's ``ValidationError``).

These live under ``moto_stacksets_ext.cloudformation`` on purpose: moto's serializer takes the service
model from the second dotted part of an exception's module, so it finds ``cloudformation`` here and
sends each code with the HTTP status the model declares.
"""

from __future__ import annotations

from moto.core.exceptions import ServiceException

from ..engine import errors as engine


class CloudFormationStackSetError(ServiceException):
    code = "ValidationError"


class ValidationError(CloudFormationStackSetError):
    """CloudFormation's generic 400 ``ValidationError`` (not in the model's error lists)."""

    code = "ValidationError"


class StackSetNotFoundException(CloudFormationStackSetError):
    code = "StackSetNotFoundException"


class OperationNotFoundException(CloudFormationStackSetError):
    code = "OperationNotFoundException"


class StackInstanceNotFoundException(CloudFormationStackSetError):
    code = "StackInstanceNotFoundException"


class NameAlreadyExistsException(CloudFormationStackSetError):
    code = "NameAlreadyExistsException"


class StackSetNotEmptyException(CloudFormationStackSetError):
    code = "StackSetNotEmptyException"


class InvalidOperationException(CloudFormationStackSetError):
    code = "InvalidOperationException"


class OperationIdAlreadyExistsException(CloudFormationStackSetError):
    code = "OperationIdAlreadyExistsException"


class OperationInProgressException(CloudFormationStackSetError):
    code = "OperationInProgressException"


class StaleRequestException(CloudFormationStackSetError):
    code = "StaleRequestException"


class StackNotFoundException(CloudFormationStackSetError):
    code = "StackNotFoundException"


class LimitExceededException(CloudFormationStackSetError):
    code = "LimitExceededException"


_BY_ENGINE_ERROR: dict[type[engine.EngineError], type[CloudFormationStackSetError]] = {
    engine.InvalidRequest: ValidationError,
    engine.InvalidPageToken: ValidationError,
    engine.StackSetNotFound: StackSetNotFoundException,
    engine.StackSetNameExists: NameAlreadyExistsException,
    engine.StackSetNotEmpty: StackSetNotEmptyException,
    engine.OperationNotFound: OperationNotFoundException,
    engine.StackInstanceNotFound: StackInstanceNotFoundException,
    engine.OperationInProgress: OperationInProgressException,
    engine.OperationIdExists: OperationIdAlreadyExistsException,
    engine.StaleRequest: StaleRequestException,
    engine.InvalidOperation: InvalidOperationException,
}


def from_engine(error: engine.EngineError) -> CloudFormationStackSetError:
    """The CloudFormation error for an engine error (same message, except where AWS's own wording is known)."""
    if isinstance(error, engine.StackSetNotEmpty):
        # The wording AWS's documentation quotes (VPC Reachability Analyzer troubleshooting).
        return StackSetNotEmptyException("StackSet is not empty")
    for kind in type(error).__mro__:
        if kind in _BY_ENGINE_ERROR:
            return _BY_ENGINE_ERROR[kind](error.message)
    return ValidationError(error.message)
