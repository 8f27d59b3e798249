"""pytest plugin (entry point ``stacksets``): fixtures, a marker and a teardown self-check.

* ``stacksets`` - an active in-process mock for AWS, Huawei RFS and Alibaba ROS at once, yielding the typed
  control object (``moto_stacksets_ext.control``). Fake AWS credentials and region are set for the test
  and restored after. Requests to Huawei or Alibaba hosts the mock does not serve fail at once.
* ``stacksets_server`` - the plugin's server on a free 127.0.0.1 port for the session, with factories for
  ready clients (``boto3_client``, ``rfs_client``, ``ros_client``); state is reset after each test.
* ``@pytest.mark.stacksets(progression=..., times=..., seconds=..., cloud=..., outcomes=[...],
  strict_roles=..., check_outcomes=...)`` - configure a test declaratively; a misspelt option fails the test
  with a clear error.
* Teardown self-check: a scripted outcome (deployment or Hook) nothing consumed fails the test (stale scripts
  do not pass silently), unless the test opts out with ``check_outcomes=False``.
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pytest

from . import _clouds
from ._control.suggest import did_you_mean, did_you_mean_all

# Nothing heavy at import: pytest loads this module in every run of every project that has the package
# installed, so moto, boto3 and the clouds' machinery are imported only when a fixture is used.
if TYPE_CHECKING:
    from .control import StackSetsControl
    from .engine.outcomes import Outcome

MARKER = "stacksets"
MARKER_OPTIONS = {"progression", "times", "seconds", "outcomes", "strict_roles", "check_outcomes", "cloud"}
OUTCOME_FIELDS = {"kind", "account", "region", "cloud", "stack_set", "action", "reason", "times"}
FAKE_AWS_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "stacksets(progression=None, times=1, seconds=1.0, cloud=None, outcomes=(), strict_roles=False, "
        "check_outcomes=True): configure the stacksets fixture for this test",
    )


class MarkerError(ValueError):
    """A ``@pytest.mark.stacksets`` that cannot be used as written."""


FIXTURES = ("stacksets", "stacksets_server")
_warned_nodes: set[str] = set()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """A marker no fixture reads would do nothing: on the test itself it is an error, inherited from a class
    or module it is a warning (once per class or module) for each test that takes neither fixture."""
    marker = item.get_closest_marker(MARKER)
    if marker is None or any(name in getattr(item, "fixturenames", ()) for name in FIXTURES):
        return
    if any(own.name == MARKER for own in getattr(item, "own_markers", ())):
        pytest.fail(
            f"@pytest.mark.stacksets on {item.name} does nothing: the test uses neither the stacksets nor the "
            "stacksets_server fixture (add one as an argument, or remove the marker)",
            pytrace=False,
        )
    parent = item.parent.nodeid if item.parent is not None else ""
    if parent not in _warned_nodes:
        _warned_nodes.add(parent)
        warnings.warn(
            pytest.PytestWarning(
                f"@pytest.mark.stacksets on {parent or 'the session'} does nothing for {item.name} (and any other "
                "test there that uses neither the stacksets nor the stacksets_server fixture)"
            ),
            stacklevel=1,
        )


@dataclass(frozen=True)
class MarkerOptions:
    progression: str | None = None
    times: int = 1
    seconds: float = 1.0
    cloud: str | None = None
    outcomes: tuple[Outcome, ...] = ()
    strict_roles: bool = False
    check_outcomes: bool = True


def _outcome(spec: Any) -> Outcome:
    from .engine.outcomes import Outcome, OutcomeKind

    if isinstance(spec, Outcome):
        return spec
    if not isinstance(spec, Mapping):
        raise MarkerError(f"@pytest.mark.stacksets: each outcome must be a dict or an Outcome, not {spec!r}")
    unknown = set(spec) - OUTCOME_FIELDS
    if unknown:
        raise MarkerError(
            f"@pytest.mark.stacksets: unknown outcome fields {sorted(unknown)}; use {sorted(OUTCOME_FIELDS)}"
            f"{did_you_mean_all(sorted(unknown), OUTCOME_FIELDS)}"
        )
    try:
        kind = OutcomeKind(spec.get("kind", "FAIL"))
    except ValueError as error:
        raise MarkerError(
            "@pytest.mark.stacksets: outcome kind must be FAIL, SUCCEED or DRIFT"
            f"{did_you_mean(spec.get('kind'), ('FAIL', 'SUCCEED', 'DRIFT'))}"
        ) from error
    return Outcome(
        kind,
        spec.get("reason"),
        spec.get("cloud"),
        spec.get("account"),
        spec.get("region"),
        spec.get("stack_set"),
        spec.get("action"),
        spec.get("times"),
    )


def options_for(node: pytest.Item) -> MarkerOptions:
    """The marker's options, or a clean test failure (no traceback) naming what is wrong with it."""
    try:
        return marker_options(node)
    except MarkerError as error:
        message = str(error)
    pytest.fail(message, pytrace=False)  # outside the except block: the message is printed once


