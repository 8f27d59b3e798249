"""The test-control API speaks instead of silently doing nothing: outside any mock, and with arguments that
could never match (each message names the valid values)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import pytest

from moto_stacksets_ext import control, install, installed, mock_stacksets, uninstall
from moto_stacksets_ext.control import ControlArgumentError, NoActiveMockError


@pytest.fixture
def mocked() -> Iterator[None]:
    with mock_stacksets():
        yield


@pytest.fixture
def no_plugin() -> Iterator[None]:
    """No mock running and the plugin not installed (a session server in this process installed it)."""
    was_installed = installed()
    uninstall()
    yield
    if was_installed:
        install()


@pytest.mark.parametrize(
    "call",
    [
        lambda: control.fail(account="111111111111"),
        lambda: control.succeed(),
        lambda: control.drift(),
        lambda: control.set_progression("manual"),
        lambda: control.advance(10),
        lambda: control.freeze_clock(),
        lambda: control.hook_outcome(type_name="Org::Any::Hook"),
        lambda: setattr(control, "strict_roles", True),
    ],
    ids=["fail", "succeed", "drift", "set_progression", "advance", "freeze_clock", "hook_outcome", "strict_roles"],
)
def test_scripting_outside_any_mock_is_an_error(no_plugin: None, call: Any) -> None:
    with pytest.raises(NoActiveMockError, match="outside any mock"):
        call()
    assert control.outcomes == [] and control.hook_outcomes == []


def test_scripting_before_the_mock_starts_is_an_error_not_wiped_silently(no_plugin: None) -> None:
    with pytest.raises(NoActiveMockError, match=r"with mock_stacksets\(\)"):
        control.fail(account="222222222222", reason="would be wiped")
    with mock_stacksets():
        assert control.outcomes == []


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            {"action": "CREATE_STACK"},
            "action must be one of ['CREATE', 'UPDATE', 'DELETE', 'DETECT_DRIFT', 'ROLLBACK']",
        ),
        ({"action": "CREAT"}, "not 'CREAT' (did you mean 'CREATE'?)"),
        (
            {"region": "eu-westt-1"},
            "region 'eu-westt-1' is not a known region (did you mean 'eu-west-1', an aws region?)",
        ),
        (
            {"region": "eu-westt-1", "cloud": "aws"},
            "region 'eu-westt-1' is not a known aws region (did you mean 'eu-west-1'?)",
        ),
        ({"region": "cn-hangzhouu"}, "(did you mean 'cn-hangzhou', an alibaba region?)"),
        ({"region": "cn-north-44", "cloud": "huawei"}, "is not a known huawei region (did you mean 'cn-north-4'?)"),
        (
            {"region": "cn-hangzhou", "cloud": "huawei"},
            "'cn-hangzhou' is not a known huawei region (e.g. 'cn-north-1')",
        ),
        ({"region": "mars"}, "'mars' is not a known region of aws, huawei, alibaba (pass cloud= to say which)"),
        ({"account": "22222222222"}, "'22222222222' is not an account id (aws: 12 digits, e.g. '111111111111')"),
        ({"account": "123456789012345"}, "is not an account id (alibaba: 16 digits, e.g. '1234567890123456')"),
        ({"account": "0123456789abcdef0123456789abcde"}, "is not an account id (huawei: a domain id of 32"),
        ({"account": 222222222222}, "must be a string (aws: 12 digits, e.g. '111111111111'; huawei:"),
        ({"account": 222222222222}, "did you mean '222222222222'?"),
        ({"account": "1234567890123456", "cloud": "aws"}, "is not an account id (aws: 12 digits"),
        ({"cloud": "azure"}, "cloud must be one of ['aws', 'huawei', 'alibaba']"),
        ({"cloud": "huawai"}, "not 'huawai' (did you mean 'huawei'?)"),
        ({"times": 0}, "times must be a positive integer"),
    ],
)
def test_arguments_that_could_never_match_are_refused_with_the_valid_values(
    mocked: None, arguments: dict[str, Any], message: str
) -> None:
    with pytest.raises(ControlArgumentError) as raised:
        control.fail(**arguments)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)  # one line
    assert control.outcomes == []


@pytest.mark.parametrize(
    "arguments",
    [
        {"account": "111111111111", "region": "eu-west-1", "action": "UPDATE"},
        {"region": "cn-north-1"},  # aws-cn
        {"region": "us-gov-west-1"},
        {"cloud": "huawei", "account": "0123456789abcdef0123456789abcdef", "region": "cn-north-4"},
        {"cloud": "alibaba", "account": "1234567890123456", "region": "cn-hangzhou"},
        {"account": "1234567890123456"},  # no cloud: any cloud's account id
    ],
)
def test_valid_arguments_are_accepted(mocked: None, arguments: dict[str, Any]) -> None:
    outcome = control.fail(**arguments)
    assert control.outcomes == [outcome]


def test_drift_and_succeed_and_hook_outcomes_are_checked_too(mocked: None) -> None:
    with pytest.raises(ControlArgumentError, match="is not a known region"):
        control.drift(region="us-east-7")
    with pytest.raises(ControlArgumentError, match="action must be one of"):
        control.succeed(action="create")
    with pytest.raises(
        ControlArgumentError, match=r"'eu-westt-1' is not a known aws region \(did you mean 'eu-west-1'"
    ):
        control.hook_outcome(region="eu-westt-1")
    with pytest.raises(ControlArgumentError, match="must be a string"):
        control.hook_outcome(account=123456789012)
    with pytest.raises(ValueError, match="progression must be 'immediate', 'manual' or 'time'"):
        control.set_progression("slow")
    with pytest.raises(ControlArgumentError, match="times must be a positive integer"):
        control.set_progression("manual", times=0)
    assert control.outcomes == [] and control.hook_outcomes == []


def test_an_invalid_outcome_over_http_is_a_400_naming_the_valid_values(server_cf: Any, server: Any) -> None:
    import requests

    response = requests.post(
        f"{server.endpoint}/moto-api/stacksets/outcomes", json={"account": "123", "region": "eu-west-1"}, timeout=10
    )
    assert response.status_code == 400
    assert "'123' is not an account id" in response.json()["error"]
    response = requests.post(
        f"{server.endpoint}/moto-api/stacksets/outcomes", json={"action": "CREATE_STACK"}, timeout=10
    )
    assert response.status_code == 400
    assert "DETECT_DRIFT" in response.json()["error"]
    response = requests.post(f"{server.endpoint}/moto-api/stacksets/outcomes", json={"region": "eu-wset-1"}, timeout=10)
    assert response.status_code == 400
    assert "(did you mean 'eu-west-1', an aws region?)" in response.json()["error"]
    response = requests.post(f"{server.endpoint}/moto-api/stacksets/outcomes", json={"acount": "1"}, timeout=10)
    assert response.status_code == 400
    assert "(did you mean 'account' for 'acount'?)" in response.json()["error"]
    response = requests.post(f"{server.endpoint}/moto-api/stacksets/progression", json={"cloud": "huawai"}, timeout=10)
    assert response.status_code == 400
    assert "(did you mean 'huawei'?)" in response.json()["error"]


def test_the_decorator_keeps_the_signature() -> None:
    def deploy(stack_set: str, *, regions: int = 1) -> str:
        return f"{stack_set}:{regions}"

    wrapped = mock_stacksets(deploy)
    assert inspect.signature(wrapped) == inspect.signature(deploy)
    assert wrapped("s", regions=2) == "s:2"


def test_type_checkers_see_the_decorated_signature(tmp_path: Any) -> None:
    from pathlib import Path

    from mypy import api

    snippet = tmp_path / "snippet.py"
    snippet.write_text(
        "from moto_stacksets_ext import mock_stacksets\n\n\n"
        "@mock_stacksets\n"
        "def deploy(stack_set: str, *, regions: int = 1) -> str:\n"
        "    return stack_set\n\n\n"
        "ok: str = deploy('s', regions=2)\n"
        "bad = deploy(1)\n"
    )
    cache = Path(__file__).resolve().parent.parent / ".mypy_cache"
    report, _, status = api.run(
        [str(snippet), "--strict", "--cache-dir", str(cache), "--follow-imports", "silent", "--ignore-missing-imports"]
    )
    assert status == 1, report
    assert report.count("error:") == 1, report
    assert 'snippet.py:10: error: Argument 1 to "deploy" has incompatible type "int"; expected "str"' in report
