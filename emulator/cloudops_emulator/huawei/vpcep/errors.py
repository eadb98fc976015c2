"""VPCEP error answers: codes, statuses and messages from the VPC Endpoint API reference's error
code table (`{"error_code": "EndPoint.XXXX", "error_msg": ...}`). A detail in parentheses names
the offending field where the table's message does not."""
from ..errors import HuaweiError

_TABLE = {
    "EndPoint.0002": (400, "Parameter error."),
    "EndPoint.0005": (404, "The requested resource does not exist."),
    "EndPoint.0006": (400, "Invalid limit."),
    "EndPoint.0007": (400, "Invalid action."),
    "EndPoint.0010": (400, "Invalid offset."),
    "EndPoint.0016": (400, "The number of batch operated resources exceeded the limit."),
    "EndPoint.0017": (400, "Invalid sort_key."),
    "EndPoint.0018": (400, "Invalid sort_dir."),
    "EndPoint.0019": (400, "Invalid status."),
    "EndPoint.0021": (400, "Invalid marker_id."),
    "EndPoint.0023": (400, "Invalid subnet_id."),
    "EndPoint.1003": (400, "Invalid service name."),
    "EndPoint.1004": (400, "Invalid request."),
    "Endpoint.1018": (400, "Quota exceeded."),
    "EndPoint.2001": (400, "The VPC does not exist."),
    "EndPoint.2002": (400, "The request input parameter is empty."),
    "EndPoint.2003": (400, "The endpoint service does not exist."),
    "EndPoint.2004": (400, "The endpoint service is unavailable."),
    "EndPoint.2006": (404, "The requested endpoint does not exist."),
    "EndPoint.2010": (400, "The input parameter subnet ID is empty."),
    "EndPoint.2011": (400, "The input parameter VPC ID is empty."),
    "EndPoint.2012": (400, "You have no permission to connect to the VPC endpoint service."),
    "EndPoint.2013": (400, "The endpoint does not belong to the endpoint service."),
    "EndPoint.2014": (400, "The endpoint has been connected to the endpoint service."),
    "EndPoint.2018": (400, "The endpoint is being deleted."),
    "EndPoint.2019": (400, "The endpoint is being created."),
    "EndPoint.2027": (400, "Invalid action."),
    "EndPoint.2028": (400, "The endpoint service port or protocol is empty."),
    "EndPoint.2029": (400, "The requested endpoint service ID is empty."),
    "EndPoint.2031": (400, "Only one endpoint is allowed."),
    "EndPoint.2033": (400, "The entered parameter enable_dns is invalid."),
    "EndPoint.3002": (400, "Invalid permission."),
    "EndPoint.3003": (400, "Invalid port ID."),
    "EndPoint.3004": (400, "Invalid port."),
    "EndPoint.3008": (400, "The port does not exist."),
    "EndPoint.3010": (400, "Invalid IP address."),
    "EndPoint.3017": (400, "Invalid CIDRs."),
    "EndPoint.3021": (400, "Invalid serverType."),
    "EndPoint.3035": (400, "Invalid action."),
    "EndPoint.3036": (400, "Invalid permissions."),
    "EndPoint.3042": (400, "The port ID does not belong to the current VPC."),
    "EndPoint.3044": (400, "The parameter ports conflicted with ports in an existing endpoint "
                           "service."),
    "EndPoint.3045": (400, "Other properties cannot be modified in the current endpoint service "
                           "state."),
    "EndPoint.3049": (400, "The maximum number of whitelist records has been reached."),
    "EndPoint.3052": (400, "portId and ip cannot be modified at the same time."),
    # Not in the table: the emulator's code for reading delete_with_connections=refused.
    "EndPoint.3055": (400, "The endpoint service has connections and cannot be deleted."),
    # Not in the table: the emulator's code for reading permission_twice=error.
    "EndPoint.3056": (400, "The whitelist record already exists."),
    "EndPoint.3066": (400, "The tag cannot be empty."),
    "EndPoint.3067": (400, "The tag key cannot be duplicated."),
    "EndPoint.3068": (400, "Tag keys and values should meet relevant requirements."),
    "EndPoint.3069": (400, "The maximum number of tags has been reached."),
    "EndPoint.3070": (400, "Invalid resource type."),
    "EndPoint.3072": (400, "The tag key size is invalid."),
    "EndPoint.3073": (400, "The tag value size is invalid."),
    "EndPoint.3074": (400, "The maximum of ports has been reached."),
}


def error(code, detail=None):
    status, message = _TABLE[code]
    if detail:
        message = "%s (%s)" % (message, detail)
    return HuaweiError(status, code, message)


def factory(code, detail=None):
    """A zero-argument builder of `error(code, detail)`, for the query helpers."""
    return lambda: error(code, detail)


def malformed(detail):
    return error("EndPoint.1004", detail)