def marker_options(node: pytest.Item) -> MarkerOptions:
    """The test's ``@pytest.mark.stacksets`` options, validated (closest marker wins)."""
    marker = node.get_closest_marker(MARKER)
    if marker is None:
        return MarkerOptions()
    if marker.args:
        raise MarkerError("@pytest.mark.stacksets takes keyword arguments only")
    unknown = set(marker.kwargs) - MARKER_OPTIONS
    if unknown:
        raise MarkerError(
            f"@pytest.mark.stacksets: unknown option(s) {sorted(unknown)}; valid options are {sorted(MARKER_OPTIONS)}"
            f"{did_you_mean_all(sorted(unknown), MARKER_OPTIONS)}"
        )
    kwargs = dict(marker.kwargs)
    progression = kwargs.get("progression")
    if progression not in (None, "immediate", "manual", "time"):
        raise MarkerError(
            f"@pytest.mark.stacksets: progression must be 'immediate', 'manual' or 'time', not {progression!r}"
            f"{did_you_mean(progression, ('immediate', 'manual', 'time'))}"
        )
    cloud = kwargs.get("cloud")
    if cloud is not None and cloud not in _clouds.names():
        names = _clouds.names()
        raise MarkerError(
            f"@pytest.mark.stacksets: cloud must be one of {list(names)}, not {cloud!r}{did_you_mean(cloud, names)}"
        )
    times, seconds = kwargs.get("times", 1), kwargs.get("seconds", 1.0)
    if not isinstance(times, int) or isinstance(times, bool) or times < 1:
        raise MarkerError(f"@pytest.mark.stacksets: times must be a positive integer, not {times!r}")
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool) or not seconds > 0:
        raise MarkerError(f"@pytest.mark.stacksets: seconds must be a positive number, not {seconds!r}")
    return MarkerOptions(
        progression=progression,
        times=times,
        seconds=float(seconds),
        cloud=cloud,
        outcomes=tuple(_outcome(spec) for spec in kwargs.get("outcomes", ())),
        strict_roles=bool(kwargs.get("strict_roles", False)),
        check_outcomes=bool(kwargs.get("check_outcomes", True)),
    )


def _apply(options: MarkerOptions, target: StackSetsControl) -> None:
    """Apply the marker; an outcome the control API refuses (an 11-digit account, an unknown region or
    action) fails the test at set-up with the control API's message, once."""
    try:
        if options.progression is not None:
            clouds = [options.cloud] if options.cloud else list(_clouds.names())
            for cloud in clouds:
                target.set_progression(options.progression, times=options.times, seconds=options.seconds, cloud=cloud)
        for outcome in options.outcomes:
            target.add_outcome(outcome)
        if options.strict_roles:
            target.strict_roles = True
    except ValueError as error:
        message = f"@pytest.mark.stacksets: {error}"
    else:
        return
    pytest.fail(message, pytrace=False)


def _stale(target: StackSetsControl) -> list[str]:
    """One line for each scripted outcome nothing used (deployment outcomes, then Hook outcomes)."""
    lines = [
        f"  {o.kind.value} account={o.account} region={o.region} cloud={o.cloud} stack_set={o.stack_set} "
        f"action={o.action}"
        for o in target.unconsumed_outcomes()
    ]
    lines += [
        f"  hook {o.status.value} type_name={o.type_name} target_type={o.target_type and o.target_type.value} "
        f"target_name={o.target_name} account={o.account} region={o.region}"
        for o in target.unconsumed_hook_outcomes()
    ]
    return lines


