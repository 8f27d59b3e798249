"""The AWS cloud's record: CloudFormation StackSets, served by moto's dispatcher (not the gateway).

Its namespaces live in the front-end's ``StackSetsBackend``s (one per account and region, created on first
access like every moto backend); a loaded state file gets its instances' moto stacks created again.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from .._clouds import Cloud, register
from ..engine.model import StackSet
from ..engine.stacksets import StackSetNamespace
from .execution_roles import AwsStackSetProperties
from .models import OPERATION_MODEL, stacksets_backends
from .stacks import restore_stacks

CLOUD = "aws"


@functools.lru_cache(maxsize=1)
def every_region() -> tuple[str, ...]:
    """Every region botocore knows for CloudFormation, in every partition."""
    import botocore.session

    session = botocore.session.get_session()
    found: list[str] = []
    for partition in session.get_available_partitions():
        found += session.get_available_regions("cloudformation", partition_name=partition)
    return tuple(dict.fromkeys(found))


def namespace(account: str, region: str) -> StackSetNamespace:
    found: StackSetNamespace = stacksets_backends[account][region].namespace
    return found


def namespaces() -> list[StackSetNamespace]:
    return [backend.namespace for _, regions in list(stacksets_backends.items()) for _, backend in regions.items()]


def has_home(account: str, region: str) -> bool:
    return region in stacksets_backends[account].regions


def restored(stack_sets: Sequence[StackSet]) -> None:
    restore_stacks(list(stack_sets))


CLOUD_RECORD = register(
    Cloud(
        name=CLOUD,
        title="AWS",
        operation_model=OPERATION_MODEL,
        account_pattern=re.compile(r"\d{12}"),
        account_description="12 digits, e.g. '111111111111'",
        account_example="123456789012",
        regions=every_region,
        namespace=namespace,
        namespaces=namespaces,
        created_on_read=True,
        has_home=has_home,
        restored=restored,
        persisted_types={"AwsStackSetProperties": AwsStackSetProperties},
    )
)
