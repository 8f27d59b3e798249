"""``AWS::CloudFormation::StackSet`` declared in templates: stacks and change sets make real stack sets
(through the engine), update and delete them as CloudFormation does, fail and roll back with the handler's
reason, and stay in progress while a paced operation runs."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from moto_stacksets_ext import control

from support import ACCOUNT_A, ACCOUNT_B, REGION, TOPIC_TEMPLATE, client_in, error_of

GROUP_A = {"DeploymentTargets": {"Accounts": [ACCOUNT_A]}, "Regions": [REGION]}
GROUP_B = {"DeploymentTargets": {"Accounts": [ACCOUNT_B]}, "Regions": [REGION, "eu-west-1"]}


def template(groups: list[dict[str, Any]] | None = None, env: str = "dev", **extra: Any) -> str:
    properties: dict[str, Any] = {
        "StackSetName": "baseline",
        "PermissionModel": "SELF_MANAGED",
        "TemplateBody": TOPIC_TEMPLATE,
        "Parameters": [{"ParameterKey": "Env", "ParameterValue": env}],
        "StackInstancesGroup": [GROUP_A, GROUP_B] if groups is None else groups,
        **extra,
    }
    return json.dumps(
        {
            "Resources": {"Baseline": {"Type": "AWS::CloudFormation::StackSet", "Properties": properties}},
            "Outputs": {
                "Ref": {"Value": {"Ref": "Baseline"}},
                "StackSetId": {"Value": {"Fn::GetAtt": ["Baseline", "StackSetId"]}},
            },
        }
    )


def _stack(cf: Any, name: str = "parent") -> dict[str, Any]:
    found: dict[str, Any] = cf.describe_stacks(StackName=name)["Stacks"][0]
    return found


def _outputs(stack: dict[str, Any]) -> dict[str, str]:
    return {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}


def _instances(cf: Any, name: str = "baseline") -> dict[tuple[str, str], str]:
    pages = cf.get_paginator("list_stack_instances").paginate(StackSetName=name)
    return {(s["Account"], s["Region"]): s["Status"] for page in pages for s in page["Summaries"]}


def _events(cf: Any, name: str = "parent") -> list[tuple[str, str, str | None]]:
    pages = cf.get_paginator("describe_stack_events").paginate(StackName=name)
    events = [e for page in pages for e in page["StackEvents"]]
    return [(e["LogicalResourceId"], e["ResourceStatus"], e.get("ResourceStatusReason")) for e in reversed(events)]


def _operations(cf: Any, name: str = "baseline") -> list[tuple[str, str]]:
    """The stack set's operations, oldest first (ListStackSetOperations lists the newest first)."""
    summaries = cf.list_stack_set_operations(StackSetName=name)["Summaries"]
    return [(s["Action"], s["Status"]) for s in reversed(summaries)]


