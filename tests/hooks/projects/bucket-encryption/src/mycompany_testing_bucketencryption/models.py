# The shape of what `cfn generate` writes for a Hook's type configuration (abridged).
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from cloudformation_cli_python_lib.interface import BaseModel

T = TypeVar("T")


@dataclass
class TypeConfigurationModel(BaseModel):
    EncryptionAlgorithm: str | None
    ExemptionsBucket: str | None

    @classmethod
    def _deserialize(
        cls: type[TypeConfigurationModel], json_data: Mapping[str, Any] | None
    ) -> TypeConfigurationModel | None:
        if not json_data:
            return None
        return cls(
            EncryptionAlgorithm=json_data.get("EncryptionAlgorithm"),
            ExemptionsBucket=json_data.get("ExemptionsBucket"),
        )
