"""KSYUN response bodies: JSON when the client asks for it, XML otherwise.

XML follows the concrete BWS samples: `<{Action}Response xmlns="http://{service}.api.ksyun.com/
doc/{version}/">` with `<RequestId>` directly under the root, list members as `<item>`, booleans
as `true`/`false`, null as an empty element.
"""
import json
from xml.sax.saxutils import escape

from ..http import Response

_XML = "application/xml; charset=utf-8"
_JSON = "application/json; charset=utf-8"


def wants_json(request):
    return request is not None and "application/json" in (request.headers.get("Accept") or "")


def success(request, action, service, version, body, request_id):
    """`body` is an ordered dict of result fields, including the request id field."""
    headers = {"X-KSC-Request-Id": request_id}
    if wants_json(request):
        headers["Content-Type"] = _JSON
        return Response(200, json.dumps(body, ensure_ascii=False).encode("utf-8"), headers)
    headers["Content-Type"] = _XML
    root = "%sResponse" % action
    namespace = "http://%s.api.ksyun.com/doc/%s/" % (service, version)
    parts = ['<?xml version="1.0" encoding="UTF-8"?>\n<%s xmlns="%s">' % (root, namespace)]
    for key, value in body.items():
        _element(parts, key, value)
    parts.append("</%s>" % root)
    return Response(200, "".join(parts).encode("utf-8"), headers)


def error(request, status, code, message, request_id):
    kind = "Sender" if status < 500 else "Receiver"
    headers = {"X-KSC-Request-Id": request_id}
    if wants_json(request):
        headers["Content-Type"] = _JSON
        body = {"RequestId": request_id,
                "Error": {"Type": kind, "Code": code, "Message": message}}
        return Response(status, json.dumps(body, ensure_ascii=False).encode("utf-8"), headers)
    headers["Content-Type"] = _XML
    xml = ('<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><RequestId>%s</RequestId>'
           "<Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error></ErrorResponse>"
           % (escape(request_id), kind, escape(code), escape(message)))
    return Response(status, xml.encode("utf-8"), headers)


def _element(parts, name, value):
    if value is None:
        parts.append("<%s/>" % name)
    elif isinstance(value, dict):
        parts.append("<%s>" % name)
        for key, item in value.items():
            _element(parts, key, item)
        parts.append("</%s>" % name)
    elif isinstance(value, list):
        parts.append("<%s>" % name)
        for item in value:
            _element(parts, "item", item)
        parts.append("</%s>" % name)
    elif isinstance(value, bool):
        parts.append("<%s>%s</%s>" % (name, "true" if value else "false", name))
    else:
        parts.append("<%s>%s</%s>" % (name, escape(str(value)), name))
