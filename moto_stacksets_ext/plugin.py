"""Registering the plugin with moto's request dispatcher, and the ``mock_stacksets`` mock.

moto routes every CloudFormation request through ``moto.cloudformation.urls.url_paths``; the plugin
puts its own response class (a subclass of moto's ``CloudFormationResponse``) on the main route, so
in-process mocks and moto's server both serve the plugin's stack-set actions and moto's own for the rest.
No file of moto's is edited.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any, TypeVar, overload

import moto
from moto.core.config import DefaultConfig
from moto.core.custom_responses_mock import CallbackResponse
from moto.core.models import RESPONSES_METHODS, MockAWS, responses_mock

from . import gateway, namespaces, vendored_requests
from .cloudformation import auto_deployment, organizations
from .cloudformation.hooks import patches as hook_patches
from .cloudformation.responses import StackSetsResponse

ROUTE = "{0}/$"
T = TypeVar("T")

_lock = threading.Lock()
_original: Any = None
_added_delegation = False


class PluginInstallError(RuntimeError):
    """moto lacks the extension point the plugin needs."""


def _routes() -> dict[str, Any]:
    try:
        from moto.cloudformation import urls
    except ImportError as error:  # pragma: no cover - depends on the installed moto
        raise PluginInstallError(
            f"moto {moto.__version__} has no moto.cloudformation.urls module; moto-stacksets-ext needs moto>=5.1,<6"
        ) from error
    paths = getattr(urls, "url_paths", None)
    if not isinstance(paths, dict) or ROUTE not in paths:
        raise PluginInstallError(
            f"moto {moto.__version__} has no CloudFormation route {ROUTE!r} in moto.cloudformation.urls.url_paths; "
            "moto-stacksets-ext needs moto>=5.1,<6"
        )
    return paths


def _is_ours(handler: Any) -> bool:
    return getattr(handler, "__self__", None) is StackSetsResponse


def installed() -> bool:
    """Whether moto currently routes CloudFormation requests to the plugin."""
    try:
        return _is_ours(_routes()[ROUTE])
    except PluginInstallError:
        return False


def install() -> None:
    """Register the plugin with moto's dispatcher. Idempotent; raises ``PluginInstallError`` if the
    installed moto lacks the extension point."""
    global _original, _added_delegation
    with _lock:
        paths = _routes()
        if _is_ours(paths[ROUTE]):
            return
        _original = paths[ROUTE]
        paths[ROUTE] = StackSetsResponse.dispatch
        _added_delegation = organizations.allow_stacksets_delegation()
        auto_deployment.patch()
        hook_patches.patch()
    register_clouds()


def uninstall() -> None:
    """Give CloudFormation back to moto. Idempotent."""
    global _original, _added_delegation
    with _lock:
        paths = _routes()
        if not _is_ours(paths[ROUTE]):
            return
        paths[ROUTE] = _original
        _original = None
        auto_deployment.unpatch()
        hook_patches.unpatch()
        if _added_delegation:
            organizations.disallow_stacksets_delegation()
            _added_delegation = False


def register_clouds() -> None:
    """Register the Huawei RFS and Alibaba ROS front-ends with the gateway."""
    from . import alibaba_ros, huawei_rfs

    gateway.register(huawei_rfs.FRONT_END)
    gateway.register(alibaba_ros.FRONT_END)


#: Huawei and Alibaba hosts the mock does not serve: requests to them fail at once, never reach the network.
UNSERVED_CLOUD_HOSTS = (
    re.compile(r"https?://(?!(rfs|iam)\.)[^/]*\.myhuaweicloud\.com(:\d+)?(/.*)?$"),
    re.compile(r"https?://(?!ros\.)[^/]*\.aliyuncs\.com(:\d+)?(/.*)?$"),
)


class UnservedEndpointError(ConnectionError):
    """A request under the mock went to a cloud endpoint the mock does not serve."""


def _refuse(request: Any) -> tuple[int, dict[str, str], str]:
    raise UnservedEndpointError(
        f"moto-stacksets-ext: {request.method} {request.url} is a cloud endpoint this mock does not serve; "
        "the request was not sent (only RFS, IAM project lookups and ROS are mocked)"
    )


class StackSetsMock(MockAWS):
    """moto's ``mock_aws`` with the plugin installed, intercepting the Huawei and Alibaba endpoints too.

    The plugin's state (every cloud's stack sets, the clock, scripted outcomes) resets with moto's.
    """

    def start(self, reset: bool = True) -> None:
        install()
        super().start(reset=reset)
        namespaces.touch()

    def _enable_patching(self, reset: bool = True) -> None:
        super()._enable_patching(reset=reset)
        for front_end in gateway.front_ends():
            callback = gateway.responses_callback(front_end)
            for pattern in front_end.host_patterns:
                for method in RESPONSES_METHODS:
                    responses_mock.add(CallbackResponse(method=method, url=pattern, callback=callback))
        for pattern in UNSERVED_CLOUD_HOSTS:
            for method in RESPONSES_METHODS:
                responses_mock.add(CallbackResponse(method=method, url=pattern, callback=_refuse))
        vendored_requests.patch(UNSERVED_CLOUD_HOSTS)  # clients with their own copy of requests

    def _disable_patching(self, remove_data: bool) -> None:
        vendored_requests.unpatch()
        super()._disable_patching(remove_data)


@overload
def mock_stacksets(func: None = None, config: DefaultConfig | None = None) -> StackSetsMock: ...


@overload
def mock_stacksets(func: Callable[..., T], config: DefaultConfig | None = None) -> Callable[..., T]: ...


def mock_stacksets(
    func: Callable[..., T] | None = None, config: DefaultConfig | None = None
) -> StackSetsMock | Callable[..., T]:
    """Use exactly like moto's ``mock_aws``: as a function or class decorator, or a context manager.

    >>> with mock_stacksets():
    ...     boto3.client("cloudformation", region_name="us-east-1").list_stack_sets()
    """
    mock = StackSetsMock(config)
    if func is not None:
        return mock(func)
    return mock
