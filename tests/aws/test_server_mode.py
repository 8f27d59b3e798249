"""Every action family once through the plugin's server, with boto3, raw HTTP and the AWS CLI."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from typing import Any

import pytest
import requests
from botocore.exceptions import ClientError

from moto_stacksets_ext import control
from moto_stacksets_ext.server import ThreadedStackSetsServer

from support import ACCOUNT_A, ACCOUNT_B, REGION, TOPIC_TEMPLATE, client_in, error_of

SIGNED = {
    "Authorization": "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/cloudformation/"
    "aws4_request, SignedHeaders=host, Signature=0"
}


def test_stack_sets_and_instances(server_cf: Any, server: ThreadedStackSetsServer) -> None:
    stack_set_id = server_cf.create_stack_set(StackSetName="served", TemplateBody=TOPIC_TEMPLATE)["StackSetId"]
    assert server_cf.describe_stack_set(StackSetName=stack_set_id)["StackSet"]["StackSetName"] == "served"
    server_cf.create_stack_instances(StackSetName="served", Accounts=[ACCOUNT_A, ACCOUNT_B], Regions=[REGION])
    instance = server_cf.describe_stack_instance(
        StackSetName="served", StackInstanceAccount=ACCOUNT_B, StackInstanceRegion=REGION
    )["StackInstance"]
    in_b = client_in(ACCOUNT_B, endpoint=server.endpoint)
    assert in_b.describe_stacks(StackName=instance["StackId"])["Stacks"][0]["StackStatus"] == "CREATE_COMPLETE"
    pages = list(
        server_cf.get_paginator("list_stack_instances").paginate(
            StackSetName="served", PaginationConfig={"PageSize": 1}
        )
    )
    assert [s["Account"] for p in pages for s in p["Summaries"]] == [ACCOUNT_A, ACCOUNT_B]
    server_cf.delete_stack_instances(StackSetName="served", Accounts=[ACCOUNT_A], Regions=[REGION], RetainStacks=True)
    with pytest.raises(ClientError) as excinfo:
        server_cf.delete_stack_set(StackSetName="served")
    assert error_of(excinfo) == ("StackSetNotEmptyException", 409)


def test_operations_paginate_and_fail_like_in_process(server_cf: Any) -> None:
    server_cf.create_stack_set(StackSetName="served", TemplateBody=TOPIC_TEMPLATE)
    ids = [
        server_cf.create_stack_instances(StackSetName="served", Accounts=[ACCOUNT_A], Regions=[REGION])["OperationId"]
        for _ in range(5)
    ]
    pages = list(
        server_cf.get_paginator("list_stack_set_operations").paginate(
            StackSetName="served", PaginationConfig={"PageSize": 2}
        )
    )
    assert [s["OperationId"] for p in pages for s in p["Summaries"]] == ids[::-1]
    (row,) = server_cf.list_stack_set_operation_results(
        StackSetName="served",
        OperationId=ids[0],
        Filters=[{"Name": "OPERATION_RESULT_STATUS", "Values": "SUCCEEDED"}],
    )["Summaries"]
    assert row["Account"] == ACCOUNT_A
    operation = server_cf.describe_stack_set_operation(StackSetName="served", OperationId=ids[0])["StackSetOperation"]
    assert operation["OperationPreferences"] == {"RegionOrder": []}
    for call, expected in [
        (
            lambda: server_cf.stop_stack_set_operation(StackSetName="served", OperationId=ids[0]),
            ("InvalidOperationException", 400),
        ),
        (
            lambda: server_cf.describe_stack_set_operation(StackSetName="served", OperationId="nope"),
            ("OperationNotFoundException", 404),
        ),
        (lambda: server_cf.describe_stack_set(StackSetName="nope"), ("StackSetNotFoundException", 404)),
        (lambda: server_cf.list_stack_set_operations(StackSetName="served", MaxResults=101), ("ValidationError", 400)),
        (
            lambda: server_cf.list_stack_set_operations(StackSetName="served", NextToken="forged"),
            ("ValidationError", 400),
        ),
        (
            lambda: server_cf.create_stack_instances(
                StackSetName="served", Accounts=[ACCOUNT_A], Regions=[REGION], OperationId=ids[-1]
            ),
            ("OperationIdAlreadyExistsException", 409),
        ),
    ]:
        with pytest.raises(ClientError) as excinfo:
            call()
        assert error_of(excinfo) == expected


def test_reset_clears_the_plugin_state(server_cf: Any, server: ThreadedStackSetsServer) -> None:
    server_cf.create_stack_set(StackSetName="before-reset", TemplateBody=TOPIC_TEMPLATE)
    assert requests.post(f"{server.endpoint}/moto-api/reset", timeout=10).status_code == 200
    assert server_cf.list_stack_sets()["Summaries"] == []


def test_scripted_failure_is_seen_through_the_server(server_cf: Any) -> None:
    # The threaded server shares this process, so the in-process control API scripts it too.
    control.fail(account=ACCOUNT_B, reason="scripted")
    server_cf.create_stack_set(StackSetName="served", TemplateBody=TOPIC_TEMPLATE)
    operation_id = server_cf.create_stack_instances(
        StackSetName="served", Accounts=[ACCOUNT_A, ACCOUNT_B], Regions=[REGION]
    )["OperationId"]
    operation = server_cf.describe_stack_set_operation(StackSetName="served", OperationId=operation_id)
    assert operation["StackSetOperation"]["Status"] == "FAILED"


@pytest.mark.parametrize(
    "form",
    [
        {"Action": "ListStackSets", "Version": "2010-05-15", "MaxResults": "abc"},
        {"Action": "ListStackSetOperations", "Version": "2010-05-15"},
        {
            "Action": "CreateStackSet",
            "Version": "2010-05-15",
            "StackSetName": "x",
            "TemplateBody": "{}",
            "Tags.member.1.Key": "k",
        },
        {"Action": "ListStackSets", "Version": "2010-05-15", "NextToken": "%%%"},
    ],
)
def test_malformed_raw_requests_get_validation_errors_not_500(
    server: ThreadedStackSetsServer, form: dict[str, str]
) -> None:
    response = requests.post(f"{server.endpoint}/", data=form, headers=SIGNED, timeout=10)
    assert response.status_code == 400
    assert "<Code>ValidationError</Code>" in response.text
    assert "Traceback" not in response.text


def _aws_cli(endpoint: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": REGION,
    }
    return subprocess.run(
        [sys.executable, "-m", "awscli", "cloudformation", *args, "--endpoint-url", endpoint, "--output", "json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_aws_cli_against_the_server(server_cf: Any, server: ThreadedStackSetsServer) -> None:
    created = _aws_cli(
        server.endpoint, "create-stack-set", "--stack-set-name", "cli-set", "--template-body", TOPIC_TEMPLATE
    )
    assert created.returncode == 0, created.stderr
    for _ in range(3):
        server_cf.create_stack_instances(StackSetName="cli-set", Accounts=[ACCOUNT_A], Regions=[REGION])
    listed = _aws_cli(server.endpoint, "list-stack-set-operations", "--stack-set-name", "cli-set", "--page-size", "1")
    assert listed.returncode == 0, listed.stderr
    assert len(json.loads(listed.stdout)["Summaries"]) == 3
    missing = _aws_cli(server.endpoint, "describe-stack-set", "--stack-set-name", "ghost")
    assert missing.returncode != 0
    assert "StackSetNotFoundException" in missing.stderr


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.parametrize("command", [[sys.executable, "-m", "moto_stacksets_ext"], ["moto-stacksets-server"]])
def test_entry_points_start_the_server(command: list[str]) -> None:
    if command[0] == "moto-stacksets-server":
        command = [os.path.join(os.path.dirname(sys.executable), "moto-stacksets-server")]
    port = _free_port()
    process = subprocess.Popen([*command, "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        endpoint = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                requests.get(f"{endpoint}/moto-api/", timeout=1)
                break
            except (requests.ConnectionError, requests.Timeout):  # not listening yet, or too busy starting
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        response = requests.post(
            f"{endpoint}/",
            data={"Action": "ListStackSets", "Version": "2010-05-15", "MaxResults": "101"},
            headers=SIGNED,
            timeout=10,
        )
        assert response.status_code == 400
        assert "less than or equal to 100" in response.text
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_every_request_is_logged_in_one_line(
    server_cf: Any, server: ThreadedStackSetsServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("INFO", logger="moto_stacksets_ext.requests")
    server_cf.create_stack_set(StackSetName="logged", TemplateBody=TOPIC_TEMPLATE)
    with pytest.raises(ClientError):
        server_cf.describe_stack_set(StackSetName="ghost")
    requests.get(f"{server.endpoint}/moto-api/stacksets/settings", timeout=10)
    lines = [r.getMessage() for r in caplog.records if r.name == "moto_stacksets_ext.requests"]
    assert any(line.startswith("POST aws CreateStackSet 200 ") and line.endswith("ms") for line in lines), lines
    assert any(line.startswith("POST aws DescribeStackSet 404 ") for line in lines), lines
    assert any(line.startswith("GET control GET /moto-api/stacksets/settings 200 ") for line in lines), lines
