"""KPS error answers, `{"error_code": "KPS.XXXX", "error_msg": ...}`.

The KPS documents give only the shape (seed 001: `KPS.XXXX`); the codes, statuses and messages
below are the emulator's choice and are listed in docs/dev/emulator.md.
"""
from ..errors import HuaweiError


def malformed(detail):
    return HuaweiError(400, "KPS.0001", "The request body is malformed: %s." % detail)


def invalid(name, detail=None):
    message = "Invalid parameter: %s" % name
    return HuaweiError(400, "KPS.0002", message + (" (%s)." % detail if detail else "."))


def invalid_name(limit=64):
    return HuaweiError(400, "KPS.0003", "Invalid keypair name: use 1 to %d letters, digits, "
                       "underscores (_) or hyphens (-)." % limit)


def keypair_exists(name, status=409):
    return HuaweiError(status, "KPS.0004", "The keypair %s already exists." % name)


def keypair_not_found(name, status=404):
    return HuaweiError(status, "KPS.0005", "The keypair %s does not exist." % name)


def invalid_public_key():
    return HuaweiError(400, "KPS.0006", "Invalid public key.")


def invalid_private_key(detail):
    return HuaweiError(400, "KPS.0007", "Invalid private key: %s." % detail)


def kms_key_not_found():
    return HuaweiError(404, "KPS.0008", "The KMS key does not exist.")


def not_in_custody(name):
    return HuaweiError(400, "KPS.0009", "The private key of keypair %s is not hosted." % name)


def too_many(limit):
    return HuaweiError(400, "KPS.0010", "At most %d records are allowed in one request." % limit)


def server_not_found(server_id):
    return HuaweiError(404, "KPS.0011", "The server %s does not exist." % server_id)


def task_not_found(task_id):
    return HuaweiError(404, "KPS.0012", "The task %s does not exist." % task_id)


def server_conflict(message):
    return HuaweiError(409, "KPS.0013", message)
