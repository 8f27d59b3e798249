"""ROS template checks the stack-group calls make: the body parses, the version, the parameters.

A ROS template is JSON or YAML with ``ROSTemplateFormatVersion: "2015-09-01"``; its ``Parameters``
section declares what a stack group's ``Parameters`` (and instances' ``ParameterOverrides``) may set.
"""

from __future__ import annotations

import yaml

from .. import _jsonsafe as jsonsafe
from ..engine.model import Parameter
from .errors import (
    invalid_parameter,
    invalid_template_version,
    unknown_user_parameter,
    user_parameter_missing,
)

VERSION = "2015-09-01"
MAX_BODY_BYTES = 524_288


class Template:
    """A parsed ROS template: its declared parameters (and which of them have defaults)."""

    def __init__(self, declared: dict[str, bool]) -> None:
        #: parameter name → whether it has a Default
        self.declared = declared

    @classmethod
    def parse(cls, body: str) -> Template:
        if not body or len(body.encode()) > MAX_BODY_BYTES:
            raise invalid_parameter("TemplateBody", f"the length should be between 1 and {MAX_BODY_BYTES} bytes")
        if jsonsafe.depth(body) > jsonsafe.MAX_DEPTH:
            raise invalid_parameter("TemplateBody", f"it is nested deeper than {jsonsafe.MAX_DEPTH} levels")
        document: object
        try:
            document = jsonsafe.loads(body)
        except ValueError:
            try:
                document = yaml.safe_load(body)
            except RecursionError:  # block-style YAML nested too deep for the parser
                raise invalid_parameter("TemplateBody", "it is nested too deeply") from None
            except (yaml.YAMLError, ValueError, OverflowError):  # e.g. a YAML integer of 4,400 digits
                raise invalid_parameter("TemplateBody", "it is neither valid JSON nor valid YAML") from None
        if not isinstance(document, dict):
            raise invalid_parameter("TemplateBody", "the template should be a JSON or YAML object")
        version = document.get("ROSTemplateFormatVersion")
        if version is None:
            raise invalid_template_version("ROSTemplateFormatVersion is missing")
        if str(version) != VERSION:
            raise invalid_template_version(f"{version} is not supported, the supported version is {VERSION}")
        section = document.get("Parameters") or {}
        if not isinstance(section, dict):
            raise invalid_parameter("TemplateBody", "the Parameters section should be an object")
        declared = {str(name): isinstance(spec, dict) and "Default" in spec for name, spec in section.items()}
        return cls(declared)

    def check_parameters(self, parameters: list[Parameter]) -> None:
        """Stack-group parameters: each must be declared; each declared one without Default is needed."""
        self.check_overrides(parameters)
        given = {p.parameter_key for p in parameters}
        for name, has_default in self.declared.items():
            if not has_default and name not in given:
                raise user_parameter_missing(name)

    def check_overrides(self, parameters: list[Parameter]) -> None:
        for parameter in parameters:
            if parameter.parameter_key not in self.declared:
                raise unknown_user_parameter(parameter.parameter_key)
