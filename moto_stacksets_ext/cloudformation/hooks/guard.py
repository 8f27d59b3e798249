"""Guard Hooks (``AWS::Hooks::GuardHook``): their rules, read from the mock's S3, evaluated with cfn-guard.

The engine is ``cfn-guard-rs`` (the Python bindings of cfn-guard, the optional ``guard`` extra; wheels for
CPython 3.10-3.12). Where it cannot be imported, a Guard Hook still activates and configures, its decisions
stay scripted (``control.hook_outcome``), and a warning says so once.

A Guard Hook is run as the service documents it (Hooks User Guide, *Write Guard rules to evaluate resources
for Guard Hooks*, *Activate a Guard Hook*):

- the rules are the configuration's ``ruleLocation`` (API form, an ``s3://`` URI) or ``RuleLocation``
  (template form, ``{Uri, VersionId}``): a ``.guard`` file, or a ``.zip``/``.tar.gz`` of them (every
  ``.guard`` file in it); ``options.inputParams`` / ``Options.InputParams`` (one location or a list) are
  JSON or YAML documents merged into the input (the input's own keys win);
- the input is the documented one for the target: ``HookContext`` plus ``Resources`` (and ``Previous`` on
  update) for a resource, the proposed template (and ``Previous``) for a stack, the template and
  ``Changes`` for a change set;
- the answer: every rule passed or was not applicable → ``Successful validation``; a rule failed →
  ``Template failed validation, the following rule(s) failed: <names>.`` (``NonCompliant``), with one
  annotation per rule (``FAILED`` with the check's message and the rule's custom message as remediation,
  ``PASSED``, or ``SKIPPED`` when not applicable); rules that cannot be read or parsed →
  ``HOOK_FAILED`` with the reason;
- ``logBucket`` / ``LogBucket``: cfn-guard's JSON report is written to
  ``s3://<bucket>/<Hook type name with - for ::>/<clientRequestToken>.json`` in the Hook's account, and the
  failure reason ends with ``Full output was written to s3://...``.
"""

from __future__ import annotations

import io
import json
import logging
import tarfile
import warnings
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..templates import parse as parse_template

logger = logging.getLogger(__name__)

GUARD_HOOK = "AWS::Hooks::GuardHook"
ENGINE_MISSING = (
    "cfn-guard-rs is not installed (the 'guard' extra; it has wheels for CPython 3.10-3.12 only): Guard Hooks "
    "activate and configure, but their decisions stay scripted (control.hook_outcome)"
)
_warned: list[bool] = []

Runner = Callable[[dict[str, Any], Any], Any]


def engine() -> Any | None:
    """The ``cfn_guard_rs`` module, or None (with a warning, once) when it cannot be imported."""
    try:
        import cfn_guard_rs  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        if not _warned:
            _warned.append(True)
            warnings.warn(ENGINE_MISSING, RuntimeWarning, stacklevel=3)
        return None
    return cfn_guard_rs


class GuardInputError(Exception):
    """The rules or input parameters cannot be read (the Hook fails to complete)."""


@dataclass(frozen=True)
class S3Location:
    uri: str
    version_id: str | None = None


def _key(properties: dict[str, Any], name: str) -> Any:
    """A property under its API name (``ruleLocation``) or its template name (``RuleLocation``)."""
    for key in (name, name[0].upper() + name[1:]):
        if key in properties:
            return properties[key]
    return None


def _location(value: Any) -> S3Location | None:
    if isinstance(value, str) and value:
        return S3Location(value)
    if isinstance(value, dict):
        uri = value.get("Uri", value.get("uri"))
        version = value.get("VersionId", value.get("versionId"))
        if isinstance(uri, str) and uri:
            return S3Location(uri, version if isinstance(version, str) and version else None)
    return None


def _locations(value: Any) -> list[S3Location]:
    items = value if isinstance(value, list) else [value]
    return [found for found in map(_location, items) if found is not None]


def _read(account_id: str, partition: str, location: S3Location) -> tuple[str, bytes]:
    """(object key, bytes) of an ``s3://bucket/key`` location in the mock's S3, or ``GuardInputError``."""
    from moto.s3.models import s3_backends

    if not location.uri.startswith("s3://") or "/" not in location.uri[5:]:
        raise GuardInputError(f"Invalid S3 URI {location.uri}: expected s3://bucket/key")
    bucket, key = location.uri[5:].split("/", 1)
    try:
        found = s3_backends[account_id][partition].get_object(bucket, key, version_id=location.version_id)
    except Exception as error:  # moto's own NoSuchBucket / NoSuchKey / NoSuchVersion
        code = getattr(error, "code", type(error).__name__)
        raise GuardInputError(f"Unable to read {location.uri}: {code}") from error
    if found is None:
        raise GuardInputError(f"Unable to read {location.uri}: NoSuchKey")
    return key, bytes(found.value)


