"""Injected faults: latency and latency spikes, server errors, throttling, dropped connections,
lost answers (the request is carried out, then the connection drops before the answer), late
server errors (the request is carried out, then the server error is answered), and cut answers
(the request is carried out, the answer announces its whole length, and the connection closes
after `cut_after` bytes of its body, counted from where `cut_from` first appears in it, or from its
start). The bodies of cut answers are kept (`cuts()`) so that drills can look for their fragments.

A configuration applies to one service (`kcrs`, `bws`, `kps`, `vpcep`, `cgs`, `iam`) or to `all`,
and optionally only to some operations (`operations`: SDK operation or KSYUN action names).
Outcomes are drawn from one RNG seeded by the configuration, so the same seed and the same
sequence of requests give the same outcomes. `times` limits the configuration to that many
matching requests (then it clears itself); `error_code`/`error_message` give injected errors a
service code of their own (then `error_status` may be any 4xx/5xx), e.g. "the next DeleteImages
answers 404 ImageNotFound".
"""
import random
import threading

_RATES = ("error_rate", "throttle_rate", "drop_rate", "lose_rate", "late_error_rate", "cut_rate")
_KEYS = {"service", "operations", "latency_ms", "seed", "error_status", "spike_rate", "spike_ms", "times",
         "error_code", "error_message", "cut_after", "cut_from"} | set(_RATES)


class FaultError(ValueError):
    """The fault configuration is invalid."""


class Decision:
    """What to do with one request: sleep `latency` seconds, then `action` (None = serve
    normally, "error", "throttle", "drop", "lose": serve it, then drop the answer, or
    "late_error": serve it, then answer the server error, or "cut": serve it, then cut the
    answer short; `cut_at(body)` says where)."""

    __slots__ = ("latency", "action", "error_status", "error_code", "error_message", "cut_after", "cut_from")

    def __init__(self, latency=0.0, action=None, error_status=503, error_code=None, error_message=None,
                 cut_after=0, cut_from=None):
        self.latency = latency
        self.action = action
        self.error_status = error_status
        self.error_code = error_code
        self.error_message = error_message
        self.cut_after = cut_after
        self.cut_from = cut_from

    def cut_at(self, body):
        """How many bytes of `body` a cut answer sends: `cut_after` bytes from where `cut_from`
        first appears (from the start when it does not), always less than the whole body."""
        start = body.find(self.cut_from.encode("utf-8")) if self.cut_from else 0
        return max(0, min(max(start, 0) + self.cut_after, len(body) - 1))


_NONE = Decision()


class Faults:
    def __init__(self):
        self._lock = threading.Lock()
        self._config = {}
        self._rng = random.Random(0)
        self._cuts = []

    def configure(self, config):
        """Replace the configuration; an empty mapping clears every fault."""
        config = dict(config or {})
        unknown = set(config) - _KEYS
        if unknown:
            raise FaultError("unknown fault keys: %s" % ", ".join(sorted(unknown)))
        if config:
            config.setdefault("service", "all")
            config.setdefault("latency_ms", 0)
            config.setdefault("seed", 0)
            config.setdefault("error_status", 503)
            config.setdefault("spike_ms", 0)
            try:
                config["spike_rate"] = float(config.get("spike_rate", 0.0))
            except (TypeError, ValueError):
                raise FaultError("spike_rate must be a number") from None
            if not 0.0 <= config["spike_rate"] <= 1.0:
                raise FaultError("spike_rate must be between 0 and 1")
            for key in _RATES:
                config.setdefault(key, 0.0)
                try:
                    config[key] = float(config[key])
                except (TypeError, ValueError):
                    raise FaultError("%s must be a number" % key) from None
                if not 0.0 <= config[key] <= 1.0:
                    raise FaultError("%s must be between 0 and 1" % key)
            if sum(config[k] for k in _RATES) > 1.0:
                raise FaultError("%s must not exceed 1" % " + ".join(_RATES))
            _check_cut(config)
            try:
                config["latency_ms"] = max(0, int(config["latency_ms"]))
                config["spike_ms"] = max(0, int(config["spike_ms"]))
                config["error_status"] = int(config["error_status"])
            except (TypeError, ValueError):
                raise FaultError("latency_ms, spike_ms and error_status must be integers") from None
            for key in ("error_code", "error_message"):
                if config.get(key) is not None and not (isinstance(config[key], str) and config[key]):
                    raise FaultError("%s must be a string" % key)
            lowest = 400 if config.get("error_code") else 500
            if not lowest <= config["error_status"] <= 599:
                raise FaultError("error_status must be a %s status" % ("4xx or 5xx" if lowest == 400 else "5xx"))
            if config.get("times") is not None:
                if isinstance(config["times"], bool) or not isinstance(config["times"], int) or config["times"] < 1:
                    raise FaultError("times must be a positive integer")
            if not isinstance(config["service"], str):
                raise FaultError("service must be a string")
            operations = config.setdefault("operations", [])
            if not isinstance(operations, list) or not all(isinstance(o, str) and o for o in operations):
                raise FaultError("operations must be a list of operation names")
        with self._lock:
            self._config = config
            self._rng = random.Random(config.get("seed", 0))
        return dict(config)

    def config(self):
        with self._lock:
            return dict(self._config)

    def clear(self):
        """No fault any more, and no cut answer kept."""
        self.configure({})
        with self._lock:
            self._cuts = []

    def record_cut(self, operation, status, body, sent):
        """Keep a cut answer: its operation, status, whole body (text) and the bytes sent."""
        with self._lock:
            self._cuts.append({"operation": operation, "status": status, "sent": sent,
                               "body": body.decode("utf-8", errors="replace")})

    def cuts(self):
        with self._lock:
            return [dict(cut) for cut in self._cuts]

    def decide(self, service, operation_of=None):
        """Draw the outcome for one request to `service` (None when it is unknown);
        `operation_of()` names its operation, asked only when the configuration lists some."""
        with self._lock:
            config = self._config
            if not config or config["service"] not in ("all", service):
                return _NONE
            if config["operations"] and (operation_of is None or operation_of() not in config["operations"]):
                return _NONE
            draw = self._rng.random()
            spike = self._rng.random() < config["spike_rate"]
            if config.get("times") is not None:
                config["times"] -= 1
                if config["times"] <= 0:
                    self._config = {}
        latency = (config["latency_ms"] + (config["spike_ms"] if spike else 0)) / 1000.0
        action = None
        edge = 0.0
        for key, name in (("error_rate", "error"), ("throttle_rate", "throttle"),
                          ("drop_rate", "drop"), ("lose_rate", "lose"), ("late_error_rate", "late_error"),
                          ("cut_rate", "cut")):
            edge += config[key]
            if draw < edge:
                action = name
                break
        return Decision(latency, action, config["error_status"], config.get("error_code"),
                        config.get("error_message"), config.get("cut_after", 0), config.get("cut_from"))


def _check_cut(config):
    after = config.setdefault("cut_after", 0)
    if isinstance(after, bool) or not isinstance(after, int):
        raise FaultError("cut_after must be an integer (bytes; negative: before cut_from)")
    if config.get("cut_from") is not None and not (isinstance(config["cut_from"], str) and config["cut_from"]):
        raise FaultError("cut_from must be a string")
