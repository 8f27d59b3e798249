"""RFS error codes of stacks, execution plans and private hooks.

Stack and execution-plan codes are Huawei's published ones (the RFS error-code appendix). Huawei publishes no
codes for private hooks; the hook conditions use the code of the same condition for stacks (not found, name
conflict, id mismatch) or the composite validation error, as ``docs/huawei-rfs.md`` lists.
"""

from __future__ import annotations

from .errors import ErrorKind

INVALID_TEMPLATE = ErrorKind(400, "RF.10011073", "Invalid template body.")
STACK_ID_MISMATCH = ErrorKind(400, "RF.10011015", "Stack ID is not matched with current stack with stack name.")
PLAN_ID_MISMATCH = ErrorKind(
    400, "RF.10011018", "Execution plan ID is not matched with current execution plan with execution plan name."
)
PLAN_STACK_STATUS = ErrorKind(403, "RF.10012542", "Execution plan cannot be applied due to invalid stack status.")
PLAN_STATUS = ErrorKind(403, "RF.10012543", "Execution plan cannot be applied due to invalid execution plan status.")
DELETE_STATUS = ErrorKind(403, "RF.10012544", "Stack cannot be deleted due to invalid stack status.")
PLAN_EXPIRED = ErrorKind(
    403,
    "RF.10012545",
    "Execution plan cannot be applied because stack has been deployed since execution plan generated. Please "
    "regenerate the execution plan based on the latest stack.",
)
ROLLBACK_STATUS = ErrorKind(403, "RF.10012546", "Auto rollback of stack cannot be enabled due to invalid stack status.")
CONTINUE_STATUS = ErrorKind(403, "RF.10012547", "Invalid stack status. The stack cannot be continue-deployed.")
PLAN_DELETE_STATUS = ErrorKind(403, "RF.10012549", "Invalid stack status. The execution plan cannot be deleted.")
STACK_NOT_FOUND = ErrorKind(404, "RF.10013001", "Stack is not exist.")
PLAN_NOT_FOUND = ErrorKind(404, "RF.10013002", "Execution plan is not exist.")
TEMPLATE_NOT_FOUND = ErrorKind(404, "RF.10013023", "The stack template does not exist.")
PLAN_NAME_CONFLICT = ErrorKind(
    409, "RF.10013501", "Conflict execution plan name. Execution plan with name already exist."
)
STACK_NAME_CONFLICT = ErrorKind(409, "RF.10013502", "Conflict stack name. Stack with name already exist.")
STACK_CONFLICT = ErrorKind(
    409, "RF.10013503", "Stack operation requests conflicted. Another request is being processed. Please retry later."
)
# -- private hooks (no published codes: the stack condition's code) ----------------------------------------
HOOK_NOT_FOUND = ErrorKind(404, "RF.10013001", "Private hook is not exist.")
HOOK_ID_MISMATCH = ErrorKind(400, "RF.10011015", "Private hook ID is not matched with current private hook name.")
HOOK_NAME_CONFLICT = ErrorKind(409, "RF.10013502", "Conflict private hook name. Private hook already exist.")
HOOK_VERSION_CONFLICT = ErrorKind(409, "RF.10013502", "Conflict private hook version. The version already exist.")
INVALID_POLICY = ErrorKind(400, "RF.10011028", "Composite Validation Error. Invalid private hook policy.")
DEFAULT_VERSION = ErrorKind(403, "RF.10012507", "Policy doesn't allow action to be performed.")
