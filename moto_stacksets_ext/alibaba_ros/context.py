"""The engine side of one ROS request: the (account, region) namespace, ROS naming and deployer."""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

from .. import namespaces
from ..engine import regions
from ..engine.clock import clock
from ..engine.execution import Executor
from ..engine.lifecycle import Progression
from ..engine.model import StackSet
from ..engine.outcomes import outcomes
from ..engine.stacksets import StackSetNamespace
from .deployer import RosStackDeployer

CLOUD = "alibaba"
#: The model name of ROS stack-group operations in moto's state manager
#: (``/moto-api/state-manager/set-transition``); ``immediate`` by default.
OPERATION_MODEL = "alibaba-ros::stackgroup-operation"
_transition = namespaces.operation_model(OPERATION_MODEL)

#: The regions of ROS's endpoint map (alibabacloud-ros20190910 3.x): what stack instances may target.
REGIONS = frozenset(
    {
        "ap-northeast-1", "ap-northeast-2", "ap-south-1", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
        "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ap-southeast-8", "cn-beijing", "cn-chengdu",
        "cn-fuzhou", "cn-guangzhou", "cn-hangzhou", "cn-hangzhou-finance", "cn-heyuan", "cn-heyuan-acdr-1",
        "cn-hongkong", "cn-huhehaote", "cn-nanjing", "cn-qingdao", "cn-shanghai", "cn-shanghai-finance-1",
        "cn-shenzhen", "cn-shenzhen-finance-1", "cn-wuhan-lr", "cn-wulanchabu", "cn-wulanchabu-gic-1",
        "cn-zhangjiakou", "cn-zhengzhou-jva", "cn-zhongwei", "eu-central-1", "eu-west-1", "eu-west-2",
        "me-central-1", "me-east-1", "na-south-1", "sa-east-1", "us-east-1", "us-southeast-1", "us-west-1",
    }
)  # fmt: skip
#: Regions to add to ``REGIONS`` (comma-separated), for a region newer than the table.
REGIONS_ENV = "MOTO_STACKSETS_ALIBABA_REGIONS"


def known_regions() -> frozenset[str]:
    """``REGIONS`` plus the regions ``MOTO_STACKSETS_ALIBABA_REGIONS`` adds."""
    extra = {name.strip() for name in (os.environ.get(REGIONS_ENV) or "").split(",") if name.strip()}
    return REGIONS | extra


regions.register(CLOUD, lambda home: known_regions())


class RosNaming:
    """ROS ids: a StackGroupId is a UUID; stack groups have no ARN."""

    def stack_set_id(self, name: str) -> str:
        return str(uuid.uuid4())

    def stack_set_arn(self, stack_set_id: str) -> str | None:
        return None

    def stack_name(self, stack_set: StackSet) -> str:
        return f"StackGroup-{stack_set.stack_set_name}-{uuid.uuid4()}"


def progression() -> Progression:
    """The progression in force for ROS (stack-group operations and ``CreateStack`` stacks alike);
    ``InvalidProgression`` if the transition cannot be read."""
    return Progression.from_transition(_transition())


def _factory(key: tuple[str, str, str]) -> StackSetNamespace:
    return StackSetNamespace(
        identity=key,
        naming=RosNaming(),
        executor=Executor(CLOUD, RosStackDeployer(), clock, outcomes),
        clock=clock,
        transition=_transition,
        refuse_existing_instances=True,
    )


def namespace(account: str, region: str) -> StackSetNamespace:
    """The engine namespace of ``account``'s stack groups in ``region``."""
    return namespaces.namespace((CLOUD, account, region), _factory)


@dataclass(frozen=True)
class RosStackGroupProperties:
    """What ROS knows of a stack group beyond the engine's fields (the engine's ``provider_properties``)."""

    #: ``ResourceGroupId`` given at CreateStackGroup (None: the account's default resource group).
    resource_group_id: str | None = None


def group_properties(stack_set: StackSet) -> RosStackGroupProperties:
    """The ROS properties of a stack group (defaults for one the ROS front-end did not create)."""
    found = stack_set.provider_properties
    if isinstance(found, RosStackGroupProperties):
        return found
    return RosStackGroupProperties()
