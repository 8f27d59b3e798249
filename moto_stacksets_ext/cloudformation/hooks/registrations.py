"""RegisterType requests as a moto state-manager model (``cloudformation::type_registration``).

A registration starts ``IN_PROGRESS`` and ends ``COMPLETE`` (or ``FAILED`` when its package cannot be
used). How fast is moto's state manager's business. The default is AWS's recorded sequence (LocalStack's
``test_extensions_api.snapshot.json``, recorded against AWS): ``manual`` with ``times`` 2, each
``DescribeTypeRegistration`` one step, so the first one answers ``IN_PROGRESS`` and the second ``COMPLETE``;
``immediate`` completes at once; ``time`` after its seconds. The type version only exists once the
registration is complete: until then ``DescribeType`` answers ``TypeNotFoundException`` (recorded too).
"""

from __future__ import annotations

from datetime import datetime

from moto.moto_api import state_manager
from moto.moto_api._internal.managed_state_model import ManagedState

from .model import TypeDocument

MODEL_NAME = "cloudformation::type_registration"
#: AWS's recorded sequence: the first DescribeTypeRegistration is IN_PROGRESS, the second COMPLETE.
DEFAULT_TRANSITION = {"progression": "manual", "times": 2}
state_manager.register_default_transition(MODEL_NAME, transition=DEFAULT_TRANSITION)

COMPLETE_DESCRIPTION = "Deployment is currently in DEPLOY_STAGE of status COMPLETED"


class Registration(ManagedState):
    """One RegisterType request."""

    def __init__(
        self,
        *,
        token: str,
        kind: str,
        type_name: str,
        type_arn: str,
        version_id: str,
        created: datetime,
        document: TypeDocument,
        execution_role_arn: str | None,
        logging_config: dict[str, str] | None,
        failure: str | None,
    ) -> None:
        super().__init__(MODEL_NAME, [("IN_PROGRESS", "COMPLETE")])
        self.token = token
        self.kind = kind
        self.type_name = type_name
        self.type_arn = type_arn
        self.version_id = version_id
        self.created = created
        self.document = document
        self.execution_role_arn = execution_role_arn
        self.logging_config = logging_config
        self.failure = failure
        self.installed = False

    def finish(self) -> None:
        """Complete now, whatever the progression (what ``cfn submit`` waits for)."""
        self.status = "COMPLETE"

    @property
    def version_arn(self) -> str:
        return f"{self.type_arn}/{self.version_id}"

    @property
    def progress(self) -> str:
        """IN_PROGRESS, COMPLETE or FAILED (a failed package fails when the registration would complete)."""
        status = self.status
        if status == "COMPLETE" and self.failure is not None:
            return "FAILED"
        return status or "IN_PROGRESS"

    @property
    def description(self) -> str | None:
        progress = self.progress
        if progress == "FAILED":
            return self.failure
        return COMPLETE_DESCRIPTION if progress == "COMPLETE" else None
