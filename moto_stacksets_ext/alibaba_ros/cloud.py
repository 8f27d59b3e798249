"""The Alibaba cloud's record: ROS stack groups, served by the gateway (``FRONT_END``)."""

from __future__ import annotations

import re

from .._clouds import Cloud, register
from .._state import namespaces
from . import resource_types  # noqa: F401 - registers the stack-group resource types with the stack runner
from .deployer import restore_stacks
from .frontend import FRONT_END
from .naming import CLOUD, OPERATION_MODEL, RosStackGroupProperties, known_regions, namespace

CLOUD_RECORD = register(
    Cloud(
        name=CLOUD,
        operation_model=OPERATION_MODEL,
        account_pattern=re.compile(r"\d{16}"),
        account_description="16 digits, e.g. '1234567890123456'",
        account_example="1234567890123456",
        regions=lambda: tuple(known_regions()),
        namespace=namespace,
        namespaces=lambda: namespaces.all_namespaces(CLOUD),
        front_end=FRONT_END,
        unserved_hosts=re.compile(r"https?://(?!ros\.)[^/]*\.aliyuncs\.com(:\d+)?(/.*)?$"),
        provider_domains=r"aliyuncs\.com",
        restored=lambda stack_sets: restore_stacks(list(stack_sets)),
        persisted_types={"RosStackGroupProperties": RosStackGroupProperties},
    )
)
