"""ListHookResults' newest members (botocore 1.44.18): HookCategory on every summary, and the HookCategory filter."""

from __future__ import annotations

import json
from typing import Any

import pytest
import requests
from botocore.exceptions import ClientError

from moto_stacksets_ext import control
from moto_stacksets_ext.server import ThreadedStackSetsServer

from support import ADMIN, REGION, error_of

HOOK = "MyCompany::Testing::MyTestHook"
HOOK_ARN = f"arn:aws:cloudformation:{REGION}:{ADMIN}:type/hook/MyCompany-Testing-MyTestHook"
CHANGE_SET = f"arn:aws:cloudformation:{REGION}:{ADMIN}:changeSet/cs1/0d3a2b4c-1111-2222-3333-444455556666"
TOKEN = "6f1d6c1e-8a3b-4f6e-9d2a-0c1b2a3d4e5f"


def test_invoked_hooks_are_custom(cf: Any) -> None:
    arn = cf.activate_type(
        Type="HOOK", TypeName="AWS::Hooks::LambdaHook", PublisherId="aws-hooks", TypeNameAlias="Private::Lambda::Tags"
    )["Arn"]
    hook = {"HookInvocationStatus": "ENABLED", "FailureMode": "WARN", "TargetOperations": ["STACK"]}
    cf.set_type_configuration(
        TypeArn=arn, Configuration=json.dumps({"CloudFormationConfiguration": {"HookConfiguration": hook}})
    )
    cf.create_stack(StackName="app", TemplateBody=json.dumps({"Resources": {"T": {"Type": "AWS::SNS::Topic"}}}))
    (result,) = cf.list_hook_results()["HookResults"]
    assert result["HookCategory"] == "CUSTOM"  # an AWS published Hook a test activates is CUSTOM (the model's doc)
    assert [r["HookResultId"] for r in cf.list_hook_results(HookCategory="CUSTOM")["HookResults"]] == [
        result["HookResultId"]
    ]
    assert cf.list_hook_results(HookCategory="MANAGED")["HookResults"] == []
    assert "HookCategory" not in cf.get_hook_result(HookResultId=result["HookResultId"])  # not a member there


def test_the_category_filter_alone_and_with_a_change_set(cf: Any) -> None:
    managed = control.record_hook_result(
        type_name=HOOK, target_type="CHANGE_SET", target_id=CHANGE_SET, hook_category="MANAGED"
    ).hook_result_id
    custom = control.record_hook_result(type_name=HOOK, target_type="CHANGE_SET", target_id=CHANGE_SET).hook_result_id
    control.record_hook_result(type_name=HOOK, target_type="CLOUD_CONTROL", target_id=TOKEN, hook_category="MANAGED")
    alone = cf.list_hook_results(HookCategory="MANAGED")["HookResults"]
    assert len(alone) == 2 and {r["HookCategory"] for r in alone} == {"MANAGED"}
    with_target = cf.list_hook_results(TargetType="CHANGE_SET", TargetId=CHANGE_SET, HookCategory="MANAGED")
    assert [r["HookResultId"] for r in with_target["HookResults"]] == [managed]
    assert (with_target["TargetType"], with_target["TargetId"]) == ("CHANGE_SET", CHANGE_SET)
    customs = cf.list_hook_results(TargetType="CHANGE_SET", TargetId=CHANGE_SET, HookCategory="CUSTOM")
    assert [r["HookResultId"] for r in customs["HookResults"]] == [custom]


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"HookCategory": "CUSTOM", "TypeArn": HOOK_ARN}, "HookCategory cannot be combined with TypeArn or Status"),
        (
            {"HookCategory": "CUSTOM", "TargetType": "CLOUD_CONTROL", "TargetId": TOKEN},
            "HookCategory can only be used alone or with a CHANGE_SET target, not with TargetType CLOUD_CONTROL",
        ),
        ({"HookCategory": "OURS"}, "Value 'OURS' at 'hookCategory' failed to satisfy constraint"),
    ],
)
def test_refused_combinations(cf: Any, params: dict[str, str], words: str) -> None:
    with pytest.raises(ClientError) as excinfo:
        cf.list_hook_results(**params)
    assert error_of(excinfo) == ("ValidationError", 400)
    assert words in excinfo.value.response["Error"]["Message"]


def test_seeding_the_category_checks_it(cf: Any) -> None:
    with pytest.raises(ValueError, match="hook_category must be one of"):
        control.record_hook_result(type_name=HOOK, target_type="STACK", target_id="x", hook_category="AWS")


def test_seeded_over_http(server_cf: Any, server: ThreadedStackSetsServer) -> None:
    created = requests.post(
        f"{server.endpoint}/moto-api/stacksets/hook-results",
        json={"type_name": HOOK, "target_type": "CLOUD_CONTROL", "target_id": TOKEN, "hook_category": "MANAGED"},
        timeout=10,
    )
    assert created.status_code == 201 and created.json()["HookCategory"] == "MANAGED"
    (listed,) = server_cf.list_hook_results(HookCategory="MANAGED")["HookResults"]
    assert listed["HookCategory"] == "MANAGED"
