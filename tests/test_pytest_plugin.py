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
    assert "(did you mean 'progression' for 'progresion'?)" in output
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


def test_a_marker_without_the_fixture_is_an_error_and_inherited_one_a_warning(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
import pytest
from moto_stacksets_ext import mock_stacksets

@pytest.mark.stacksets(progression="manual")
@mock_stacksets
def test_marker_but_no_fixture():
    pass

@pytest.mark.stacksets(progression="manual")
class TestInherited:
    def test_uses_it(self, stacksets):
        pass

    def test_does_not(self):
        pass

    def test_does_not_either(self):
        pass
""",
    )
    result.assert_outcomes(passed=3, errors=1)
    output = result.stdout.str()
    assert "@pytest.mark.stacksets on test_marker_but_no_fixture does nothing" in output
    assert output.count("@pytest.mark.stacksets on test_user.py::TestInherited does nothing") == 1


def test_marker_errors_print_once(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
import pytest

@pytest.mark.stacksets(progresion="manual")
def test_typo(stacksets):
    pass

@pytest.mark.stacksets(outcomes=[{"account": "22222222222"}])  # 11 digits
def test_short_account(stacksets):
    pass

@pytest.mark.stacksets(outcomes=[{"region": "eu-westt-1", "cloud": "aws"}])
def test_misspelt_region(stacksets):
    pass
""",
        "-rN",
    )
    result.assert_outcomes(errors=3)
    output = result.stdout.str()
    assert output.count("unknown option(s) ['progresion']") == 1
    assert output.count("'22222222222' is not an account id") == 1
    assert output.count("'eu-westt-1' is not a known aws region (did you mean 'eu-west-1'?)") == 1
    assert "During handling of the above exception" not in output
    assert "Traceback" not in output


def test_the_server_fixture_type_is_exported(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
from moto_stacksets_ext import StacksetsServer

def test_type(stacksets_server: StacksetsServer):
    assert isinstance(stacksets_server, StacksetsServer)
""",
    )
    result.assert_outcomes(passed=1)


def test_mock_stacksets_and_the_fixtures_honour_test_server_mode(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    from moto_stacksets_ext.server import ThreadedStackSetsServer

    with ThreadedStackSetsServer(port=0) as server:
        monkeypatch.setenv("TEST_SERVER_MODE", "true")
        monkeypatch.setenv("TEST_SERVER_MODE_ENDPOINT", server.endpoint)
        monkeypatch.setenv("NO_PROXY", "127.0.0.1")
        result = run(
            pytester,
            """
import os

import boto3
import pytest
import requests
from moto_stacksets_ext import Outcome, control, installed, mock_stacksets
from moto_stacksets_ext.plugin import UnservedEndpointError

ENDPOINT = os.environ["TEST_SERVER_MODE_ENDPOINT"]

@mock_stacksets
def test_clients_and_control_go_to_the_server():
    cf = boto3.client("cloudformation", region_name="us-east-1")
    cf.create_stack_set(StackSetName="in-the-server", TemplateBody=TEMPLATE_JSON)
    assert not installed()  # nothing is served in this process
    state = requests.get(ENDPOINT + "/moto-api/stacksets/state", timeout=10).json()
    assert "in-the-server" in str(state)
    assert isinstance(control.fail(account="111111111111"), Outcome)
    served = requests.get(ENDPOINT + "/moto-api/stacksets/outcomes", timeout=10).json()["outcomes"]
    assert [o["account"] for o in served] == ["111111111111"]
    with pytest.raises(UnservedEndpointError, match="does not serve"):
        requests.get("https://ecs.aliyuncs.com/?Action=DescribeInstances", timeout=5)

@mock_stacksets
def test_the_server_was_reset_between_tests():
    assert boto3.client("cloudformation", region_name="us-east-1").list_stack_sets()["Summaries"] == []
    assert control.outcomes == []

@pytest.mark.stacksets(progression="manual", outcomes=[{"account": "222222222222", "reason": "quota exceeded"}])
def test_the_fixture_and_marker_script_the_server(stacksets):
    cf = boto3.client("cloudformation")
    cf.create_stack_set(StackSetName="baseline", TemplateBody=TEMPLATE_JSON)
    operation_id = cf.create_stack_instances(
        StackSetName="baseline",
        Accounts=["111111111111", "222222222222"],
        Regions=["us-east-1"],
        OperationPreferences={"FailureToleranceCount": 1},
    )["OperationId"]
    seen = []
    while not seen or seen[-1] == "RUNNING":
        operation = cf.describe_stack_set_operation(StackSetName="baseline", OperationId=operation_id)
        seen.append(operation["StackSetOperation"]["Status"])
    assert seen == ["RUNNING", "SUCCEEDED"]
    assert stacksets.results("baseline", operation_id)[1].status_reason == "quota exceeded"
    assert stacksets.calls.count(action="DescribeStackSetOperation") == 2

def test_a_stale_script_in_the_server_fails_at_teardown(stacksets):
    stacksets.fail(account="999999999999")  # no deployment uses it
""",
        )
    result.assert_outcomes(passed=4, errors=1)
    assert "999999999999" in result.stdout.str()


def test_the_fixture_and_the_decorator_on_one_test_are_one_mock(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
import boto3
import pytest
from moto_stacksets_ext import control, mock_stacksets

TEMPLATE = '{"Resources": {"Topic": {"Type": "AWS::SNS::Topic"}}}'


@pytest.fixture
def baseline(stacksets):
    cf = boto3.client("cloudformation", region_name="us-east-1")
    cf.create_stack_set(StackSetName="baseline", TemplateBody=TEMPLATE)
    yield cf
    # after the decorated test returned: the state is still the fixture's mock's
    assert [s["StackSetName"] for s in cf.list_stack_sets()["Summaries"]] == ["baseline"]
    assert control.outcomes[0].consumed == 1


@pytest.mark.stacksets(outcomes=[{"account": "222222222222", "reason": "quota"}])
@mock_stacksets
def test_one_mock(baseline, stacksets):
    assert stacksets is control
    cf = boto3.client("cloudformation", region_name="us-east-1")
    assert [s["StackSetName"] for s in cf.list_stack_sets()["Summaries"]] == ["baseline"]  # made by the fixture
    op = cf.create_stack_instances(
        StackSetName="baseline",
        Accounts=["111111111111", "222222222222"],
        Regions=["us-east-1"],
        OperationPreferences={"FailureToleranceCount": 1},
    )
    results = cf.list_stack_set_operation_results(StackSetName="baseline", OperationId=op["OperationId"])
    assert {(r["Account"], r["Status"]) for r in results["Summaries"]} == {
        ("111111111111", "SUCCEEDED"),
        ("222222222222", "FAILED"),
    }


@mock_stacksets
def test_unused_outcomes_are_still_checked_at_the_fixture_s_teardown(stacksets):
    control.fail(account="333333333333")


def test_and_the_next_test_starts_clean():
    with mock_stacksets():
        assert boto3.client("cloudformation", region_name="us-east-1").list_stack_sets()["Summaries"] == []
        assert control.outcomes == []
""",
    )
    result.assert_outcomes(passed=3, errors=1)
    output = result.stdout.str()
    assert "scripted outcome(s) that no deployment used" in output and "333333333333" in output