def test_a_stack_creates_the_stack_set_and_its_instance_groups(cf: Any) -> None:
    cf.create_stack(StackName="parent", TemplateBody=template())
    stack = _stack(cf)
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    outputs = _outputs(stack)
    stack_set = cf.describe_stack_set(StackSetName="baseline")["StackSet"]
    assert outputs == {"Ref": stack_set["StackSetId"], "StackSetId": stack_set["StackSetId"]}
    name, _, suffix = stack_set["StackSetId"].partition(":")
    assert name == "baseline" and len(suffix) == 36
    assert stack_set["Parameters"] == [{"ParameterKey": "Env", "ParameterValue": "dev"}]
    assert _instances(cf) == {
        (ACCOUNT_A, REGION): "CURRENT",
        (ACCOUNT_B, REGION): "CURRENT",
        (ACCOUNT_B, "eu-west-1"): "CURRENT",
    }
    # one operation per group
    assert _operations(cf) == [("CREATE", "SUCCEEDED"), ("CREATE", "SUCCEEDED")]
    (resource,) = cf.list_stack_resources(StackName="parent")["StackResourceSummaries"]
    assert (resource["LogicalResourceId"], resource["ResourceType"], resource["PhysicalResourceId"]) == (
        "Baseline",
        "AWS::CloudFormation::StackSet",
        stack_set["StackSetId"],
    )
    detail = cf.describe_stack_resource(StackName="parent", LogicalResourceId="Baseline")["StackResourceDetail"]
    assert detail["PhysicalResourceId"] == stack_set["StackSetId"]
    assert _events(cf) == [
        ("parent", "CREATE_IN_PROGRESS", "User Initiated"),
        ("Baseline", "CREATE_IN_PROGRESS", None),
        ("Baseline", "CREATE_IN_PROGRESS", "Resource creation Initiated"),
        ("Baseline", "CREATE_COMPLETE", None),
        ("parent", "CREATE_COMPLETE", None),
    ]
    # the instances are real stacks in the target accounts
    in_b = client_in(ACCOUNT_B, region="eu-west-1")
    (instance_stack,) = in_b.describe_stacks()["Stacks"]
    assert instance_stack["StackName"].startswith("StackSet-baseline-")


def test_every_documented_property_reaches_the_stack_set(cf: Any) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    s3.create_bucket(Bucket="templates")
    s3.put_object(Bucket="templates", Key="topic.json", Body=TOPIC_TEMPLATE.encode())
    body = template(
        groups=[{**GROUP_A, "ParameterOverrides": [{"ParameterKey": "Env", "ParameterValue": "a"}]}],
        Description="Org baseline",
        Capabilities=["CAPABILITY_IAM"],
        Tags=[{"Key": "team", "Value": "platform"}],
        AdministrationRoleARN="arn:aws:iam::123456789012:role/CustomAdmin",
        ExecutionRoleName="CustomExecution",
        ManagedExecution={"Active": True},
        OperationPreferences={"FailureToleranceCount": 1, "MaxConcurrentCount": 2, "RegionConcurrencyType": "PARALLEL"},
        CallAs="SELF",
    )
    parsed = json.loads(body)
    properties = parsed["Resources"]["Baseline"]["Properties"]
    del properties["TemplateBody"]
    properties["TemplateURL"] = "https://templates.s3.amazonaws.com/topic.json"
    cf.create_stack(StackName="parent", TemplateBody=json.dumps(parsed))
    assert _stack(cf)["StackStatus"] == "CREATE_COMPLETE"
    stack_set = cf.describe_stack_set(StackSetName="baseline")["StackSet"]
    assert stack_set["Description"] == "Org baseline"
    assert stack_set["Capabilities"] == ["CAPABILITY_IAM"]
    assert stack_set["Tags"] == [{"Key": "team", "Value": "platform"}]
    assert stack_set["AdministrationRoleARN"] == "arn:aws:iam::123456789012:role/CustomAdmin"
    assert stack_set["ExecutionRoleName"] == "CustomExecution"
    assert stack_set["ManagedExecution"] == {"Active": True}
    assert json.loads(stack_set["TemplateBody"]) == json.loads(TOPIC_TEMPLATE)
    instance = cf.describe_stack_instance(
        StackSetName="baseline", StackInstanceAccount=ACCOUNT_A, StackInstanceRegion=REGION
    )["StackInstance"]
    assert instance["ParameterOverrides"] == [{"ParameterKey": "Env", "ParameterValue": "a"}]
    (operation,) = cf.list_stack_set_operations(StackSetName="baseline")["Summaries"]
    preferences = operation["OperationPreferences"]
    assert (preferences["FailureToleranceCount"], preferences["MaxConcurrentCount"]) == (1, 2)
    assert preferences["RegionConcurrencyType"] == "PARALLEL"


