"""KSYUN errors: one exception type carrying the HTTP status, code and message of the answer.

The common codes and their messages are those of the KSYUN common error table (reference §A9);
the resource-specific codes (not found, already exists, quota, state) are the emulator's own
choice, since the documentation names none — docs/dev/emulator.md lists them.
"""


class KsyunError(Exception):
    def __init__(self, status, code, message):
        super().__init__("%s: %s" % (code, message))
        self.status = status
        self.code = code
        self.message = message


def missing_parameter(name):
    return KsyunError(400, "MissingParameter",
                      "An value must be supplied for the input parameter %s." % name)


def invalid_parameter(name):
    return KsyunError(400, "InvalidParameterValue",
                      "An invalid or out-of-range value was supplied for the input parameter %s."
                      % name)


def invalid_query_parameter(name):
    return KsyunError(400, "InvalidQueryParameter",
                      "The query parameter %s is malformed or does not adhere to KSC standards."
                      % name)


def not_found(code, message):
    return KsyunError(404, code, message)


def conflict(code, message):
    return KsyunError(409, code, message)


def quota_exceeded(message):
    return KsyunError(400, "QuotaExceeded", message)


def incorrect_status(what, ident, status, needed):
    return KsyunError(409, "IncorrectInstanceStatus" if what == "instance" else "IncorrectStatus",
                      "The %s %s is %s; this action needs it %s." % (what, ident, status, needed))


def unknown_action():
    return KsyunError(404, "NoSuchEntity",
                      "Request was rejected because it referenced an 'InnerApi' that does not "
                      "exist.")


def invalid_method(method):
    return KsyunError(400, "InvalidMethod",
                      "The method %s for is not valid for this web service." % method)


def dry_run():
    return KsyunError(412, "DryRunOperation",
                      "Request would have succeeded, but DryRun flag is set")
