# A Hook handler as a Hook author writes it with cloudformation-cli-python-lib.
import json
import logging
from collections.abc import MutableMapping
from typing import Any

from cloudformation_cli_python_lib import (
    BaseHookHandlerRequest,
    HandlerErrorCode,
    Hook,
    HookInvocationPoint,
    OperationStatus,
    ProgressEvent,
    SessionProxy,
)

from .models import TypeConfigurationModel

LOG = logging.getLogger(__name__)
TYPE_NAME = "MyCompany::Testing::BucketEncryption"

hook = Hook(TYPE_NAME, TypeConfigurationModel)
test_entrypoint = hook.test_entrypoint


def _exempt(session: SessionProxy | None, configuration: TypeConfigurationModel | None, name: str) -> bool:
    if session is None or configuration is None or not configuration.ExemptionsBucket:
        return False
    s3 = session.client("s3")
    body = s3.get_object(Bucket=configuration.ExemptionsBucket, Key="exempt.json")["Body"].read()
    return name in json.loads(body)


def _check(session, request, configuration) -> ProgressEvent:
    context = request.hookContext
    if context.targetName != "AWS::S3::Bucket":
        return ProgressEvent(status=OperationStatus.SUCCESS, message=f"{context.targetName} is not checked")
    properties = context.targetModel.get("resourceProperties") or {}
    name = properties.get("BucketName", context.targetLogicalId)
    if properties.get("BucketName") == "raise-please":
        raise RuntimeError("the handler has a bug")
    if _exempt(session, configuration, name):
        return ProgressEvent(status=OperationStatus.SUCCESS, message=f"Bucket {name} is exempt")
    rules = (properties.get("BucketEncryption") or {}).get("ServerSideEncryptionConfiguration") or []
    algorithms = [r.get("ServerSideEncryptionByDefault", {}).get("SSEAlgorithm") for r in rules]
    wanted = configuration.EncryptionAlgorithm if configuration and configuration.EncryptionAlgorithm else "AES256"
    if wanted not in algorithms:
        return ProgressEvent(
            status=OperationStatus.FAILED,
            errorCode=HandlerErrorCode.NonCompliant,
            message=f"Bucket {name} is not encrypted with {wanted}",
        )
    return ProgressEvent(status=OperationStatus.SUCCESS, message=f"Bucket {name} is encrypted with {wanted}")


@hook.handler(HookInvocationPoint.CREATE_PRE_PROVISION)
def pre_create(
    session, request: BaseHookHandlerRequest, callback_context: MutableMapping[str, Any], type_configuration
):
    return _check(session, request, type_configuration)


@hook.handler(HookInvocationPoint.UPDATE_PRE_PROVISION)
def pre_update(
    session, request: BaseHookHandlerRequest, callback_context: MutableMapping[str, Any], type_configuration
):
    previous = request.hookContext.targetModel.get("previousResourceProperties") or {}
    if previous.get("BucketName") and previous.get("BucketName") != (
        request.hookContext.targetModel.get("resourceProperties") or {}
    ).get("BucketName"):
        return ProgressEvent.failed(HandlerErrorCode.NonCompliant, "Buckets must not be renamed")
    return _check(session, request, type_configuration)


@hook.handler(HookInvocationPoint.DELETE_PRE_PROVISION)
def pre_delete(
    session, request: BaseHookHandlerRequest, callback_context: MutableMapping[str, Any], type_configuration
):
    # Deleting takes two looks: the first answer asks to be called back (IN_PROGRESS).
    if not callback_context.get("looked"):
        return ProgressEvent(
            status=OperationStatus.IN_PROGRESS, callbackContext={"looked": True}, callbackDelaySeconds=5
        )
    name = (request.hookContext.targetModel.get("resourceProperties") or {}).get("BucketName", "")
    if name.startswith("keep-"):
        return ProgressEvent.failed(HandlerErrorCode.NonCompliant, f"Bucket {name} must be kept")
    return ProgressEvent(status=OperationStatus.SUCCESS, message="Deletion allowed")
