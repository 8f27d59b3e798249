"""RFS facts the engine keeps for the front-end, in typed subclasses of the engine's own value types.

The front-end holds no state: what RFS knows about a stack set or an operation beyond the engine's
neutral fields rides on the engine objects themselves.

* :class:`RfsStackSetProperties` is the stack set's ``managed_execution`` (``active`` is RFS's
  ``managed_operation.enable_parallel_operation``) plus the RFS-only properties: agencies, vars, the
  initial stack description and the stack set's times.
* :class:`RfsDeploymentTargets` is an operation's ``deployment_targets`` with the regions as sent.
* :class:`VarsUriOverride` is an instance override pointing at a vars file (``var_overrides.vars_uri``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from ..engine.model import DeploymentTargets, ManagedExecution, Parameter, StackSet


@dataclass
class RfsStackSetProperties(ManagedExecution):
    create_time: datetime | None = None
    update_time: datetime | None = None
    initial_stack_description: str | None = None
    administration_agency_name: str | None = None
    administration_agency_urn: str | None = None
    managed_agency_name: str | None = None
    vars_uri: str | None = None
    vars_body: str | None = None
    #: The vars the stack set records (names), from ``vars_body``.
    var_names: list[str] = field(default_factory=list)


@dataclass
class RfsDeploymentTargets(DeploymentTargets):
    regions: list[str] = field(default_factory=list)


@dataclass
class VarsUriOverride(Parameter):
    """An override naming a vars file rather than one var (``parameter_value`` is the URI)."""


VARS_URI_KEY = "vars_uri"


def properties(stack_set: StackSet) -> RfsStackSetProperties:
    """The RFS properties of a stack set (defaults for one the RFS front-end did not create)."""
    found = stack_set.managed_execution
    if isinstance(found, RfsStackSetProperties):
        return found
    return RfsStackSetProperties(active=found.active)
