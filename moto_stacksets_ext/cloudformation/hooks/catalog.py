"""The public Hooks a test can activate: AWS's managed Lambda and Guard Hooks (publisher ``aws-hooks``)."""

from __future__ import annotations

import json
from dataclasses import dataclass

PUBLISHER = "aws-hooks"

_CONFIGURATION_SCHEMA = json.dumps(
    {
        "properties": {
            "CloudFormationConfiguration": {
                "properties": {
                    "HookConfiguration": {
                        "properties": {
                            "HookInvocationStatus": {"enum": ["ENABLED", "DISABLED"], "type": "string"},
                            "TargetOperations": {
                                "items": {"enum": ["STACK", "RESOURCE", "CHANGE_SET", "CLOUD_CONTROL"]},
                                "type": "array",
                            },
                            "FailureMode": {"enum": ["FAIL", "WARN"], "type": "string"},
                            "TargetFilters": {"type": "object"},
                            "StackFilters": {"type": "object"},
                            "Properties": {"type": "object"},
                        },
                        "required": ["HookInvocationStatus", "FailureMode"],
                        "type": "object",
                    }
                },
                "type": "object",
            }
        },
        "type": "object",
    }
)


@dataclass(frozen=True)
class PublicHook:
    type_name: str
    description: str
    version: str = "1.0.0"

    def arn(self, partition: str, region: str) -> str:
        return f"arn:{partition}:cloudformation:{region}::type/hook/{PUBLISHER}/{self.type_name.replace('::', '-')}"

    @property
    def schema(self) -> str:
        return json.dumps(
            {
                "typeName": self.type_name,
                "description": self.description,
                "sourceUrl": "https://docs.aws.amazon.com/cloudformation-cli/latest/hooks-userguide/",
                "typeConfiguration": json.loads(_CONFIGURATION_SCHEMA),
                "handlers": {"preCreate": {}, "preUpdate": {}, "preDelete": {}},
                "additionalProperties": False,
            }
        )

    @property
    def configuration_schema(self) -> str:
        return _CONFIGURATION_SCHEMA


PUBLIC_HOOKS = {
    hook.type_name: hook
    for hook in (
        PublicHook("AWS::Hooks::LambdaHook", "Invokes a Lambda function to evaluate targets before provisioning"),
        PublicHook("AWS::Hooks::GuardHook", "Evaluates targets against AWS CloudFormation Guard rules"),
    )
}


def by_arn(arn: str) -> PublicHook | None:
    """The public Hook a public type ARN names (any Region, with or without a version), or None."""
    if ":type/hook/" not in arn:
        return None
    segments = arn.split(":type/hook/", 1)[1].split("/")
    for hook in PUBLIC_HOOKS.values():
        if hook.type_name.replace("::", "-") in segments:
            return hook
    return None
