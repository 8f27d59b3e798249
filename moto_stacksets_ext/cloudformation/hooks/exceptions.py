"""Hook and type-registry errors: one class per botocore error shape.

They live under ``moto_stacksets_ext.cloudformation`` so moto's serializer finds the ``cloudformation``
service model and sends each code with the status the model declares (e.g. ``HookResultNotFound`` 404).
"""

from __future__ import annotations

from ..exceptions import CloudFormationStackSetError, ValidationError


class TypeNotFoundException(CloudFormationStackSetError):
    code = "TypeNotFoundException"

    @classmethod
    def named(cls, type_name: str) -> TypeNotFoundException:
        return cls(f"The type '{type_name}' cannot be found.")


class CFNRegistryException(CloudFormationStackSetError):
    code = "CFNRegistryException"


class TypeConfigurationNotFoundException(CloudFormationStackSetError):
    code = "TypeConfigurationNotFoundException"


class HookResultNotFound(CloudFormationStackSetError):
    code = "HookResultNotFound"


class ChangeSetNotFound(CloudFormationStackSetError):
    code = "ChangeSetNotFound"


class HookBlocked(ValidationError):
    """A FAIL-mode Hook failed at PRE_PROVISION: the stack operation was not carried out.

    Raised by the patched moto backend methods so that callers that deploy directly (the stack-set
    deployer) see the failure; the CloudFormation handlers catch it, because on AWS the API call itself
    succeeds and the stack ends ``ROLLBACK_COMPLETE`` (or ``UPDATE_ROLLBACK_COMPLETE``, ``DELETE_FAILED``).
    """

    def __init__(self, type_names: list[str], stack_id: str) -> None:
        super().__init__(failed_reason(type_names))
        self.type_names = type_names
        self.stack_id = stack_id


def failed_reason(type_names: list[str]) -> str:
    """CloudFormation's wording for blocking Hooks."""
    return f"The following hook(s) failed: [{', '.join(type_names)}]"
