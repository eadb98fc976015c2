"""Small helpers shared by the KSYUN handlers: ids, times, pagination."""
import datetime
import uuid

# KSYUN answers with Beijing local times without a zone, e.g. "2022-06-20 16:02:09".
_BEIJING = datetime.timezone(datetime.timedelta(hours=8))
MAX_PAGE = 99


def new_id():
    return str(uuid.uuid4())


def fmt_time(epoch):
    if epoch is None:
        return None
    return datetime.datetime.fromtimestamp(epoch, _BEIJING).strftime("%Y-%m-%d %H:%M:%S")


def page_args(params, default_size=20):
    """(marker, max_results) from `Marker` (an offset) and `MaxResults` (1..99)."""
    marker = params.integer("Marker", default=0, minimum=0)
    size = params.integer("MaxResults", default=default_size, minimum=1, maximum=MAX_PAGE)
    return marker, size


def paginate(params, items, default_size=20):
    """The page of `items` selected by Marker/MaxResults, plus the echo fields."""
    marker, size = page_args(params, default_size)
    return items[marker:marker + size], {"TotalCount": len(items), "Marker": marker,
                                         "MaxResults": size}
