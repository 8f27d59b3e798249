"""Constants and helpers shared by the tests (import as ``from support import ...``)."""

from __future__ import annotations

import json
from typing import Any

import boto3

REGION = "us-east-1"
ADMIN = "123456789012"
ACCOUNT_A = "111111111111"
ACCOUNT_B = "222222222222"
ACCOUNT_C = "333333333333"

TOPIC_TEMPLATE = json.dumps(
    {
        "Parameters": {"Env": {"Type": "String", "Default": "dev"}},
        "Resources": {"Topic": {"Type": "AWS::SNS::Topic", "Properties": {"DisplayName": {"Ref": "Env"}}}},
        "Outputs": {"TopicArn": {"Value": {"Ref": "Topic"}}},
    }
)


def client_in(account: str, service: str = "cloudformation", region: str = REGION, endpoint: str | None = None) -> Any:
    """A client acting in ``account`` through an assumed role, as a user would reach another account."""
    sts = boto3.client("sts", region_name=region, endpoint_url=endpoint)
    creds = sts.assume_role(RoleArn=f"arn:aws:iam::{account}:role/Inspector", RoleSessionName="test")["Credentials"]
    return boto3.client(
        service,
        region_name=region,
        endpoint_url=endpoint,
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
    )


def error_of(excinfo: Any) -> tuple[str, int]:
    response = excinfo.value.response
    return response["Error"]["Code"], response["ResponseMetadata"]["HTTPStatusCode"]
