"""Seeding the store from the `huawei:` fixture section (fixtures.py describes it): ECS servers,
container nodes and generated bulk data; run on a fresh store and after every reset. The services
read fixtures.py; nothing imports this module but the package, so there is no import circle.
"""
from ..core import FixtureError
from . import ratelimit
from .cgs import nodes
from .fixtures import Static, check, projects_of
from .kps import keypairs, servers


def load_fixtures(emu, section):
    ratelimit.clear(emu)
    try:
        tables = Static(section)
        check(tables)
        regions = [p["name"] for p in tables.projects]
        for server in section.get("ecs_servers") or []:
            for project in projects_of(tables, server, regions):
                servers.seed_server(emu, project, server)
        for node in section.get("cgs_nodes") or []:
            for project in projects_of(tables, node, regions):
                nodes.seed_node(emu, project["id"], node)
        generate = section.get("generate") or {}
        for kind, spec in generate.items():
            for project in projects_of(tables, spec, regions):
                if kind == "cgs.node":
                    nodes.generate_nodes(emu, project["id"], int(spec["count"]),
                                         spec.get("prefix", "node"))
                elif kind == "kps.keypair":
                    keypairs.generate(emu, project, tables, int(spec["count"]),
                                      spec.get("prefix", "bulk-key"))
                else:
                    raise FixtureError("huawei fixtures: unknown generator %r" % kind)
    except FixtureError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise FixtureError("huawei fixtures: malformed entry (%s: %s)"
                           % (type(exc).__name__, exc)) from None