def _rule_files(key: str, data: bytes) -> list[tuple[str, str]]:
    """(name, text) of every ``.guard`` file of a rules object: the file itself, or a zip/tar.gz of them."""
    if key.endswith(".zip"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return [
                    (name, archive.read(name).decode("utf-8"))
                    for name in sorted(archive.namelist())
                    if name.endswith(".guard")
                ]
        except zipfile.BadZipFile as error:
            raise GuardInputError(f"{key} is not a valid zip file") from error
    if key.endswith((".tar.gz", ".tgz")):
        try:
            with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as archive:
                members = sorted((m for m in archive.getmembers() if m.isfile()), key=lambda m: m.name)
                files: list[tuple[str, str]] = []
                for member in members:
                    extracted = archive.extractfile(member)
                    if member.name.endswith(".guard") and extracted is not None:
                        files.append((member.name, extracted.read().decode("utf-8")))
                return files
        except tarfile.TarError as error:
            raise GuardInputError(f"{key} is not a valid tar.gz file") from error
    return [(key.rsplit("/", 1)[-1], data.decode("utf-8", errors="replace"))]


def _document(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    try:
        return parse_template(text)
    except Exception:  # a template the operation itself rejects later: evaluate what there is
        return {}


def _params(account_id: str, partition: str, properties: dict[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    options = _key(properties, "options")
    if not isinstance(options, dict):
        return merged
    for location in _locations(_key(options, "inputParams")):
        _, data = _read(account_id, partition, location)
        try:
            document = parse_template(data.decode("utf-8"))
        except Exception as error:
            raise GuardInputError(f"Input parameters {location.uri} are not a JSON or YAML object") from error
        merged.update(document)
    return merged


def guard_input(event: dict[str, Any], stack_name: str | None) -> dict[str, Any]:
    """The documented Guard input for the invocation request ``event``."""
    data = event["requestData"]
    model = data.get("targetModel") or {}
    target_type = data["targetType"] if data["targetType"] in ("STACK", "CHANGE_SET") else "RESOURCE"
    action = str(event["actionInvocationPoint"]).split("_", 1)[0]
    context: dict[str, Any] = {
        "AWSAccountID": event["awsAccountId"],
        "AwsAccountId": event["awsAccountId"],  # the spelling of the guide's examples
        "StackId": event.get("stackId") or "",
        "HookTypeName": event["hookTypeName"],
        "HookTypeVersion": event["hookTypeVersion"],
        "InvocationPoint": event["actionInvocationPoint"],
        "TargetType": target_type,
        "ChangeSetId": event.get("changeSetId") or "",
    }
    if target_type == "RESOURCE":
        logical_id = data["targetLogicalId"]
        context.update(TargetName=data["targetName"], TargetLogicalId=logical_id)

        def entry(properties: Any) -> dict[str, Any]:
            properties = properties if isinstance(properties, dict) else {}
            kind = data["targetName"]
            # The guide's syntax names them ResourceType/ResourceProperties, its examples and rules
            # Type/Properties: both are given, so rules written either way work.
            return {"ResourceType": kind, "ResourceProperties": properties, "Type": kind, "Properties": properties}

        document: dict[str, Any] = {
            "HookContext": context,
            "Resources": {logical_id: entry({} if action == "DELETE" else model.get("resourceProperties"))},
        }
        if "previousResourceProperties" in model:
            document["Previous"] = {logical_id: entry(model["previousResourceProperties"])}
        return document
    context["TargetName"] = stack_name or data["targetLogicalId"]
    if target_type == "CHANGE_SET":
        context["TargetLogicalId"] = event.get("changeSetId") or data["targetLogicalId"]
    document = {"HookContext": context}
    if action != "DELETE":  # "In delete-stack operations, this value will be empty."
        document.update({k: v for k, v in _document(model.get("template")).items() if k != "HookContext"})
    if model.get("previousTemplate") and action == "UPDATE":
        document["Previous"] = _document(model.get("previousTemplate"))
    if target_type == "CHANGE_SET":
        document["Changes"] = model.get("changedResources") or []
    return document


def _messages(check: Any, found: list[tuple[str | None, str | None]]) -> None:
    """(error message, custom message) of every clause of a failed rule's report, depth first."""
    if isinstance(check, dict):
        messages = check.get("messages")
        if isinstance(messages, dict) and (messages.get("error_message") or messages.get("custom_message")):
            found.append((messages.get("error_message"), messages.get("custom_message")))
        for value in check.values():
            if isinstance(value, (dict, list)):
                _messages(value, found)
    elif isinstance(check, list):
        for item in check:
            _messages(item, found)


def _annotations(report: dict[str, Any]) -> tuple[list[str], list[dict[str, Any]]]:
    """(failed rule names, one annotation per rule) of one cfn-guard report."""
    failed: list[str] = []
    annotations: list[dict[str, Any]] = []
    for entry in report.get("not_compliant") or []:
        rule = entry.get("Rule") if isinstance(entry, dict) else None
        if not isinstance(rule, dict):
            continue
        name = str(rule.get("name"))
        failed.append(name)
        found: list[tuple[str | None, str | None]] = []
        _messages(rule.get("checks"), found)
        rule_messages = rule.get("messages") or {}
        errors = [e.strip() for e, _ in found if e] or [f"Rule {name} failed"]
        custom = rule_messages.get("custom_message") or next((c for _, c in found if c), None)
        annotation: dict[str, Any] = {
            "annotationName": name,
            "status": "FAILED",
            "statusMessage": " ".join(dict.fromkeys(errors))[:16384],
        }
        if custom:
            annotation["remediationMessage"] = str(custom)[:16384]
        annotations.append(annotation)
    for name in report.get("compliant") or []:
        annotations.append({"annotationName": str(name), "status": "PASSED"})
    for name in report.get("not_applicable") or []:
        annotations.append({"annotationName": str(name), "status": "SKIPPED"})
    return failed, annotations


def _write_log(account_id: str, partition: str, bucket: str, key: str, body: bytes) -> str | None:
    from moto.s3.models import s3_backends

    try:
        s3_backends[account_id][partition].put_object(bucket, key, body)
    except Exception:  # no such bucket: the report is lost, as when the execution role cannot write it
        logger.warning("Guard Hook output could not be written to s3://%s/%s", bucket, key)
        return None
    return f"s3://{bucket}/{key}"


def runner(account_id: str, partition: str, stack_name: str | None) -> Runner | None:
    """The Guard Hook's code as a runner (``handlers.run`` calls it with the invocation request), or None
    when the engine is not installed."""
    guard = engine()
    if guard is None:
        return None

    def run(event: dict[str, Any], context: Any) -> dict[str, Any]:
        properties = event.get("hookModel") or {}
        try:
            rules_at = _location(_key(properties, "ruleLocation"))
            if rules_at is None:
                raise GuardInputError("The Guard Hook has no RuleLocation")
            key, data = _read(account_id, partition, rules_at)
            files = _rule_files(key, data)
            if not files:
                raise GuardInputError(f"{rules_at.uri} holds no .guard file")
            document = {**_params(account_id, partition, properties), **guard_input(event, stack_name)}
        except GuardInputError as error:
            return {"hookStatus": "FAILED", "errorCode": "InternalFailure", "message": str(error)}
        failed: list[str] = []
        annotations: list[dict[str, Any]] = []
        reports: list[dict[str, Any]] = []
        for name, text in files:
            try:
                raw = guard.cfn_guard_rs.run_checks_rs(json.dumps(document, default=str), text, False)
            except Exception as error:  # the engine's parse errors
                return {
                    "hookStatus": "FAILED",
                    "errorCode": "InternalFailure",
                    "message": f"Guard rules {name} could not be evaluated: {error}"[:4096],
                }
            report = json.loads(raw)
            report["name"] = name
            reports.append(report)
            more_failed, more_annotations = _annotations(report)
            failed += more_failed
            annotations += more_annotations
        written = None
        bucket = _key(properties, "logBucket")
        if isinstance(bucket, str) and bucket:
            log_key = f"{str(event['hookTypeName']).replace('::', '-')}/{event['clientRequestToken']}.json"
            written = _write_log(account_id, partition, bucket, log_key, json.dumps(reports, indent=2).encode())
        if not failed:
            return {"hookStatus": "SUCCESS", "message": "Successful validation", "annotations": annotations}
        message = f"Template failed validation, the following rule(s) failed: {', '.join(sorted(set(failed)))}."
        if written is not None:
            message += f" Full output was written to {written}"
        return {"hookStatus": "FAILED", "errorCode": "NonCompliant", "message": message, "annotations": annotations}

    return run
