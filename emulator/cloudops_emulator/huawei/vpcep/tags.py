"""Tags of endpoint services and endpoints: batch create/delete on one resource, the project's
tag keys and values, and the filter/count query over resources.

`resource_type` is `endpoint_service` or `endpoint`. A resource holds at most 20 tags (reading
`max_tags`: 10, as the tags/action doc says); creating
an existing key replaces its value; deleting with a value removes the key only if the value
matches, without one removes the key.
"""
from ..routing import route
from ..util import no_content, ok
from . import common, endpoints, errors, services

BASE = "/v1/{project_id}/{resource_type}"
TYPES = ("endpoint_service", "endpoint")


@route("POST", BASE + "/{resource_id}/tags/action", "vpcep", "BatchAddOrRemoveResourceInstance")
def batch_add_or_remove_resource_instance(call):
    body = call.body(errors.malformed)
    kind, doc = _resource(call, call.params["resource_id"])
    action = body.get("action")
    if action not in ("create", "delete"):
        raise errors.error("EndPoint.0007")
    if not body.get("tags"):
        raise errors.error("EndPoint.3066")
    if action == "create":
        given = common.check_tags(body["tags"])
        keys = {t["key"] for t in given}
        kept = [t for t in doc["tags"] if t["key"] not in keys]
        common.check_tags(given, existing=kept, limit=common.max_tags(call.emu))
        doc["tags"] = kept + given
    else:
        given = common.check_tags(body["tags"], require_value=False)
        doomed = {(t["key"], t.get("value")) for t in given}
        doc["tags"] = [t for t in doc["tags"]
                       if (t["key"], None) not in doomed and (t["key"], t["value"]) not in doomed]
    call.emu.store.update(kind, doc["id"], doc)
    return no_content()


@route("GET", BASE + "/tags", "vpcep", "ListQueryProjectResourceTags")
def list_query_project_resource_tags(call):
    values = {}
    for doc in _resources(call):
        for tag in doc["tags"]:
            bucket = values.setdefault(tag["key"], [])
            if tag["value"] not in bucket:
                bucket.append(tag["value"])
    return ok({"tags": [{"key": key, "values": vals} for key, vals in values.items()]})


@route("POST", BASE + "/resource_instances/action", "vpcep", "ListResourceInstances")
def list_resource_instances(call):
    body = call.body(errors.malformed)
    action = body.get("action")
    if action not in ("filter", "count"):
        raise errors.error("EndPoint.0007")
    found = [doc for doc in _resources(call) if _selected(doc, body)]
    if action == "count":
        return ok({"total_count": len(found)})
    limit = _int(body.get("limit"), 1000, 1, 1000, "EndPoint.0006")
    offset = _int(body.get("offset"), 0, 0, None, "EndPoint.0010")
    return ok({"resources": [{"resource_id": d["id"], "resource_name": _name(d),
                              "tags": d["tags"]} for d in found[offset:offset + limit]],
               "total_count": len(found)})


def _resource_type(call):
    kind = call.params["resource_type"]
    if kind not in TYPES:
        raise errors.error("EndPoint.3070")
    return kind


def _resource(call, resource_id):
    if _resource_type(call) == "endpoint_service":
        return common.SERVICE, services.require(call, resource_id)
    call.params["vpc_endpoint_id"] = resource_id
    return common.ENDPOINT, endpoints.require(call)


def _resources(call):
    if _resource_type(call) == "endpoint_service":
        return services.services_of(call)
    return endpoints.own_endpoints(call)


def _name(doc):
    return doc.get("service_name") or doc.get("endpoint_service_name") or ""


def _pairs(filters, field):
    value = filters.get(field)
    if value is None:
        return []
    if not isinstance(value, list) or len(value) > 10 or any(
            not isinstance(f, dict) or not f.get("key") or not isinstance(f.get("values", []), list)
            for f in value):
        raise errors.error("EndPoint.0002", field)
    return value


def _has(doc, tag_filter):
    wanted = tag_filter.get("values") or []
    return any(t["key"] == tag_filter["key"] and (not wanted or t["value"] in wanted)
               for t in doc["tags"])


def _selected(doc, body):
    tags, tags_any = _pairs(body, "tags"), _pairs(body, "tags_any")
    not_tags, not_any = _pairs(body, "not_tags"), _pairs(body, "not_tags_any")
    if body.get("without_any_tag") is True:
        return not doc["tags"]
    if tags and not all(_has(doc, f) for f in tags):
        return False
    if tags_any and not any(_has(doc, f) for f in tags_any):
        return False
    if not_tags and all(_has(doc, f) for f in not_tags):
        return False
    if not_any and any(_has(doc, f) for f in not_any):
        return False
    for match in body.get("matches") or []:
        if isinstance(match, dict) and match.get("key") == "resource_name" and \
                not common.fuzzy(match.get("value"), _name(doc)):
            return False
    return True


def _int(raw, default, minimum, maximum, code):
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise errors.error(code) from None
    if value < minimum or (maximum is not None and value > maximum):
        raise errors.error(code)
    return value
