"""RFS error codes: one table, and the mapping of engine errors to it.

RFS answers every error with ``{"error_code": "RF.xxxxxxxx", "error_msg": "..."}`` and an ``X-Request-Id``
header. Codes published by Huawei (the api-aos error-code page and the OTC RFS appendix) are used where
one fits; the few conditions without a published code get a code of the same family, chosen once here
and documented in ``docs/huawei-rfs.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .._transport.gateway import CloudError
from ..engine import errors as engine


@dataclass(frozen=True)
class ErrorKind:
    status: int
    code: str
    summary: str


# -- 400 (published) ------------------------------------------------------------------------------------
MISSING_PARAMETER = ErrorKind(400, "RF.10011001", "Missing required parameter(s).")
UNRECOGNIZED_PARAMETER = ErrorKind(400, "RF.10011002", "Unrecognized parameter(s).")
BOTH_TEMPLATES = ErrorKind(
    400,
    "RF.10011003",
    "Both template_uri and template_body are given, you should only give exactly one parameter from "
    "template_uri and template_body.",
)
NO_TEMPLATE = ErrorKind(
    400,
    "RF.10011056",
    "Both template_uri and template_body are absence, you should give exactly one parameter from "
    "template_uri and template_body.",
)
TOO_LONG = ErrorKind(400, "RF.10011005", "The length of parameter is longer than upper limit.")
TOO_SHORT = ErrorKind(400, "RF.10011006", "The length of parameter is shorter than lower limit.")
INVALID_NAME = ErrorKind(
    400,
    "RF.10011010",
    "Parameter contains invalid letter. Should start with Chinese or English characters, and only contains "
    "Chinese characters, English characters, number, underscore or hyphen.",
)
ID_MISMATCH = ErrorKind(400, "RF.10011015", "Stack set ID is not matched with current stack set with stack set name.")
INVALID_ENUM = ErrorKind(400, "RF.10011027", "Invalid enum value.")
INVALID_VALUE = ErrorKind(400, "RF.10011028", "Composite Validation Error.")
NO_BODY = ErrorKind(400, "RF.10011032", "Can not find request body.")
INVALID_JSON = ErrorKind(400, "RF.10011033", "Request body format is invalid json.")
NOT_INTEGER = ErrorKind(400, "RF.10011036", "The value of parameter is not a valid instance of integer.")
INVALID_VARS = ErrorKind(400, "RF.10011051", "Invalid vars body.")
NOTHING_TO_UPDATE = ErrorKind(400, "RF.10011084", "No parameters in the request need to be modified.")
UNKNOWN_FILTER_FIELD = ErrorKind(400, "RF.10011087", "Unrecognized search option parameter.")
INVALID_FILTER = ErrorKind(400, "RF.10011088", "No valid filter method found.")
INVALID_FILTER_VALUE = ErrorKind(400, "RF.10011089", "The filter value is invalid.")
DUPLICATE_FIELDS = ErrorKind(400, "RF.10011093", "Duplicate fields found.")
DUPLICATE_QUERY_VALUES = ErrorKind(
    400, "RF.10011197", "Duplicate values cannot be assigned to the same query parameter."
)
# -- 401 / 403 --------------------------------------------------------------------------------------------
AUTHENTICATION_FAILED = ErrorKind(401, "RF.10012001", "Authentication failed.")
#: Not published for stack sets: the stack set's status forbids the call (not IDLE).
INVALID_STATUS = ErrorKind(403, "RF.10012508", "Invalid stack set status.")
#: Not published for stack sets: the stack set still has stack instances.
NOT_EMPTY = ErrorKind(403, "RF.10012509", "The stack set can not be deleted.")
# -- 404 / 409 ---------------------------------------------------------------------------------------------
#: Published for stacks ("Stack is not exist."); used for stack sets, operations and instances alike.
NOT_FOUND = ErrorKind(404, "RF.10013001", "Resource is not exist.")
#: Huawei's API gateway (APIG), before RFS: no published API answers this method and path (the code and message
#: the Huawei SDKs raise as ``ClientRequestException`` for an unpublished API; APIG's error-code table).
API_NOT_FOUND = ErrorKind(404, "APIGW.0101", "The API does not exist or has not been published in the environment")
NAME_CONFLICT = ErrorKind(409, "RF.10013502", "Conflict stack set name.")
OPERATION_CONFLICT = ErrorKind(
    409,
    "RF.10013503",
    "Stack set operation requests conflicted. Another request is being processed. Please retry later.",
)
# -- 500 ---------------------------------------------------------------------------------------------------
INTERNAL = ErrorKind(500, "RF.10010001", "Internal Server Error.")

ALL_KINDS: tuple[ErrorKind, ...] = (
    MISSING_PARAMETER,
    UNRECOGNIZED_PARAMETER,
    BOTH_TEMPLATES,
    NO_TEMPLATE,
    TOO_LONG,
    TOO_SHORT,
    INVALID_NAME,
    ID_MISMATCH,
    INVALID_ENUM,
    INVALID_VALUE,
    NO_BODY,
    INVALID_JSON,
    NOT_INTEGER,
    INVALID_VARS,
    NOTHING_TO_UPDATE,
    UNKNOWN_FILTER_FIELD,
    INVALID_FILTER,
    INVALID_FILTER_VALUE,
    DUPLICATE_FIELDS,
    DUPLICATE_QUERY_VALUES,
    AUTHENTICATION_FAILED,
    INVALID_STATUS,
    NOT_EMPTY,
    NOT_FOUND,
    NAME_CONFLICT,
    OPERATION_CONFLICT,
    INTERNAL,
)


class RfsError(CloudError):
    """An error answered in RFS's shape: ``kind`` gives status and code, ``detail`` says what was wrong."""

    def __init__(self, kind: ErrorKind, detail: str | None = None) -> None:
        super().__init__(kind.code, kind.status, kind.summary if detail is None else f"{kind.summary} {detail}")
        self.kind = kind


