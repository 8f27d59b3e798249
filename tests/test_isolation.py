"""Every test that uses the stacksets fixture, the marker or @mock_stacksets starts with clean plugin state and
leaves nothing behind; the plugin gives CloudFormation back to moto; pytest pays nothing for the plugin until a
test uses it. Shown through pytester runs of small test files, in both orders and under xdist."""

from __future__ import annotations

import itertools

import pytest

pytest_plugins = ["pytester"]

TEMPLATE = '{"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}'

#: Tests that leave as much behind as a test can, each through a different door.
DIRTY = """
import boto3
import pytest
from moto_stacksets_ext import control, mock_stacksets

TEMPLATE = TEMPLATE_JSON


def _dirty(stacksets=control):
    stacksets.set_progression("manual", times=5)
    stacksets.set_progression("time", seconds=30, cloud="huawei")
    stacksets.fail(account="999999999999", reason="left behind")
    stacksets.hook_outcome(type_name="Org::Left::Behind")
    stacksets.freeze_clock()
    stacksets.advance(86400 * 400)
    stacksets.strict_roles = True
    boto3.client("cloudformation", region_name="us-east-1").create_stack_set(StackSetName="left", TemplateBody=TEMPLATE)


@pytest.mark.stacksets(check_outcomes=False)
def test_dirty_fixture(stacksets):
    _dirty(stacksets)


@pytest.mark.stacksets(progression="manual", times=7, check_outcomes=False,
                       outcomes=[{"account": "888888888888", "reason": "from the marker"}])
def test_dirty_marker(stacksets):
    boto3.client("cloudformation", region_name="us-east-1").create_stack_set(StackSetName="left", TemplateBody=TEMPLATE)


@mock_stacksets
def test_dirty_decorator():
    _dirty()


def test_dirty_context_manager():
    with mock_stacksets():
        _dirty()
"""

#: Tests that see the default state, each through a different door.
CLEAN = """
from datetime import datetime, timedelta, timezone

import boto3
from moto.moto_api import state_manager
from moto_stacksets_ext import control, installed, mock_stacksets

TEMPLATE = TEMPLATE_JSON


def _assert_clean(stacksets=control):
    for model in ("cloudformation::stackset-operation", "huawei-rfs::stackset-operation"):
        assert state_manager.get_transition(model) == {"progression": "immediate"}
    assert stacksets.outcomes == [] and stacksets.hook_outcomes == []
    assert abs(stacksets.now() - datetime.now(timezone.utc)) < timedelta(minutes=5)
    assert stacksets.strict_roles is False
    assert len(stacksets.calls) == 0
    cf = boto3.client("cloudformation", region_name="us-east-1")
    assert cf.list_stack_sets()["Summaries"] == []
    cf.create_stack_set(StackSetName="s", TemplateBody=TEMPLATE)
    operation_id = cf.create_stack_instances(StackSetName="s", Accounts=["111111111111"], Regions=["us-east-1"])[
        "OperationId"
    ]
    operation = cf.describe_stack_set_operation(StackSetName="s", OperationId=operation_id)["StackSetOperation"]
    assert operation["Status"] == "SUCCEEDED" and "StatusDetails" in operation


def test_clean_fixture(stacksets):
    _assert_clean(stacksets)


@mock_stacksets
def test_clean_decorator():
    _assert_clean()


def test_clean_context_manager_and_nothing_left_after():
    with mock_stacksets():
        _assert_clean()
    assert not installed()
    for model in ("cloudformation::stackset-operation", "huawei-rfs::stackset-operation"):
        assert state_manager.get_transition(model) == {"progression": "immediate"}
    assert control.outcomes == [] and len(control.calls) == 0
"""


def _files(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_dirty=DIRTY.replace("TEMPLATE_JSON", repr(TEMPLATE)),
        test_clean=CLEAN.replace("TEMPLATE_JSON", repr(TEMPLATE)),
    )


def _run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)