def test_service_managed_stack_set_with_organizational_units_and_auto_deployment(cf: Any) -> None:
    organizations = boto3.client("organizations", region_name=REGION)
    organizations.create_organization(FeatureSet="ALL")
    root = organizations.list_roots()["Roots"][0]["Id"]
    unit = organizations.create_organizational_unit(ParentId=root, Name="apps")["OrganizationalUnit"]["Id"]
    created = organizations.create_account(AccountName="app", Email="app@example.com")["CreateAccountStatus"]
    organizations.move_account(AccountId=created["AccountId"], SourceParentId=root, DestinationParentId=unit)
    body = json.dumps(
        {
            "Resources": {
                "Guardrails": {
                    "Type": "AWS::CloudFormation::StackSet",
                    "Properties": {
                        "StackSetName": "guardrails",
                        "PermissionModel": "SERVICE_MANAGED",
                        "AutoDeployment": {"Enabled": True, "RetainStacksOnAccountRemoval": False},
                        "TemplateBody": TOPIC_TEMPLATE,
                        "StackInstancesGroup": [
                            {"DeploymentTargets": {"OrganizationalUnitIds": [unit]}, "Regions": [REGION]}
                        ],
                    },
                }
            }
        }
    )
    cf.create_stack(StackName="org-parent", TemplateBody=body)
    assert _stack(cf, "org-parent")["StackStatus"] == "CREATE_COMPLETE"
    stack_set = cf.describe_stack_set(StackSetName="guardrails")["StackSet"]
    assert stack_set["PermissionModel"] == "SERVICE_MANAGED"
    assert stack_set["AutoDeployment"] == {"Enabled": True, "RetainStacksOnAccountRemoval": False}
    assert _instances(cf, "guardrails") == {(created["AccountId"], REGION): "CURRENT"}


def test_a_change_set_creates_and_then_updates_the_stack_set(cf: Any) -> None:
    cf.create_change_set(StackName="parent", ChangeSetName="first", ChangeSetType="CREATE", TemplateBody=template())
    cf.execute_change_set(StackName="parent", ChangeSetName="first")
    assert _stack(cf)["StackStatus"] == "CREATE_COMPLETE"
    assert len(_instances(cf)) == 3
    cf.create_change_set(
        StackName="parent", ChangeSetName="second", ChangeSetType="UPDATE", TemplateBody=template([GROUP_A])
    )
    cf.execute_change_set(StackName="parent", ChangeSetName="second")
    assert _stack(cf)["StackStatus"] == "UPDATE_COMPLETE"
    assert set(_instances(cf)) == {(ACCOUNT_A, REGION)}


def test_an_update_diffs_the_resource_into_real_operations(cf: Any) -> None:
    cf.create_stack(StackName="parent", TemplateBody=template([GROUP_A]))
    cf.update_stack(StackName="parent", TemplateBody=template([GROUP_B], env="prod"))
    assert _stack(cf)["StackStatus"] == "UPDATE_COMPLETE"
    # parameters changed: UpdateStackSet; group A removed: DeleteStackInstances; group B added: Create
    assert _operations(cf) == [
        ("CREATE", "SUCCEEDED"),
        ("UPDATE", "SUCCEEDED"),
        ("DELETE", "SUCCEEDED"),
        ("CREATE", "SUCCEEDED"),
    ]
    assert set(_instances(cf)) == {(ACCOUNT_B, REGION), (ACCOUNT_B, "eu-west-1")}
    stack_set = cf.describe_stack_set(StackSetName="baseline")["StackSet"]
    assert stack_set["Parameters"] == [{"ParameterKey": "Env", "ParameterValue": "prod"}]
    # changed overrides of a kept group: UpdateStackInstances
    overridden = {**GROUP_B, "ParameterOverrides": [{"ParameterKey": "Env", "ParameterValue": "b"}]}
    cf.update_stack(StackName="parent", TemplateBody=template([overridden], env="prod"))
    assert _operations(cf)[-1] == ("UPDATE", "SUCCEEDED")
    instance = cf.describe_stack_instance(
        StackSetName="baseline", StackInstanceAccount=ACCOUNT_B, StackInstanceRegion="eu-west-1"
    )["StackInstance"]
    assert instance["ParameterOverrides"] == [{"ParameterKey": "Env", "ParameterValue": "b"}]


