"""KPS v3 (SSH keypairs, part of DEW, served on the KMS host): keypairs, private-key custody,
keypair binding tasks and the ECS servers they bind, one module per resource as in
plugins/module_utils/kps/ (nova.py: the same keypairs through ECS's Nova API; sshkeys.py: key
material; common.py: storage and validation shared by the handlers). Importing the modules
registers their routes."""
from . import custody, keypairs, nova, servers, tasks  # noqa: F401  pylint: disable=unused-import
