"""Small helpers shared by the KSYUN handlers: ids, times, pagination."""
import datetime
import uuid

from ..readings import reading

# KSYUN answers with Beijing local times without a zone, e.g. "2022-06-20 16:02:09".
_BEIJING = datetime.timezone(datetime.timedelta(hours=8))
MAX_PAGE = 99


def new_id():
    return str(uuid.uuid4())


def fmt_time(epoch):
    if epoch is None:
        return None
    return datetime.datetime.fromtimestamp(epoch, _BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def page_cap(emu, service, action):
    """The most items the server returns per page of `action` (setting
    `readings.<service>.page_cap.<Action>`), or None: the reading that the service pages at a
    size of its own choosing whatever MaxResults asked."""
    cap = reading(emu, service, "page_cap").get(action)
    return int(cap) if cap else None


def page_args(call, default_size=20):
    """(marker, page size) from `Marker` (an offset) and `MaxResults` (1..99), the size cut to
    the action's page cap if one is set."""
    marker = call.params.integer("Marker", default=0, minimum=0)
    size = call.params.integer("MaxResults", default=default_size, minimum=1, maximum=MAX_PAGE)
    cap = page_cap(call.emu, call.service, call.action)
    return marker, min(size, cap) if cap else size


def paginate(call, items, default_size=20):
    """The page of `items` selected by Marker/MaxResults, plus the echo fields."""
    marker, size = page_args(call, default_size)
    return items[marker:marker + size], {"TotalCount": len(items), "Marker": marker,
                                         "MaxResults": size}
