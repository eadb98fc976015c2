"""VPCEP v1: endpoint services, their connections, whitelists and tags, consumer endpoints,
public services, quotas and versions. Importing the modules registers their routes."""
from . import (connections, endpoints, info, permissions, services,  # noqa: F401
               tags)  # pylint: disable=unused-import
