"""KPS v3 (SSH keypairs, part of DEW, served on the KMS host): keypairs, private-key custody and
keypair binding tasks. Importing the modules registers their routes."""
from . import custody, keypairs, nova, tasks  # noqa: F401  pylint: disable=unused-import
