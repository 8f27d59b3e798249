"""One RFS call: who, where, the parsed request, and what every handler hands the engine about the stack set
it addresses (``Call.ref``: by the path's name only, the optional ``stack_set_id``, the call's own checks)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .._transport.gateway import GatewayRequest, GatewayResponse
from ..engine.errors import EngineError, StackInstanceNotFound
from ..engine.model import PermissionModel, StackSet
from ..engine.requests import StackSetRef
from ..engine.stacksets import StackSetNamespace
from .errors import INVALID_VALUE, OPERATION_CONFLICT, ErrorKind, RfsError, from_engine
from .params import Body, Query, stack_set_id, stack_set_name
from .state import properties


@dataclass(frozen=True)
class Call:
    request: GatewayRequest
    namespace: StackSetNamespace
    domain_id: str
    region: str
    query: Query
    #: Path parameters: stack_set_name, stack_set_operation_id, stack_instance_addr (as present).
    path: dict[str, str]

    @property
    def name(self) -> str:
        return stack_set_name(self.path["stack_set_name"])

    def body(self, allowed: tuple[str, ...]) -> Body:
        return Body.parse(self.request.body, allowed)

    def ref(self, expected_id: str | None, *checks: Callable[[StackSet], None]) -> StackSetRef:
        """The stack set of the path's name as the engine is to find it: by name only (RFS paths carry
        names), with ``expected_id`` (if given) its id (else 400), and the call's ``checks`` run on it
        within the engine call."""
        name = self.name
        stack_set_id(expected_id)

        def check(stack_set: StackSet) -> None:
            for each in checks:
                each(stack_set)

        return StackSetRef(name, by_name=True, expected_id=expected_id, check=check if checks else None)


@contextmanager
def engine_errors(*, conflict: ErrorKind = OPERATION_CONFLICT, missing_instance: bool = False) -> Iterator[None]:
    """Turn engine errors into RFS errors; with ``missing_instance``, naming an instance the stack set does
    not have is a bad request (400) rather than a 404."""
    try:
        yield
    except StackInstanceNotFound as error:
        if missing_instance:
            raise RfsError(
                INVALID_VALUE,
                f"The stack set has no stack instance in region {error.region} for domain {error.account}.",
            ) from error
        raise from_engine(error) from error
    except EngineError as error:
        raise from_engine(error, conflict=conflict) from error


def call_identity_check(identity: str) -> Callable[[StackSet], None]:
    """The check of ``call_identity`` on the stack set a call addresses."""
    return lambda stack_set: check_call_identity(identity, stack_set)


def check_call_identity(identity: str, stack_set: StackSet) -> None:
    """``call_identity=DELEGATED_ADMIN`` is for SERVICE_MANAGED stack sets only (RFS's model), else 400."""
    if identity == "DELEGATED_ADMIN" and stack_set.permission_model is not PermissionModel.SERVICE_MANAGED:
        raise RfsError(
            INVALID_VALUE,
            f"call_identity DELEGATED_ADMIN applies to SERVICE_MANAGED stack sets only; {stack_set.stack_set_name} "
            f"is {stack_set.permission_model.value}.",
        )


def require_agencies(stack_set: StackSet) -> None:
    """A SELF_MANAGED stack set deploys through its agencies: they must be complete before it deploys."""
    if stack_set.permission_model is not PermissionModel.SELF_MANAGED:
        return
    props = properties(stack_set)
    admin = props.administration_agency_name or props.administration_agency_urn
    if not admin or not props.managed_agency_name:
        raise RfsError(
            INVALID_VALUE,
            "A SELF_MANAGED stack set needs managed_agency_name and one of administration_agency_name or "
            "administration_agency_urn before it can deploy stack instances.",
        )


Handler = Callable[[Call], GatewayResponse]


def operation_started(operation_id: str) -> GatewayResponse:
    return GatewayResponse.json(202, {"stack_set_operation_id": operation_id})