@pytest.mark.parametrize("order", ["dirty first", "clean first"])
def test_isolation_in_both_orders(pytester: pytest.Pytester, order: str) -> None:
    _files(pytester)
    dirty = [f"test_dirty.py::{name}" for name in ("test_dirty_fixture", "test_dirty_marker", "test_dirty_decorator")]
    dirty.append("test_dirty.py::test_dirty_context_manager")
    clean = [
        f"test_clean.py::{name}"
        for name in ("test_clean_fixture", "test_clean_decorator", "test_clean_context_manager_and_nothing_left_after")
    ]
    # Interleaved, so each clean test follows a dirty one (pytest runs node ids in the order given).
    first, second = (dirty, clean) if order == "dirty first" else (clean, dirty)
    interleaved = [node for pair in itertools.zip_longest(first, second) for node in pair if node is not None]
    result = _run(pytester, *interleaved)
    result.assert_outcomes(passed=7)


def test_isolation_under_xdist(pytester: pytest.Pytester) -> None:
    _files(pytester)
    result = _run(pytester, "-n", "2", "-p", "no:randomly")
    result.assert_outcomes(passed=7)


def test_a_plain_mock_aws_test_after_the_plugin_is_served_by_moto(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_order=f"""
import boto3
from moto import mock_aws
from moto_stacksets_ext import installed, mock_stacksets

TEMPLATE = {TEMPLATE!r}


def test_first_the_plugin(stacksets):
    assert installed()


@mock_stacksets
def test_then_the_decorator():
    assert installed()


@mock_aws
def test_then_plain_moto():
    assert not installed()
    cf = boto3.client("cloudformation", region_name="us-east-1")
    for index in range(3):
        cf.create_stack_set(StackSetName=f"s{{index}}", TemplateBody=TEMPLATE)
    # moto's own ListStackSets ignores MaxResults; the plugin would page.
    assert "NextToken" not in cf.list_stack_sets(MaxResults=1)
"""
    )
    _run(pytester).assert_outcomes(passed=3)


def test_install_keeps_the_plugin_after_the_mock(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        test_install="""
from moto_stacksets_ext import install, installed, mock_stacksets, uninstall


def test_install_survives_mocks():
    install()
    with mock_stacksets():
        with mock_stacksets():
            assert installed()
        assert installed()
    assert installed()
    uninstall()
    assert not installed()
"""
    )
    _run(pytester).assert_outcomes(passed=1)


def test_an_unrelated_run_with_a_broken_aws_profile_loads_nothing(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(
        test_unrelated="""
import sys


def test_unrelated():
    assert "moto_stacksets_ext.pytest_plugin" in sys.modules  # the plugin is loaded...
    heavy = [name for name in ("moto", "boto3", "botocore", "moto_stacksets_ext.plugin") if name in sys.modules]
    assert heavy == []  # ...but imported nothing heavy
"""
    )
    config = pytester.path / "aws-config"
    config.write_text("[profile other]\nregion = us-east-1\n")
    monkeypatch.setenv("AWS_PROFILE", "dev")  # no such profile: botocore would raise ProfileNotFound
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    _run(pytester).assert_outcomes(passed=1)


def test_the_package_loads_the_clouds_only_when_used() -> None:
    import subprocess
    import sys

    probe = """
import sys
def loaded(*names):
    return sorted(n for n in sys.modules if any(n == m or n.startswith(m + ".") for m in names))
CLOUDS = ("moto_stacksets_ext.huawei_rfs", "moto_stacksets_ext.alibaba_ros",
          "huaweicloudsdkcore", "alibabacloud_ros20190910")
import moto_stacksets_ext
print(loaded("moto", "boto3", *CLOUDS))
from moto_stacksets_ext import control, mock_stacksets
print(loaded(*CLOUDS))
with mock_stacksets():
    print(bool(loaded("moto_stacksets_ext.huawei_rfs")) and bool(loaded("moto_stacksets_ext.alibaba_ros")))
"""
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=300)
    assert result.stdout.splitlines() == ["[]", "[]", "True"], result.stdout + result.stderr
