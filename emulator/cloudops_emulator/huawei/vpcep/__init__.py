"""VPCEP v1: endpoint services, their connections, whitelists and tags, consumer endpoints,
public services, quotas and versions. Importing the modules registers their routes."""
from ...readings import reading
from . import (connections, endpoints, info, permissions, regions, services,  # noqa: F401
               tags)  # pylint: disable=unused-import


def check_served(emu, project, operation):
    """404 APIGW.0101 for an operation the project's region does not serve (regions.py)."""
    regions.check_served(emu, project["name"], operation)


def prepare(emu, project_id):
    """Before a VPCEP request: apply due status changes in a transaction of their own."""
    with emu.store.transaction():
        services.settle_due(emu, project_id)


def answered_error(emu, exc):
    """An error as the configured reading answers it: reading `not_found_status` 400 turns the
    404s of the error table (EndPoint.0005, EndPoint.2006) into 400s with the same code."""
    if exc.status == 404 and exc.code.startswith("EndPoint.") and \
            reading(emu, "vpcep", "not_found_status") == 400:
        exc.status = 400
    return exc
