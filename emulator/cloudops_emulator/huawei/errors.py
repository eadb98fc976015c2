"""Huawei Cloud error answers.

Two shapes exist (reference §B7): the common `{"error_code", "error_msg"}` body used by the API
gateway (`APIGW.*`, with a `request_id`) and by the services (`KPS.*`, `EndPoint.*`, `HSS.*`), and
the Keystone-style `{"error": {"code", "message", "title"}}` body of IAM.
"""
import math

from ..http import json_response

_TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
           405: "Method Not Allowed", 409: "Conflict", 413: "Request Entity Too Large",
           429: "Too Many Requests", 500: "Internal Server Error"}


class HuaweiError(Exception):
    """An error answer: HTTP status, error code and message."""

    def __init__(self, status, code, message):
        super().__init__("%s: %s" % (code, message))
        self.status = status
        self.code = code
        self.message = message
        self.headers = {}

    def response(self, request_id, keystone=False):
        if keystone:
            return keystone_response(self.status, self.message, keystone != "bare")
        body = {"error_code": self.code, "error_msg": self.message}
        if self.code.startswith("APIGW."):
            body["request_id"] = request_id
        return json_response(self.status, body, self.headers)


def error_response(status, code, message):
    """The front door's own errors (faults, oversized bodies, handler crashes)."""
    return json_response(status, {"error_code": code, "error_msg": message})


def keystone_response(status, message, with_code=True):
    """Keystone's error body; `with_code` False leaves out `code` and `title` (reading
    `readings.iam.error_code: absent`)."""
    if not with_code:
        return json_response(status, {"error": {"message": message}})
    return json_response(status, {"error": {"code": status, "message": message,
                                            "title": _TITLES.get(status, "Error")}})


# --- API gateway (APIGW) errors, as listed in the API gateway error code table -------------

AUTH_PREFIX = "Incorrect IAM authentication information: "


def not_found_api(method_exists=False):
    if method_exists:
        return HuaweiError(404, "APIGW.0101", "The API does not exist.")
    return HuaweiError(404, "APIGW.0101",
                       "The API does not exist or has not been published in the environment.")


def bad_auth(detail):
    return HuaweiError(401, "APIGW.0301", AUTH_PREFIX + detail)


def token_expired():
    return HuaweiError(401, "APIGW.0307", "The token must be updated.")


def not_authorized():
    return HuaweiError(403, "APIGW.0302", "The IAM user is not authorized to access the API.")


def throttled(limit, answer="hint", free_in=60.0):
    """429 APIGW.0308. `answer` is the CGS throttle reading: `hint` (the message names the window,
    no Retry-After), `retry_after` (also a Retry-After header) or `bare` (neither)."""
    if answer == "bare":
        error = HuaweiError(429, "APIGW.0308", "The throttling threshold has been reached.")
    else:
        error = HuaweiError(429, "APIGW.0308", "The throttling threshold has been reached: policy "
                            "user over ratelimit,limit:%d,time:1 minute" % limit)
    if answer == "retry_after":
        error.headers = {"Retry-After": str(max(1, int(math.ceil(free_in))))}
    return error
