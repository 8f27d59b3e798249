"""The Huawei cloud's names: the cloud's (in the control API, the record of calls, state files) and the model
name of its operations in moto's state manager. The lowest module of the front-end: the namespace factory
(``naming``) and the stacks its deployer drives (``stacks``) both read these names, so neither imports the other
for them.
"""

from __future__ import annotations

CLOUD = "huawei"
#: The model name of RFS operations in moto's state manager (``/moto-api/state-manager/set-transition``).
OPERATION_MODEL = "huawei-rfs::stackset-operation"
