"""emulator_request: one HTTP request to the local emulator, made on the controller.

The integration targets read the emulator's admin API (call counters, stored state, settings) a
few hundred times per run. ``ansible.builtin.uri`` would ship and start a module for each; this
action makes the request in the controller process instead. It takes the ``uri`` options the
targets use (url, method, body, body_format=json, headers, status_code) and returns the same shape
(``status``, ``json``, the response headers as lower-case keys with ``_`` for ``-``), so a task
reads the same and its assertions do not change.
"""

import json
import urllib.error
import urllib.request

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

OPTIONS = frozenset(("url", "method", "body", "body_format", "headers", "status_code", "timeout"))
# No proxy: the emulator always listens on this machine.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = self._task.args
        unknown = sorted(set(args) - OPTIONS)
        if unknown:
            raise AnsibleActionFail("emulator_request: unsupported options %s" % ", ".join(unknown))
        if args.get("body_format", "json") != "json":
            raise AnsibleActionFail("emulator_request: body_format must be json")
        method = args.get("method", "GET").upper()
        expected = args.get("status_code", 200)
        expected = [int(code) for code in (expected if isinstance(expected, list) else [expected])]
        headers = dict(args.get("headers") or {})
        data = None
        if "body" in args:
            data = json.dumps(args["body"]).encode()
            headers.setdefault("Content-Type", "application/json")
        request = urllib.request.Request(args["url"], data=data, method=method, headers=headers)
        try:
            with OPENER.open(request, timeout=int(args.get("timeout", 30))) as response:
                status, reply_headers, raw = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, reply_headers, raw = error.code, error.headers, error.read()
        except (urllib.error.URLError, OSError) as error:
            raise AnsibleActionFail("emulator_request: %s %s: %s" % (method, args["url"], error)) from error
        result.update((name.lower().replace("-", "_"), value) for name, value in reply_headers.items())
        result.update(status=status, url=args["url"], changed=False, msg="OK (%d bytes)" % len(raw))
        if raw and reply_headers.get_content_type() == "application/json":
            result["json"] = json.loads(raw)
        if status not in expected:
            result.update(failed=True, msg="Status code was %d and not %s: %s" % (
                status, expected, raw[:500].decode("utf-8", "replace")))
        return result
