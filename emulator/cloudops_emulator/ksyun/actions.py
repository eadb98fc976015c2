"""The registry of KSYUN services and their actions."""


class Service:
    def __init__(self, name, version):
        self.name = name
        self.version = version
        self.actions = {}


SERVICES = {
    "kcrs": Service("kcrs", "2021-11-09"),
    "bws": Service("bws", "2016-03-04"),
}


class Action:
    __slots__ = ("name", "handler", "request_id_key")

    def __init__(self, name, handler, request_id_key):
        self.name = name
        self.handler = handler
        self.request_id_key = request_id_key


def action(service, name, request_id_key="RequestId"):
    """Register `handler(call) -> dict of result fields` as `service`'s action `name`.

    `request_id_key` is the name of the request id field in the answer (CreateWebhookTrigger
    answers `requestId`, in lower camel case).
    """
    def register(handler):
        SERVICES[service].actions[name] = Action(name, handler, request_id_key)
        return handler
    return register


class Call:
    """What a handler gets: the emulator, the request, its parameters and who signed it."""

    __slots__ = ("emu", "request", "params", "identity", "service", "action", "now")

    def __init__(self, emu, request, params, identity, service, action_name):
        self.emu = emu
        self.request = request
        self.params = params
        self.identity = identity
        self.service = service
        self.action = action_name
        self.now = emu.now()

    @property
    def store(self):
        return self.emu.store

    @property
    def region(self):
        return self.identity.region
