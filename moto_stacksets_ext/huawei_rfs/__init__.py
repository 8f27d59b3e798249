"""Huawei Cloud RFS (Resource Formation Service) stack sets on the shared engine, and RFS stacks (the stacks behind
stack instances, Terraform templates) and private hooks (Rego policies checked before stack deployments).

Registered with the gateway by ``moto_stacksets_ext.plugin.register_clouds`` through ``FRONT_END``.
Code written with ``huaweicloudsdkrfs.v1.RfsClient`` runs unmodified against it: in-process under
``mock_stacksets()`` (``rfs.<region>.myhuaweicloud.com`` and IAM's project lookup are intercepted) and in
server mode (``with_endpoint("http://127.0.0.1:<port>")``). See ``docs/huawei-rfs.md``.
"""

from .frontend import RfsFrontEnd
from .identity import accept_any_signature, domain_id_for, map_projects, project_id_for, require_signatures

FRONT_END = RfsFrontEnd()

__all__ = [
    "FRONT_END",
    "RfsFrontEnd",
    "accept_any_signature",
    "domain_id_for",
    "map_projects",
    "project_id_for",
    "require_signatures",
]
