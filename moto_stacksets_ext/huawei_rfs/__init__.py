"""Huawei Cloud RFS (Resource Formation Service) stack sets on the shared engine, and RFS stacks (the stacks behind
stack instances, Terraform templates) and private hooks (Rego policies checked before stack deployments).

Registers its cloud (``cloud.py``: the front-end ``FRONT_END``, namespaces, regions) with the plugin.
Code written with ``huaweicloudsdkrfs.v1.RfsClient`` runs unmodified against it: in-process under
``mock_stacksets()`` (``rfs.<region>.myhuaweicloud.com`` and IAM's project lookup are intercepted) and in
server mode (``with_endpoint("http://127.0.0.1:<port>")``). See ``docs/huawei-rfs.md``.
"""

from . import cloud as _cloud  # noqa: F401 - registers the cloud
from .frontend import FRONT_END, RfsFrontEnd
from .identity import accept_any_signature, domain_id_for, map_projects, project_id_for, require_signatures

__all__ = [
    "FRONT_END",
    "RfsFrontEnd",
    "accept_any_signature",
    "domain_id_for",
    "map_projects",
    "project_id_for",
    "require_signatures",
]
