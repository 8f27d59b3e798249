"""ROS errors: the JSON body the SDK turns into its ClientException, and engine errors in ROS words.

Every error is a ``RosError`` with ROS's code, HTTP status and message; the front-end renders it as
``{"RequestId", "HostId", "Code", "Message", "Recommend"}``.
"""

from __future__ import annotations

from ..engine import errors as engine_errors

UNKNOWN_ACTION_CODE = "InvalidAction.NotFound"


class RosError(Exception):
    """An error ROS returns to the caller."""

    def __init__(self, code: str, status: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.status = status
        self.message = message


def missing_parameter(name: str) -> RosError:
    """ROS's own check of a parameter required only in some cases (ROS's common error codes page)."""
    return RosError("MissingParameter", 400, f"The input parameter {name} should be specified.")


def mandatory_parameter_missing(name: str) -> RosError:
    """The OpenAPI gateway's check of a parameter the API declares required, before ROS sees the request
    (Alibaba Cloud's "Return results" page and its common error codes; wording as the gateway answers)."""
    return RosError(
        "MissingParameter",
        400,
        f'The input parameter "{name}" that is mandatory for processing this request is not supplied.',
    )


def invalid_parameter(name: str, reason: str) -> RosError:
    return RosError("InvalidParameter", 400, f"The specified parameter {name} is invalid, {reason}.")


def multiple_parameter(names: list[str]) -> RosError:
    return RosError("MultipleParameter", 400, f"Only one of the input parameters {', '.join(names)} can be specified.")


def not_supported(feature: str) -> RosError:
    return RosError("NotSupported", 400, f"{feature} is not supported.")


def unknown_action() -> RosError:
    return RosError(UNKNOWN_ACTION_CODE, 404, "Specified api is not found, please check your url and method.")


def stack_group_not_found(name: str) -> RosError:
    return RosError("StackGroupNotFound", 404, f"The StackGroup ({name}) could not be found.")


def operation_not_found(operation_id: str) -> RosError:
    return RosError("StackGroupOperationNotFound", 404, f"The StackGroupOperation ({operation_id}) could not be found.")


def stack_group_exists(name: str) -> RosError:
    return RosError("StackGroupExists", 409, f"The StackGroup ({name}) already exists.")


def stack_group_not_empty(name: str) -> RosError:
    return RosError("StackGroupNotEmpty", 400, f"The StackGroup ({name}) is not empty.")


def operation_in_progress(name: str) -> RosError:
    return RosError("StackGroupOperationInProgress", 409, f"Another Operation on StackGroup ({name}) is in progress.")


def stack_instance_not_found() -> RosError:
    return RosError("StackInstanceNotFound", 404, "The StackInstance could not be found.")


def template_not_found(template_id: str) -> RosError:
    return RosError("TemplateNotFound", 404, f"The Tempalte ({template_id}) could not be found.")


def invalid_template_version(reason: str) -> RosError:
    return RosError("InvalidTemplateVersion", 400, f"The template version is invalid: {reason}.")


def unknown_user_parameter(name: str) -> RosError:
    return RosError("UnknownUserParameter", 400, f"The Parameter ({name}) was not defined in template.")


def user_parameter_missing(name: str) -> RosError:
    return RosError("UserParameterMissing", 400, f"The Parameter {name} was not provided.")


def idempotence_mismatch() -> RosError:
    return RosError("InvalidIdempotenceParameter", 400, "The specified parameters are different from before.")


def from_engine(error: engine_errors.EngineError, stack_group_name: str | None = None) -> RosError:
    """An engine error in ROS's words (``stack_group_name``: the name the caller used, if any)."""
    if isinstance(error, engine_errors.StackSetNotFound):
        return stack_group_not_found(stack_group_name or error.name_or_id)
    if isinstance(error, engine_errors.StackSetNameExists):
        return stack_group_exists(error.name)
    if isinstance(error, engine_errors.StackSetNotEmpty):
        return stack_group_not_empty(stack_group_name or error.name)
    if isinstance(error, engine_errors.OperationNotFound):
        return operation_not_found(error.operation_id)
    if isinstance(error, engine_errors.StackInstanceNotFound):
        return stack_instance_not_found()
    if isinstance(error, engine_errors.OperationInProgress):
        return operation_in_progress(stack_group_name or error.stack_set_arn)
    if isinstance(error, engine_errors.StackInstanceExists):
        return RosError(
            "StackInstanceExists", 409, f"The StackInstance ({error.account}, {error.region}) already exists."
        )
    if isinstance(
        error, (engine_errors.IdempotencyMismatch, engine_errors.OperationIdExists, engine_errors.StaleRequest)
    ):
        return idempotence_mismatch()
    if isinstance(error, engine_errors.InvalidOperation):
        return invalid_parameter("OperationId", error.message[:1].lower() + error.message[1:])
    if isinstance(error, engine_errors.UnknownRegion):
        return invalid_parameter("RegionIds", f"these regions are not supported: {', '.join(error.regions)}")
    if isinstance(error, engine_errors.InvalidRequest):
        return invalid_parameter(error.parameter or "request", error.message.rstrip("."))
    return RosError("InvalidParameter", 400, error.message)


def stack_not_found(name: str) -> RosError:
    return RosError("StackNotFound", 404, f"The Stack ({name}) could not be found.")


def stack_exists(name: str) -> RosError:
    return RosError("StackExists", 409, f"The Stack ({name}) already exists.")


def action_in_progress(name: str, action: str) -> RosError:
    return RosError("ActionInProgress", 409, f"Stack {name} already has an action ({action}) in progress.")


def resource_not_found(name: str, stack: str) -> RosError:
    return RosError("ResourceNotFound", 404, f"The Resource ({name}) could not be found in Stack {stack}.")
