"""The public Hooks a test can activate: AWS's managed Lambda and Guard Hooks (publisher ``aws-hooks``)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from .packages import hook_configuration_schema

PUBLISHER = "aws-hooks"


@dataclass(frozen=True)
class PublicHook:
    type_name: str
    description: str
    version: str = "1.0.0"
    documentation_url: str = "https://docs.aws.amazon.com/cloudformation-cli/latest/hooks-userguide/"
    #: The Hook's ``typeConfiguration`` (its configuration's ``Properties``).
    properties: dict[str, Any] = field(default_factory=dict)

    @property
    def source_url(self) -> str:
        return self.documentation_url

    def arn(self, partition: str, region: str) -> str:
        return f"arn:{partition}:cloudformation:{region}::type/hook/{PUBLISHER}/{self.type_name.replace('::', '-')}"

    @property
    def schema(self) -> str:
        return json.dumps(
            {
                "typeName": self.type_name,
                "description": self.description,
                "sourceUrl": self.source_url,
                "documentationUrl": self.documentation_url,
                "typeConfiguration": self._type_configuration,
                "handlers": {"preCreate": {}, "preUpdate": {}, "preDelete": {}},
                "additionalProperties": False,
            }
        )

    @property
    def _type_configuration(self) -> dict[str, Any]:
        return {"properties": self.properties, "additionalProperties": True}

    @property
    def configuration_schema(self) -> str:
        return hook_configuration_schema(self.type_name, self._type_configuration)


PUBLIC_HOOKS = {
    hook.type_name: hook
    for hook in (
        PublicHook(
            "AWS::Hooks::LambdaHook",
            "Invokes a Lambda function to evaluate targets before provisioning",
            documentation_url="https://docs.aws.amazon.com/cloudformation-cli/latest/hooks-userguide/lambda-hooks.html",
            properties={"LambdaFunction": {"type": "string", "description": "The Lambda function ARN to invoke"}},
        ),
        PublicHook(
            "AWS::Hooks::GuardHook",
            "Evaluates targets against AWS CloudFormation Guard rules",
            documentation_url="https://docs.aws.amazon.com/cloudformation-cli/latest/hooks-userguide/guard-hooks.html",
            properties={
                "RuleLocation": {"type": "object"},
                "LogBucket": {"type": "string"},
                "Options": {"type": "object"},
            },
        ),
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
