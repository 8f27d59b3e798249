"""Reading the stack calls' parameters: names, ids, agencies, template and vars (``StackInput``).

Every reader returns typed values or raises ``RfsError`` before anything changes.
"""

from __future__ import annotations

from . import stacks
from .errors import BOTH_TEMPLATES, INVALID_NAME, INVALID_VALUE, MISSING_PARAMETER, ErrorKind, RfsError
from .params import STACK_SET_NAME, Body, check_length
from .stack_errors import INVALID_TEMPLATE
from .stack_state import Agency, StackInput, VarEntry
from .terraform import TemplateError, TfTemplate

MAX_VARS_BODY = 51200


def stack_name(value: str) -> str:
    check_length("stack_name", value, 1, 128)
    if not STACK_SET_NAME.fullmatch(value):
        raise RfsError(INVALID_NAME, f"stack_name {value!r} is invalid.")
    return value


def optional_id(value: str | None, name: str) -> str | None:
    if value is not None:
        check_length(name, value, 36, 36)
    return value


def agencies(body: Body) -> tuple[Agency, ...] | None:
    raw = body.fields.get("agencies")
    if raw is None:
        return None
    if not isinstance(raw, list):
        raise RfsError(INVALID_VALUE, "agencies must be an array.")
    found: list[Agency] = []
    for item in raw:
        if not isinstance(item, dict):
            raise RfsError(INVALID_VALUE, "Each agency must be an object.")
        entry = Body(item)
        entry.check_names("agencies", ("provider_name", "agency_name", "agency_urn"))
        name, urn = entry.string("agency_name", 1, 64), entry.string("agency_urn", 1, 1500)
        if (name is None) == (urn is None):
            raise RfsError(INVALID_VALUE, "An agency gives exactly one of agency_name and agency_urn.")
        found.append(Agency(entry.required_string("provider_name", 1, 128), name, urn))
    providers = [a.provider_name for a in found]
    if len(set(providers)) != len(providers):
        raise RfsError(ErrorKind(400, "RF.10011065", "Found duplicate values in attribute provider_name."))
    return tuple(found)


def stack_input(body: Body, *, template_required: bool) -> StackInput:
    """Template and vars of a request (CreateStack, DeployStack, CreateExecutionPlan)."""
    template_body = body.string("template_body", 1, 51200)
    template_uri = body.string("template_uri", 1, 2048)
    if template_body is not None and template_uri is not None:
        raise RfsError(BOTH_TEMPLATES)
    if template_uri is not None:
        raise RfsError(
            INVALID_VALUE, "template_uri names an OBS object; the mock has no OBS: give the template as template_body."
        )
    if template_body is None and template_required:
        raise RfsError(MISSING_PARAMETER, "template_body is required.")
    if body.has("vars_uri"):
        raise RfsError(INVALID_VALUE, "vars_uri names an OBS object; the mock has no OBS: give the vars as vars_body.")
    return StackInput(
        template_body=template_body,
        vars_body=body.string("vars_body", 1, MAX_VARS_BODY),
        vars_structure=_vars_structure(body),
    )


def _vars_structure(body: Body) -> tuple[VarEntry, ...]:
    raw = body.fields.get("vars_structure")
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise RfsError(INVALID_VALUE, "vars_structure must be an array.")
    found: list[VarEntry] = []
    for item in raw:
        if not isinstance(item, dict):
            raise RfsError(INVALID_VALUE, "Each vars_structure item must be an object.")
        entry = Body(item)
        entry.check_names("vars_structure", ("var_key", "var_value", "encryption"))
        kms = entry.child("encryption", ("kms",))
        kms_body = None if kms is None else kms.required_child("kms", ("id", "cipher_text"))
        found.append(
            VarEntry(
                entry.required_string("var_key", 1, 32),
                entry.required_string("var_value", 0, 2048),
                None if kms_body is None else kms_body.required_string("id"),
                None if kms_body is None else kms_body.required_string("cipher_text"),
            )
        )
    keys = [e.var_key for e in found]
    if len(set(keys)) != len(keys):
        raise RfsError(INVALID_VALUE, "vars_structure names a var twice.")
    return tuple(found)


def read(given: StackInput) -> tuple[TfTemplate | None, dict[str, object]]:
    """The template and vars of an input, 400 when either is unreadable (before anything changes)."""
    variables = stacks.variables_of(given)
    try:
        return stacks.template_of(given, variables), variables
    except TemplateError as error:
        raise RfsError(INVALID_TEMPLATE, str(error)) from error
