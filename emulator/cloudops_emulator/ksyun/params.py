"""Request parameters of the KSYUN query protocol: decoding, merging and typed access.

Parameters come from the query string and from a form (or flat JSON) body; the body wins when a
key is in both (ksc-sdk-go sends Action/Version in both places). A key given twice within the
query, or twice within the body, is rejected (InvalidQueryParameter naming it): seed 000's
parameter rules call a repeated `Filter.1.Name` or `Filter.1.Value.1` invalid, and merging them
silently would hide a client's flattening bug. Lists and structures are
flattened with 1-based indices: `InstanceId.1`, `Filter.1.Name`, `Filter.1.Value.1`,
`Trigger.Header.1.Value.1`.
"""
import json
import re
from urllib.parse import parse_qsl

from .errors import KsyunError, invalid_parameter, invalid_query_parameter, missing_parameter

MAX_INDEX = 100
_TRUE = {"true", "1"}
_FALSE = {"false", "0"}


def parse_body(request):
    """The (key, value) pairs of the request body; [] for an empty body."""
    body = request.body
    if not body:
        return []
    ctype = (request.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise KsyunError(400, "InvalidQueryParameter",
                         "The request body is not UTF-8 encoded.") from None
    if ctype == "application/json":
        try:
            data = json.loads(text)
        except ValueError:
            raise KsyunError(400, "InvalidQueryParameter",
                             "The request body is not valid JSON.") from None
        if not isinstance(data, dict):
            raise KsyunError(400, "InvalidQueryParameter",
                             "The JSON request body must be an object.")
        return list(_flatten(data, ""))
    return parse_qsl(text, keep_blank_values=True)


def _flatten(value, prefix):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _flatten(item, "%s.%s" % (prefix, key) if prefix else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value, 1):
            yield from _flatten(item, "%s.%d" % (prefix, index))
    elif isinstance(value, bool):
        yield prefix, "true" if value else "false"
    elif value is None:
        yield prefix, ""
    else:
        yield prefix, str(value)


def _unique(pairs):
    """{key: value} of `pairs`; InvalidQueryParameter for a key that comes twice."""
    values = {}
    for key, value in pairs:
        if key in values:
            raise invalid_query_parameter(key)
        values[key] = value
    return values


class Params:
    """Typed access to the merged parameters, raising the KSYUN validation errors."""

    def __init__(self, values):
        self._values = dict(values)

    @classmethod
    def merged(cls, query_pairs, body_pairs):
        values = _unique(query_pairs)
        values.update(_unique(body_pairs))
        return cls(values)

    def __contains__(self, name):
        return name in self._values

    def raw(self, name, default=None):
        return self._values.get(name, default)

    def keys(self):
        return self._values.keys()

    def string(self, name, required=False, default=None, choices=None, max_len=None,
               pattern=None, allow_empty=False):
        value = self._values.get(name)
        if value is None or (value == "" and not allow_empty):
            if required:
                raise missing_parameter(name)
            return default
        if max_len is not None and len(value) > max_len:
            raise invalid_parameter(name)
        if choices is not None and value not in choices:
            raise invalid_parameter(name)
        if pattern is not None and not re.fullmatch(pattern, value):
            raise invalid_parameter(name)
        return value

    def integer(self, name, required=False, default=None, minimum=None, maximum=None):
        value = self.string(name, required=required)
        if value is None:
            return default
        try:
            number = int(value.strip())
        except ValueError:
            raise invalid_parameter(name) from None
        if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
            raise invalid_parameter(name)
        return number

    def boolean(self, name, required=False, default=None):
        value = self.string(name, required=required)
        if value is None:
            return default
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise invalid_parameter(name)

    def indexed(self, prefix):
        """{index: rest-of-key -> value} for keys `prefix.N[.rest]`, N checked to be 1..100."""
        groups = {}
        head = prefix + "."
        for key, value in self._values.items():
            if not key.startswith(head):
                continue
            index, _separator, rest = key[len(head):].partition(".")
            if not index.isdigit() or not 1 <= int(index) <= MAX_INDEX:
                raise invalid_query_parameter(key)
            groups.setdefault(int(index), {})[rest] = value
        return dict(sorted(groups.items()))

    def string_list(self, prefix):
        """The values of `prefix.1`, `prefix.2`, ... in index order (empty values dropped)."""
        values = []
        for index, group in self.indexed(prefix).items():
            if set(group) != {""}:
                raise invalid_query_parameter("%s.%d" % (prefix, index))
            if group[""] != "":
                values.append(group[""])
        return values

    def filters(self):
        """{filter name: [values]} from `Filter.N.Name` / `Filter.N.Value.M`."""
        result = {}
        for index, group in self.indexed("Filter").items():
            key = "Filter.%d" % index
            name = group.pop("Name", None)
            values = []
            for rest, value in sorted(group.items()):
                sub, _separator, number = rest.partition(".")
                if sub != "Value" or not number.isdigit() or not 1 <= int(number) <= MAX_INDEX:
                    raise invalid_query_parameter("%s.%s" % (key, rest))
                values.append(value)
            if not name:
                raise missing_parameter(key + ".Name")
            if not values:
                raise missing_parameter(key + ".Value.1")
            if name in result:
                raise invalid_parameter(key + ".Name")
            result[name] = values
        return result
