"""Registering the plugin with moto's request dispatcher, and the ``mock_stacksets`` mock.

moto routes every CloudFormation request through ``moto.cloudformation.urls.url_paths``; the plugin
puts its own response class (a subclass of moto's ``CloudFormationResponse``) on the main route, so
in-process mocks and moto's server both serve the plugin's stack-set actions and moto's own for the rest.
No file of moto's is edited; every moto internal used is reached through ``moto_internals``.

Two ways in:

* ``install()`` (moto's server, ``mock_aws`` users): the plugin stays installed until ``uninstall()``;
* ``mock_stacksets`` installs it while the outermost ``mock_stacksets`` runs and gives CloudFormation back to
  moto when it ends (unless ``install()`` was called), so a later plain ``mock_aws`` test is served by moto.
  Under moto's ``TEST_SERVER_MODE`` it installs nothing here: every client (and ``control``) goes to the server.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar, overload

from moto import settings as moto_settings
from moto.core.config import DefaultConfig
from moto.core.custom_responses_mock import CallbackResponse
from moto.core.models import RESPONSES_METHODS, MockAWS, ServerModeMockAWS, responses_mock

from . import _clouds, moto_internals
from ._state import namespaces
from ._transport import async_http, forwarding, gateway, vendored_requests
from ._transport.gateway import UnservedEndpointError
from .cloudformation import (
    _direct,
    auto_deployment,
    caches,
    organizations,
    schema_patches,
    stackset_resource,
    template_types,
)
from .cloudformation.hooks import patches as hook_patches
from .cloudformation.responses import StackSetsResponse
from .moto_internals import MotoContractError, PluginInstallError

ROUTE = moto_internals.CLOUDFORMATION_ROUTE
T = TypeVar("T")
C = TypeVar("C", bound=type)
P = ParamSpec("P")

__all__ = [
    "MotoContractError",
    "PluginInstallError",
    "ServerModeStackSetsMock",
    "StackSetsMock",
    "UnservedEndpointError",
    "active",
    "install",
    "installed",
    "mock_stacksets",
    "uninstall",
]

_lock = threading.RLock()
_original: Any = None
_added_delegation = False
#: ``install()`` was called (by the user or the server): mocks ending leave the plugin installed.
_explicit = False
#: How many ``mock_stacksets`` are running (nested or not, in-process or TEST_SERVER_MODE).
_active_mocks = 0
#: The server the running TEST_SERVER_MODE ``mock_stacksets`` sends clients and ``control`` to.
_server_endpoint: str | None = None


def _routes() -> dict[str, Any]:
    return moto_internals.cloudformation_routes()


def _is_ours(handler: Any) -> bool:
    return getattr(handler, "__self__", None) is StackSetsResponse


def installed() -> bool:
    """Whether moto currently routes CloudFormation requests to the plugin."""
    try:
        return _is_ours(_routes()[ROUTE])
    except PluginInstallError:
        return False


def active() -> bool:
    """Whether the plugin serves requests now: a ``mock_stacksets`` is running, or ``install()`` was called."""
    return _active_mocks > 0 or (_explicit and installed())


def server_mode() -> bool:
    """Whether the running ``mock_stacksets`` forwards to a server (moto's ``TEST_SERVER_MODE``). Never in a
    thread answering a request (a server running in this process acts on its own state)."""
    return _active_mocks > 0 and moto_settings.TEST_SERVER_MODE and not gateway.serving_here()


def server_endpoint() -> str:
    """The server the running TEST_SERVER_MODE mock forwards to (``TEST_SERVER_MODE_ENDPOINT``)."""
    return (_server_endpoint or moto_settings.test_server_mode_endpoint()).rstrip("/")


def install() -> None:
    """Register the plugin with moto's dispatcher until ``uninstall()``. Idempotent; raises
    ``PluginInstallError`` (``MotoContractError``) if the installed moto lacks an extension point the plugin
    needs."""
    global _explicit
    with _lock:
        _install()
        _explicit = True


def _install() -> None:
    global _original, _added_delegation
    with _lock:
        paths = _routes()
        moto_internals.check_contract()
        if not _is_ours(paths[ROUTE]):
            _original = paths[ROUTE]
            paths[ROUTE] = StackSetsResponse.dispatch
            _added_delegation = organizations.allow_stacksets_delegation()
            auto_deployment.patch()
            hook_patches.patch()
            caches.patch()
            _direct.patch()
            template_types.patch()
            template_types.register(stackset_resource.StackSetResource)
            schema_patches.patch()


def uninstall() -> None:
    """Give CloudFormation back to moto. Idempotent."""
    global _explicit
    with _lock:
        _explicit = False
        _uninstall()


def _uninstall() -> None:
    global _original, _added_delegation
    with _lock:
        paths = _routes()
        if not _is_ours(paths[ROUTE]):
            return
        paths[ROUTE] = _original
        _original = None
        schema_patches.unpatch()
        auto_deployment.unpatch()
        hook_patches.unpatch()
        caches.unpatch()
        _direct.unpatch()
        template_types.unpatch()
        if _added_delegation:
            organizations.disallow_stacksets_delegation()
            _added_delegation = False


def unserved_cloud_hosts() -> tuple[re.Pattern[str], ...]:
    """The clouds' hosts the mock does not serve: requests to them fail at once, never reach the network."""
    return tuple(cloud.unserved_hosts for cloud in _clouds.clouds() if cloud.unserved_hosts is not None)


def not_a_cloud_host() -> re.Pattern[str]:
    """Any URL but a host of the clouds' providers (under TEST_SERVER_MODE they go out unchanged, e.g. to the
    server)."""
    domains = "|".join(cloud.provider_domains for cloud in _clouds.clouds() if cloud.provider_domains)
    return re.compile(rf"^(?!https?://[^/?#]*\.({domains})(:\d+)?([/?#]|$))" if domains else r"^")


def _refuse(request: Any) -> tuple[int, dict[str, str], str]:
    raise gateway.unserved_endpoint(str(request.method), str(request.url))


def _intercept_clouds(mock: Any, answer: gateway.Answer | None) -> None:
    """Add the cloud front-ends' hosts to ``mock`` (a ``responses`` mock), answered by ``answer`` (this
    process by default), and refuse the cloud hosts the mock does not serve; the same for the clients with a
    copy of ``requests`` of their own and for aiohttp (``async_http``: the Tea SDK's ``*_async`` methods)."""
    for front_end in gateway.front_ends():
        callback = gateway.responses_callback(front_end, answer)
        for pattern in front_end.host_patterns:
            for method in RESPONSES_METHODS:
                mock.add(CallbackResponse(method=method, url=pattern, callback=callback))
    unserved = unserved_cloud_hosts()
    for pattern in unserved:
        for method in RESPONSES_METHODS:
            mock.add(CallbackResponse(method=method, url=pattern, callback=_refuse))
    vendored_requests.patch(unserved, answer)
    async_http.patch(unserved, answer)


def _release_clouds() -> None:
    """Undo ``_intercept_clouds``' patches of other clients than ``requests``."""
    try:
        vendored_requests.unpatch()
    finally:
        async_http.unpatch()


def _enter(reset: bool) -> None:
    """Bookkeeping when a ``mock_stacksets`` starts: install for the outermost one, start clean."""
    global _active_mocks
    with _lock:
        outermost = _active_mocks == 0
        if outermost and not moto_settings.TEST_SERVER_MODE:
            _install()
            if reset:  # as moto: only the outermost mock resets
                namespaces.touch()  # so moto's reset (in start) reaches the plugin's process-wide state too
                namespaces.reset_process_state()
        _active_mocks += 1


def _leave(remove_data: bool) -> None:
    """Bookkeeping when a ``mock_stacksets`` stops: leave nothing behind, give moto its routing back."""
    global _active_mocks
    with _lock:
        _active_mocks = max(0, _active_mocks - 1)
        if _active_mocks > 0 or moto_settings.TEST_SERVER_MODE:
            return
        if remove_data:  # as moto: the outermost mock removes the data when it ends
            namespaces.reset_process_state()
        if not _explicit:
            _uninstall()


class _WithPluginState(MockAWS):
    """A moto mock whose start and stop also enter and leave the plugin (its state, its route)."""

    def start(self, reset: bool = True) -> None:
        _enter(reset)
        try:
            super().start(reset=reset)
        except BaseException:
            _leave(False)
            raise

    def stop(self, remove_data: bool = True) -> None:
        try:
            super().stop(remove_data=remove_data)
        finally:
            _leave(remove_data)


class StackSetsMock(_WithPluginState):
    """moto's ``mock_aws`` with the plugin installed, intercepting the Huawei and Alibaba endpoints too
    (``requests``, the Alibaba core SDK's vendored copy of it, and aiohttp).

    The plugin's state (every cloud's stack sets, the clock, scripted outcomes, progressions, the record of
    calls) resets with moto's: at the start of the mock and when it ends. When the outermost mock ends,
    CloudFormation goes back to moto (unless ``install()`` was called).
    """

    def _enable_patching(self, reset: bool = True) -> None:
        super()._enable_patching(reset=reset)
        _intercept_clouds(responses_mock, None)

    def _disable_patching(self, remove_data: bool) -> None:
        _release_clouds()
        super()._disable_patching(remove_data)


class ServerModeStackSetsMock(_WithPluginState, ServerModeMockAWS):
    """``mock_stacksets`` under moto's ``TEST_SERVER_MODE=true``, like ``mock_aws`` there: boto3 clients go to
    ``TEST_SERVER_MODE_ENDPOINT`` (a ``moto-stacksets-server``), whose state ``/moto-api/reset`` clears at the
    start and end. The Huawei RFS and Alibaba ROS SDKs' requests to their real hosts are forwarded to that
    server too (``forwarding``: the signed ``Host`` is kept), and ``control`` acts on the server through its
    HTTP control API (``remote_control``)."""

    _cloud_mock: Any = None

    def _enable_patching(self, reset: bool = True) -> None:
        import responses

        global _server_endpoint
        super()._enable_patching(reset=reset)
        _server_endpoint = self._test_server_mode_endpoint
        cloud_mock = responses.RequestsMock(assert_all_requests_are_fired=False)
        cloud_mock.add_passthru(not_a_cloud_host())
        _intercept_clouds(cloud_mock, forwarding.forwarder(server_endpoint()))
        cloud_mock.start()
        self._cloud_mock = cloud_mock

    def _disable_patching(self, remove_data: bool) -> None:
        global _server_endpoint
        _release_clouds()
        try:
            super()._disable_patching(remove_data)
        finally:
            if self._cloud_mock is not None:
                self._cloud_mock.stop()
                self._cloud_mock = None
            _server_endpoint = None


@overload
def mock_stacksets(func: None = None, config: DefaultConfig | None = None) -> MockAWS: ...


@overload
def mock_stacksets(func: C, config: DefaultConfig | None = None) -> C: ...


@overload
def mock_stacksets(func: Callable[P, T], config: DefaultConfig | None = None) -> Callable[P, T]: ...


def mock_stacksets(func: Any = None, config: DefaultConfig | None = None) -> Any:
    """Use exactly like moto's ``mock_aws``: as a function or class decorator, or a context manager.
    The decorated function keeps its signature for type checkers. Under moto's ``TEST_SERVER_MODE=true`` it
    sends boto3 clients to the server, as ``mock_aws`` does, and the Huawei/Alibaba SDKs and ``control`` too.

    >>> with mock_stacksets():
    ...     boto3.client("cloudformation", region_name="us-east-1").list_stack_sets()
    """
    mock: Any = ServerModeStackSetsMock(config) if moto_settings.TEST_SERVER_MODE else StackSetsMock(config)
    if func is not None:
        return mock(func)
    return mock