def _stale_outcomes_message(lines: list[str]) -> str:
    return (
        "moto-stacksets-ext: scripted outcome(s) that no deployment used:\n"
        + "\n".join(lines)
        + "\nRemove them, or opt out with @pytest.mark.stacksets(check_outcomes=False)."
    )


@pytest.fixture
def stacksets(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[StackSetsControl]:
    """An in-process mock of every cloud the plugin serves (under moto's ``TEST_SERVER_MODE``, the server at
    ``TEST_SERVER_MODE_ENDPOINT``, which ``control`` then acts on); yields the control object."""
    options = options_for(request.node)
    for name, value in FAKE_AWS_ENVIRONMENT.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    from .control import control
    from .plugin import mock_stacksets

    with mock_stacksets():
        _apply(options, control)
        yield control
        stale = _stale(control)
        if stale and options.check_outcomes:
            pytest.fail(_stale_outcomes_message(stale), pytrace=False)


class StacksetsServer:
    """A running plugin server and factories for clients pointed at it."""

    def __init__(self, endpoint: str) -> None:
        from .control import control

        self.endpoint = endpoint
        #: The server's control object (the server runs in this process).
        self.control: StackSetsControl = control

    def boto3_client(self, service: str = "cloudformation", region: str = "us-east-1") -> Any:
        import boto3

        make: Any = boto3.client  # any service name, not only the ones boto3-stubs knows
        return make(
            service,
            region_name=region,
            endpoint_url=self.endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def rfs_client(
        self, ak: str = "AK", sk: str = "SK", project_id: str | None = None, region: str = "cn-north-4"
    ) -> Any:
        """An RFS client of the server; without ``project_id``, the project the mock's IAM hands out for
        (``ak``, ``region``), so the calls are in ``region``."""
        from huaweicloudsdkcore.auth.credentials import BasicCredentials
        from huaweicloudsdkrfs.v1 import RfsClient

        from .huawei_rfs import project_id_for

        credentials = BasicCredentials(ak, sk, project_id or project_id_for(ak, region))
        return RfsClient.new_builder().with_credentials(credentials).with_endpoint(self.endpoint).build()

    def ros_client(self, access_key_id: str = "LTAI-test", secret: str = "secret", region: str = "cn-hangzhou") -> Any:
        from alibabacloud_ros20190910.client import Client
        from alibabacloud_tea_openapi.models import Config

        host = self.endpoint.split("://", 1)[1]
        return Client(
            Config(
                access_key_id=access_key_id,
                access_key_secret=secret,
                region_id=region,
                endpoint=host,
                protocol="http",
            )
        )

    def reset(self) -> None:
        import requests

        requests.post(f"{self.endpoint}/moto-api/stacksets/reset", timeout=30).raise_for_status()


@pytest.fixture(scope="session")
def _stacksets_server_session() -> Iterator[StacksetsServer]:
    from .server import ThreadedStackSetsServer

    previous = {name: os.environ.get(name) for name in ("NO_PROXY", "no_proxy")}
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
    server = ThreadedStackSetsServer(host="127.0.0.1", port=0)
    server.start()
    try:
        yield StacksetsServer(server.endpoint)
    finally:
        server.stop()
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture
def stacksets_server(
    request: pytest.FixtureRequest, _stacksets_server_session: StacksetsServer
) -> Iterator[StacksetsServer]:
    """The session's plugin server, configured by the test's marker and reset after the test."""
    options = options_for(request.node)
    control = _stacksets_server_session.control
    _stacksets_server_session.reset()  # clean at the start too, whatever ran before in this process
    _apply(options, control)
    try:
        yield _stacksets_server_session
        stale = _stale(control)
    finally:
        _stacksets_server_session.reset()
    if stale and options.check_outcomes:
        pytest.fail(_stale_outcomes_message(stale), pytrace=False)
