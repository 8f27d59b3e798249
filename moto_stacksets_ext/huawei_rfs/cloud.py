"""The Huawei cloud's record: RFS stack sets, served by the gateway (``FRONT_END``)."""

from __future__ import annotations

import re

from .._clouds import Cloud, register
from .._state import namespaces
from .frontend import FRONT_END
from .identity import KNOWN_REGIONS, check_environment
from .instance_stacks import restore_stacks
from .names import CLOUD, OPERATION_MODEL
from .naming import namespace_of
from .state import RfsStackSetProperties, VarsUriOverride

CLOUD_RECORD = register(
    Cloud(
        name=CLOUD,
        operation_model=OPERATION_MODEL,
        account_pattern=re.compile(r"[0-9a-f]{32}"),
        account_description="a domain id of 32 lower-case hex characters",
        account_example="0123456789abcdef0123456789abcdef",
        regions=lambda: tuple(KNOWN_REGIONS),
        namespace=namespace_of,
        namespaces=lambda: namespaces.all_namespaces(CLOUD),
        front_end=FRONT_END,
        unserved_hosts=re.compile(r"https?://(?!(rfs|iam)\.)[^/]*\.myhuaweicloud\.(com|eu)(:\d+)?(/.*)?$"),
        provider_domains=r"myhuaweicloud\.(com|eu)",
        check_environment=check_environment,
        restored=lambda stack_sets: restore_stacks(list(stack_sets)),
        persisted_types={"RfsStackSetProperties": RfsStackSetProperties, "VarsUriOverride": VarsUriOverride},
    )
)
