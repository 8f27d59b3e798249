"""The cloud-neutral engine: stack sets, instances, operations, their lifecycle, clock and page tokens.

It knows nothing of HTTP or of any provider; the front-ends (``cloudformation``, and later Huawei RFS
and Alibaba ROS) translate their requests into calls on a ``StackSetNamespace`` and its answers
and ``EngineError`` s into their own dialect.
"""

from .clock import Clock, clock
from .errors import EngineError
from .execution import Deployer, DeployKind, Deployment, DeployOutcome, Executor, RecordingDeployer
from .pagination import Page, TokenCodec
from .stacksets import (
    InstanceFilter,
    Naming,
    OperationRequest,
    StackSetChanges,
    StackSetNamespace,
    StackSetSpec,
)

__all__ = [
    "Clock",
    "DeployKind",
    "DeployOutcome",
    "Deployer",
    "Deployment",
    "EngineError",
    "Executor",
    "InstanceFilter",
    "Naming",
    "OperationRequest",
    "Page",
    "RecordingDeployer",
    "StackSetChanges",
    "StackSetNamespace",
    "StackSetSpec",
    "TokenCodec",
    "clock",
]