def test_renaming_replaces_the_stack_set_and_the_same_name_cannot_be_replaced(cf: Any) -> None:
    cf.create_stack(StackName="parent", TemplateBody=template([GROUP_A]))
    old_id = _outputs(_stack(cf))["Ref"]
    renamed = json.loads(template([GROUP_A]))
    renamed["Resources"]["Baseline"]["Properties"]["StackSetName"] = "baseline-v2"
    cf.update_stack(StackName="parent", TemplateBody=json.dumps(renamed))
    assert _stack(cf)["StackStatus"] == "UPDATE_COMPLETE"
    new_id = _outputs(_stack(cf))["Ref"]
    assert new_id.startswith("baseline-v2:")
    assert cf.describe_stack_set(StackSetName=old_id)["StackSet"]["Status"] == "DELETED"
    assert set(_instances(cf, "baseline-v2")) == {(ACCOUNT_A, REGION)}
    # PermissionModel is create-only too: replacing a stack set under the same name is refused
    switched = json.loads(json.dumps(renamed))
    switched["Resources"]["Baseline"]["Properties"]["PermissionModel"] = "SERVICE_MANAGED"
    cf.update_stack(StackName="parent", TemplateBody=json.dumps(switched))
    assert _stack(cf)["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    failed = [e for e in _events(cf) if e[1] == "UPDATE_FAILED"]
    assert failed == [
        (
            "Baseline",
            "UPDATE_FAILED",
            "CloudFormation cannot update a stack when a custom-named resource requires replacing. "
            "Rename baseline-v2 and update the stack again.",
        )
    ]


def test_deleting_the_stack_removes_the_instances_then_the_stack_set(cf: Any) -> None:
    cf.create_stack(StackName="parent", TemplateBody=template())
    stack_id = _stack(cf)["StackId"]
    stack_set_id = _outputs(_stack(cf))["Ref"]
    cf.delete_stack(StackName="parent")
    assert cf.describe_stacks(StackName=stack_id)["Stacks"][0]["StackStatus"] == "DELETE_COMPLETE"
    cf.list_stack_resources(StackName=stack_id)  # reading a deleted stack makes nothing again
    assert cf.list_stack_sets(Status="ACTIVE")["Summaries"] == []
    assert cf.describe_stack_set(StackSetName=stack_set_id)["StackSet"]["Status"] == "DELETED"
    actions = [a for a, _ in _operations(cf, stack_set_id)]
    assert actions == ["CREATE", "CREATE", "DELETE", "DELETE"]
    assert client_in(ACCOUNT_B, region="eu-west-1").describe_stacks()["Stacks"] == []


def test_a_failed_operation_rolls_the_parent_back_naming_the_stack_set_and_operation(cf: Any) -> None:
    control.fail(account=ACCOUNT_B, region="eu-west-1", reason="Role not assumable", times=1)
    cf.create_stack(StackName="parent", TemplateBody=template())
    stack = _stack(cf)
    assert stack["StackStatus"] == "ROLLBACK_COMPLETE"
    (failed,) = [e for e in _events(cf) if e[1] == "CREATE_FAILED"]
    stack_set = cf.list_stack_sets(Status="DELETED")["Summaries"][0]
    failed_operation = next(
        o
        for o in cf.list_stack_set_operations(StackSetName=stack_set["StackSetId"])["Summaries"]
        if o["Status"] == "FAILED"
    )
    assert failed[2] is not None
    assert failed[2].startswith(
        "Resource handler returned message: \"Resource of type 'Stack set operation "
        f"[{failed_operation['OperationId']}] was unexpectedly stopped or failed. status reason(s): "
    )
    described = cf.describe_stack_set_operation(
        StackSetName=stack_set["StackSetId"], OperationId=failed_operation["OperationId"]
    )["StackSetOperation"]
    assert f"[{described['StatusReason']}]" in failed[2]
    assert f"with identifier '{stack_set['StackSetId']}' did not stabilize." in failed[2]
    assert failed[2].endswith("HandlerErrorCode: NotStabilized)")
    statuses = [(logical, status) for logical, status, _ in _events(cf)]
    assert statuses[-5:] == [
        ("Baseline", "CREATE_FAILED"),
        ("parent", "ROLLBACK_IN_PROGRESS"),
        ("Baseline", "DELETE_IN_PROGRESS"),
        ("Baseline", "DELETE_COMPLETE"),
        ("parent", "ROLLBACK_COMPLETE"),
    ]
    rollback_reason = next(r for _, s, r in _events(cf) if s == "ROLLBACK_IN_PROGRESS")
    assert rollback_reason == "The following resource(s) failed to create: [Baseline]. Rollback requested by user."
    # the rollback removed what the create made: the instances, then the stack set
    assert stack_set["Status"] == "DELETED"
    assert client_in(ACCOUNT_A).describe_stacks()["Stacks"] == []


def test_a_failed_update_rolls_the_stack_set_back_to_its_previous_configuration(cf: Any) -> None:
    cf.create_stack(StackName="parent", TemplateBody=template([GROUP_A]))
    control.fail(account=ACCOUNT_A, action="UPDATE", reason="Update refused", times=1)
    cf.update_stack(StackName="parent", TemplateBody=template([GROUP_A], env="prod"))
    assert _stack(cf)["StackStatus"] == "UPDATE_ROLLBACK_COMPLETE"
    events = [(logical, status) for logical, status, _ in _events(cf)]
    assert events[5:] == [
        ("parent", "UPDATE_IN_PROGRESS"),
        ("Baseline", "UPDATE_IN_PROGRESS"),
        ("Baseline", "UPDATE_FAILED"),
        ("parent", "UPDATE_ROLLBACK_IN_PROGRESS"),
        ("Baseline", "UPDATE_IN_PROGRESS"),
        ("Baseline", "UPDATE_COMPLETE"),
        ("parent", "UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS"),
        ("parent", "UPDATE_ROLLBACK_COMPLETE"),
    ]
    # the failed UpdateStackSet, then the one back to the previous parameters
    assert _operations(cf) == [("CREATE", "SUCCEEDED"), ("UPDATE", "FAILED"), ("UPDATE", "SUCCEEDED")]
    stack_set = cf.describe_stack_set(StackSetName="baseline")["StackSet"]
    assert stack_set["Parameters"] == [{"ParameterKey": "Env", "ParameterValue": "dev"}]
    assert cf.get_template(StackName="parent")["TemplateBody"] == json.loads(template([GROUP_A]))
    # the same update again is a change again (diffed against the template the rollback restored)
    cf.update_stack(StackName="parent", TemplateBody=template([GROUP_A], env="prod"))
    assert _stack(cf)["StackStatus"] == "UPDATE_COMPLETE"
    stack_set = cf.describe_stack_set(StackSetName="baseline")["StackSet"]
    assert stack_set["Parameters"] == [{"ParameterKey": "Env", "ParameterValue": "prod"}]


def test_a_refused_call_fails_the_resource_with_the_handler_message(cf: Any) -> None:
    cf.create_stack_set(StackSetName="baseline", TemplateBody=TOPIC_TEMPLATE)
    cf.create_stack(StackName="parent", TemplateBody=template([GROUP_A]))
    assert _stack(cf)["StackStatus"] == "ROLLBACK_COMPLETE"
    (reason,) = [r for _, s, r in _events(cf) if s == "CREATE_FAILED"]
    assert reason is not None
    assert reason.startswith('Resource handler returned message: "')
    assert "(Service: CloudFormation, Status Code: 409, Request ID: " in reason
    assert reason.endswith("HandlerErrorCode: AlreadyExists)")
    # the stack set that was there is untouched
    assert cf.describe_stack_set(StackSetName="baseline")["StackSet"]["Status"] == "ACTIVE"


def test_missing_required_properties_fail_as_schema_validation(cf: Any) -> None:
    body = json.loads(template([GROUP_A]))
    del body["Resources"]["Baseline"]["Properties"]["PermissionModel"]
    cf.create_stack(StackName="parent", TemplateBody=json.dumps(body))
    assert _stack(cf)["StackStatus"] == "ROLLBACK_COMPLETE"
    (reason,) = [r for _, s, r in _events(cf) if s == "CREATE_FAILED"]
    expected = "Properties validation failed for resource Baseline with message: "
    assert reason == expected + "#: required key [PermissionModel] not found"
    assert cf.list_stack_sets()["Summaries"] == []


def test_a_manual_progression_keeps_the_parent_in_progress_until_the_operations_end(cf: Any) -> None:
    control.set_progression("manual", times=2)
    cf.create_stack(StackName="parent", TemplateBody=template())
    seen = []
    for _ in range(50):
        status = _stack(cf)["StackStatus"]
        seen.append(status)
        if status != "CREATE_IN_PROGRESS":
            break
    assert seen[0] == "CREATE_IN_PROGRESS"
    assert seen[-1] == "CREATE_COMPLETE"
    assert len(_instances(cf)) == 3
    assert _events(cf)[-1] == ("parent", "CREATE_COMPLETE", None)


def test_a_time_progression_completes_the_parent_as_the_clock_moves(cf: Any) -> None:
    control.freeze_clock()
    control.set_progression("time", seconds=10)
    cf.create_stack(StackName="parent", TemplateBody=template([GROUP_A]))
    assert _stack(cf)["StackStatus"] == "CREATE_IN_PROGRESS"
    with pytest.raises(ClientError) as refused:
        cf.update_stack(StackName="parent", TemplateBody=template([GROUP_B]))
    assert error_of(refused) == ("ValidationError", 400)
    assert "is in CREATE_IN_PROGRESS state and can not be updated." in refused.value.response["Error"]["Message"]
    assert [r["LogicalResourceId"] for r in cf.list_stack_resources(StackName="parent")["StackResourceSummaries"]] == [
        "Baseline"
    ]
    control.advance(600)
    assert _stack(cf)["StackStatus"] == "CREATE_COMPLETE"
    cf.delete_stack(StackName="parent")
    assert _stack(cf)["StackStatus"] == "DELETE_IN_PROGRESS"
    control.advance(600)
    listed = cf.list_stacks(StackStatusFilter=["DELETE_COMPLETE"])["StackSummaries"]
    assert [s["StackName"] for s in listed] == ["parent"]


def test_a_paced_failure_rolls_back_when_its_operation_ends(cf: Any) -> None:
    control.set_progression("manual", times=2)
    control.fail(account=ACCOUNT_A, reason="Quota exceeded", times=1)
    cf.create_stack(StackName="parent", TemplateBody=template([GROUP_A]))
    statuses = []
    for _ in range(50):
        statuses.append(_stack(cf)["StackStatus"])
        if statuses[-1] in ("ROLLBACK_COMPLETE", "ROLLBACK_FAILED"):
            break
    assert statuses[0] == "CREATE_IN_PROGRESS"
    assert "ROLLBACK_IN_PROGRESS" in statuses
    assert statuses[-1] == "ROLLBACK_COMPLETE"


@pytest.mark.parametrize("progression", ["immediate", "manual"])
def test_in_server_mode(server_cf: Any, progression: str) -> None:
    # the threaded server shares this process: the in-process control API paces it
    control.set_progression(progression, times=2)
    server_cf.create_stack(StackName="parent", TemplateBody=template([GROUP_A]))
    statuses = []
    for _ in range(50):
        statuses.append(_stack(server_cf)["StackStatus"])
        if statuses[-1] != "CREATE_IN_PROGRESS":
            break
    assert statuses[-1] == "CREATE_COMPLETE"
    assert (progression == "manual") == (statuses[0] == "CREATE_IN_PROGRESS")
    assert _outputs(_stack(server_cf))["Ref"].startswith("baseline:")
    assert set(_instances(server_cf)) == {(ACCOUNT_A, REGION)}
    server_cf.delete_stack(StackName="parent")
    for _ in range(50):
        if not server_cf.list_stack_sets(Status="ACTIVE")["Summaries"]:
            break
        server_cf.list_stacks()
    assert server_cf.list_stack_sets(Status="ACTIVE")["Summaries"] == []


def test_the_aws_cli_deploys_a_template_with_a_stack_set(server_cf: Any, tmp_path: Any) -> None:
    import os
    import subprocess
    import sys

    path = tmp_path / "parent.json"
    path.write_text(template([GROUP_A]))
    endpoint = server_cf.meta.endpoint_url
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }

    def aws(*args: str) -> Any:
        done = subprocess.run(
            [sys.executable, "-m", "awscli", "cloudformation", *args, "--endpoint-url", endpoint, "--output", "json"],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout) if done.stdout.strip() else None

    aws("create-stack", "--stack-name", "parent", "--template-body", f"file://{path}")
    (stack,) = aws("describe-stacks", "--stack-name", "parent")["Stacks"]
    assert stack["StackStatus"] == "CREATE_COMPLETE"
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack["Outputs"]}
    summaries = aws("list-stack-instances", "--stack-set-name", outputs["StackSetId"])["Summaries"]
    assert [(s["Account"], s["Region"], s["Status"]) for s in summaries] == [(ACCOUNT_A, REGION, "CURRENT")]
    (resource,) = aws("list-stack-resources", "--stack-name", "parent")["StackResourceSummaries"]
    assert (resource["ResourceType"], resource["PhysicalResourceId"]) == (
        "AWS::CloudFormation::StackSet",
        outputs["Ref"],
    )


