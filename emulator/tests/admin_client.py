"""A tiny client for the emulator's admin API (used by conftest and by tests)."""
import json
import urllib.request


def admin_call(url, method, path, payload=None, context=None):
    """Call the admin API; returns the parsed JSON (raises HTTPError on 4xx/5xx)."""
    data = None if payload is None else json.dumps(payload).encode()
    req = urllib.request.Request(url + path, data=data, method=method,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=10, context=context) as resp:
        return json.loads(resp.read() or b"null")
