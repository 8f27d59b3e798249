"""The pytest plugin, tested as users meet it: through pytester runs of small test files."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

TEMPLATE = '{"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}'


def run(pytester: pytest.Pytester, source: str, *args: str) -> pytest.RunResult:
    pytester.makepyfile(test_user=source.replace("TEMPLATE_JSON", repr(TEMPLATE)))
    return pytester.runpytest_subprocess("-p", "no:cacheprovider", *args)


def test_fixture_marker_and_environment(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "REAL-KEY")
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    result = run(
        pytester,
        """
import os
import boto3
import pytest
from moto_stacksets_ext import StackSetsControl

def test_control_object_and_fake_credentials(stacksets):
    assert isinstance(stacksets, StackSetsControl)
    assert os.environ["AWS_ACCESS_KEY_ID"] != "REAL-KEY"
    assert os.environ["AWS_DEFAULT_REGION"] == "us-east-1"
    cf = boto3.client("cloudformation")
    cf.create_stack_set(StackSetName="s", TemplateBody=TEMPLATE_JSON)
    assert [s["StackSetName"] for s in cf.list_stack_sets()["Summaries"]] == ["s"]

def test_credentials_are_restored_and_state_is_fresh(stacksets):
    assert boto3.client("cloudformation").list_stack_sets()["Summaries"] == []

def test_outside_the_fixture_the_environment_is_back():
    assert os.environ.get("AWS_ACCESS_KEY_ID") == "REAL-KEY"
    assert "AWS_DEFAULT_REGION" not in os.environ

@pytest.mark.stacksets(progression="manual", times=1000,
                       outcomes=[{"account": "222222222222", "reason": "scripted by marker"}])
def test_marker_configures_progression_and_outcomes(stacksets):
    cf = boto3.client("cloudformation")
    cf.create_stack_set(StackSetName="s", TemplateBody=TEMPLATE_JSON)
    op = cf.create_stack_instances(StackSetName="s", Accounts=["111111111111", "222222222222"],
                                   Regions=["us-east-1"], OperationPreferences={"MaxConcurrentCount": 2,
                                   "FailureToleranceCount": 1})["OperationId"]
    assert cf.describe_stack_set_operation(StackSetName="s", OperationId=op)["StackSetOperation"]["Status"] == "RUNNING"
    stacksets.namespace().step("s", op)
    rows = cf.list_stack_set_operation_results(StackSetName="s", OperationId=op)["Summaries"]
    assert {r["Account"]: r.get("StatusReason") for r in rows}["222222222222"] == "scripted by marker"

@pytest.mark.stacksets(strict_roles=True, check_outcomes=False)
def test_marker_strict_roles(stacksets):
    assert stacksets.strict_roles is True
""",
    )
    result.assert_outcomes(passed=5)


def test_misspelt_marker_options_fail_clearly(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
import pytest

@pytest.mark.stacksets(progresion="manual")
def test_typo(stacksets):
    pass

@pytest.mark.stacksets(progression="slow")
def test_bad_value(stacksets):
    pass
""",
    )
    result.assert_outcomes(errors=2)
    output = result.stdout.str()
    assert "@pytest.mark.stacksets: unknown option(s) ['progresion']" in output
    assert "progression must be 'immediate', 'manual' or 'time', not 'slow'" in output
    assert "Traceback" not in output


def test_unconsumed_outcomes_fail_the_test_unless_opted_out(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
import pytest

def test_stale_script(stacksets):
    stacksets.fail(account="999999999999", reason="never used")

@pytest.mark.stacksets(check_outcomes=False)
def test_opted_out(stacksets):
    stacksets.fail(account="999999999999")

def test_stale_hook_script(stacksets):
    stacksets.hook_outcome(type_name="Org::Never::Invoked")
""",
    )
    result.assert_outcomes(passed=3, errors=2)  # the stale scripts error at teardown
    output = result.stdout.str()
    assert "scripted outcome(s) that no deployment used" in output
    assert "account=999999999999" in output
    assert "type_name=Org::Never::Invoked" in output


def test_server_fixture_clients_and_reset(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
import requests

def test_boto3_client(stacksets_server):
    cf = stacksets_server.boto3_client()
    cf.create_stack_set(StackSetName="served", TemplateBody=TEMPLATE_JSON)
    assert cf.list_stack_sets()["Summaries"][0]["StackSetName"] == "served"
    assert stacksets_server.endpoint.startswith("http://127.0.0.1:")

def test_state_reset_between_tests(stacksets_server):
    assert stacksets_server.boto3_client().list_stack_sets()["Summaries"] == []

def test_rfs_and_ros_clients(stacksets_server):
    import uuid
    from huaweicloudsdkrfs.v1 import ListStackSetsRequest
    from alibabacloud_ros20190910 import models as ros
    listed = stacksets_server.rfs_client().list_stack_sets(ListStackSetsRequest(client_request_id=str(uuid.uuid4())))
    assert listed.stack_sets == []
    groups = stacksets_server.ros_client().list_stack_groups(ros.ListStackGroupsRequest(region_id="cn-hangzhou"))
    assert groups.body.stack_groups == []
""",
    )
    result.assert_outcomes(passed=3)


def test_unserved_cloud_hosts_fail_without_a_network_attempt(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
import pytest
import requests

def test_unserved_alibaba_host(stacksets):
    with pytest.raises(ConnectionError, match="does not serve"):
        requests.get("https://ecs.cn-hangzhou.aliyuncs.com/?Action=DescribeInstances", timeout=5)
""",
    )
    result.assert_outcomes(passed=1)


def test_works_under_xdist_and_beside_mock_aws(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
import boto3
import pytest
from moto import mock_aws

@pytest.mark.parametrize("n", range(4))
def test_isolated_per_worker(stacksets, n):
    cf = boto3.client("cloudformation")
    cf.create_stack_set(StackSetName="same-name", TemplateBody=TEMPLATE_JSON)
    assert len(cf.list_stack_sets()["Summaries"]) == 1

def test_beside_mock_aws(stacksets):
    with mock_aws():
        boto3.client("s3").create_bucket(Bucket="beside-mock-aws")
        cf = boto3.client("cloudformation")
        cf.create_stack_set(StackSetName="s", TemplateBody=TEMPLATE_JSON)
        assert cf.list_stack_sets(MaxResults=1)["Summaries"]
""",
        "-n",
        "2",
    )
    result.assert_outcomes(passed=5)