def test_a_hook_that_fails_an_instance_fails_the_resource_and_rolls_back(cf: Any) -> None:
    hook = "Private::Lambda::EncryptedTopics"
    member = client_in(ACCOUNT_B)
    type_arn = member.activate_type(
        Type="HOOK", TypeName="AWS::Hooks::LambdaHook", PublisherId="aws-hooks", TypeNameAlias=hook
    )["Arn"]
    configuration = {"HookInvocationStatus": "ENABLED", "FailureMode": "FAIL", "TargetOperations": ["RESOURCE"]}
    member.set_type_configuration(
        TypeArn=type_arn,
        Configuration=json.dumps({"CloudFormationConfiguration": {"HookConfiguration": configuration}}),
    )
    control.hook_outcome(type_name=hook, account=ACCOUNT_B, target_name="AWS::SNS::Topic", reason="Encrypt", times=1)
    cf.create_stack(StackName="parent", TemplateBody=template([GROUP_B]))
    assert _stack(cf)["StackStatus"] == "ROLLBACK_COMPLETE"
    (reason,) = [r for _, s, r in _events(cf) if s == "CREATE_FAILED"]
    stack_set_id = cf.list_stack_sets(Status="DELETED")["Summaries"][0]["StackSetId"]
    operations = cf.list_stack_set_operations(StackSetName=stack_set_id)["Summaries"]
    failed = next(o for o in operations if o["Status"] == "FAILED")
    assert reason is not None and f"Stack set operation [{failed['OperationId']}]" in reason
    results = cf.list_stack_set_operation_results(StackSetName=stack_set_id, OperationId=failed["OperationId"])
    assert f"The following hook(s) failed: [{hook}]" in {r.get("StatusReason") for r in results["Summaries"]}
