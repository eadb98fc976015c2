"""The Huawei route table: (method, path pattern) -> service, SDK operation name, handler.

Patterns use `{name}` for one path segment. When several patterns match a path, routes for the
request's method win, and among those the one whose literal segments come first (so
`/vpc-endpoint-services/describe` beats `/vpc-endpoint-services/{id}`, and `/{resource_type}/tags`
never shadows a service route).
"""
from .errors import not_found_api


class Route:
    __slots__ = ("method", "pattern", "segments", "service", "operation", "handler", "auth",
                 "specificity")

    def __init__(self, method, pattern, service, operation, handler, auth):
        self.method = method
        self.pattern = pattern
        self.segments = pattern.strip("/").split("/") if pattern != "/" else []
        self.service = service
        self.operation = operation
        self.handler = handler
        self.auth = auth
        self.specificity = tuple(not _is_param(seg) for seg in self.segments)

    def match(self, parts):
        if len(parts) != len(self.segments):
            return None
        params = {}
        for seg, part in zip(self.segments, parts):
            if _is_param(seg):
                if not part:
                    return None
                params[seg[1:-1]] = part
            elif seg != part:
                return None
        return params


_ROUTES = []


def route(method, pattern, service, operation, auth=True):
    """Register the decorated function `handler(call)` for `method pattern`."""
    def register(handler):
        _ROUTES.append(Route(method, pattern, service, operation, handler, auth))
        return handler
    return register


def _is_param(segment):
    return segment.startswith("{") and segment.endswith("}")


def _parts(path):
    stripped = path.strip("/")
    return stripped.split("/") if stripped else []


def candidates(path):
    """Every (route, path params) whose pattern matches `path`, most specific first."""
    parts = _parts(path)
    found = [(r, p) for r in _ROUTES for p in [r.match(parts)] if p is not None]
    found.sort(key=lambda item: item[0].specificity, reverse=True)
    return found


def resolve(method, path):
    """(route, path params) for the request, or HuaweiError APIGW.0101."""
    found = candidates(path)
    for rte, params in found:
        if rte.method == method:
            return rte, params
    raise not_found_api(method_exists=bool(found))


def service_for_path(path):
    found = candidates(path)
    return found[0][0].service if found else None


def all_routes():
    return list(_ROUTES)
