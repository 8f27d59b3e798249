"""One ROS call: its parameters, the calling account and region, the engine namespace, shared checks."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property

from ..engine.errors import EngineError
from ..engine.model import Parameter, Preferences, StackSet
from ..engine.stacksets import StackSetNamespace
from . import preferences as ros_preferences
from . import regions
from .errors import from_engine, invalid_parameter, missing_parameter
from .naming import namespace
from .params import Params

_GROUP_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,254}$")
_CLIENT_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_REGION = re.compile(r"^[a-z]+(-[a-z0-9]+)+$")


@dataclass
class Call:
    action: str
    params: Params
    account: str

    @cached_property
    def region(self) -> str:
        region = self.params.required("RegionId")
        if not _REGION.match(region):
            raise invalid_parameter("RegionId", f"the region ({region}) is not a valid region id")
        return regions.check(region)

    @cached_property
    def namespace(self) -> StackSetNamespace:
        return namespace(self.account, self.region)

    # -- common parameters ------------------------------------------------------------------------------
    def stack_group_name(self, *, validate: bool = False) -> str:
        name = self.params.required("StackGroupName")
        if validate and not _GROUP_NAME.match(name):
            raise invalid_parameter(
                "StackGroupName",
                "it should be at most 255 characters, start with a letter or digit and contain only "
                "letters, digits, hyphens (-) and underscores (_)",
            )
        return name

    def description(self, name: str) -> str | None:
        return self.params.string(name, max_length=256)

    def client_token(self) -> str | None:
        """``ClientToken``: the engine's idempotency key (a replay of the same call returns its operation)."""
        token = self.params.string("ClientToken")
        if token is not None and not _CLIENT_TOKEN.match(token):
            raise invalid_parameter(
                "ClientToken", "it should be at most 64 letters, digits, hyphens (-) or underscores (_)"
            )
        return token

    def preferences(self, *, allow_region_concurrency: bool = True) -> Preferences:
        return ros_preferences.parse(
            self.params.json_object("OperationPreferences"), allow_region_concurrency=allow_region_concurrency
        )

    def parameters(self, name: str) -> list[Parameter] | None:
        records = self.params.flat_records(name, max_items=200)
        if records is None:
            return None
        parameters: list[Parameter] = []
        for index, record in enumerate(records, start=1):
            key = record.get("ParameterKey")
            value = record.get("ParameterValue")
            if not key:
                raise missing_parameter(f"{name}.{index}.ParameterKey")
            if value is None:
                raise missing_parameter(f"{name}.{index}.ParameterValue")
            parameters.append(Parameter(key, value))
        return parameters

    # -- engine -----------------------------------------------------------------------------------------
    @contextmanager
    def engine(self, stack_group_name: str | None = None) -> Iterator[None]:
        """Engine errors raised inside become ROS errors."""
        try:
            yield
        except EngineError as error:
            raise from_engine(error, stack_group_name) from error

    def stack_group(self, name: str) -> StackSet:
        """A live stack group by name or id (the engine's door catches it up with the clock)."""
        with self.engine(name):
            return self.namespace.get_stack_set(name)