def from_engine(error: engine.EngineError, *, conflict: ErrorKind = OPERATION_CONFLICT) -> RfsError:
    """The RFS error for an engine error; ``conflict`` is what "an operation is in progress" means for the
    call (409 for calls that start operations, 403 for calls that only change or delete the stack set)."""
    if isinstance(error, engine.InvalidPageToken):
        return RfsError(INVALID_VALUE, "The marker is invalid, expired, or belongs to another request.")
    if isinstance(error, engine.StackSetNotFound):
        return RfsError(NOT_FOUND, f"Stack set {error.name_or_id} does not exist.")
    if isinstance(error, engine.StackSetIdMismatch):
        return RfsError(ID_MISMATCH, f"{error.expected_id} is not the id of stack set {error.name}.")
    if isinstance(error, engine.OperationNotFound):
        return RfsError(NOT_FOUND, f"Stack set operation {error.operation_id} does not exist.")
    if isinstance(error, engine.StackInstanceNotFound):
        return RfsError(
            NOT_FOUND,
            f"Stack instance {error.region}/{error.account} of stack set {error.stack_set_name} does not exist.",
        )
    if isinstance(error, engine.StackSetNameExists):
        return RfsError(NAME_CONFLICT, f"Stack set {error.name} already exists.")
    if isinstance(error, engine.StackSetNotEmpty):
        return RfsError(NOT_EMPTY, f"Stack set {error.name} still has stack instances.")
    if isinstance(error, engine.TooManyOperations):
        return RfsError(
            OPERATION_CONFLICT,
            f"The stack set already has {error.limit} operations queued or in progress, the most parallel "
            "operations allow.",
        )
    if isinstance(error, engine.OperationInProgress):
        return RfsError(conflict, "Another operation is in progress on the stack set.")
    if isinstance(error, (engine.OperationIdExists, engine.StaleRequest)):
        return RfsError(OPERATION_CONFLICT, error.message)
    if isinstance(error, engine.InvalidOperation):
        return RfsError(INVALID_STATUS, error.message)
    return RfsError(INVALID_VALUE, error.message)
