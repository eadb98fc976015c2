"""`cloudops-emulator`: run the KSYUN + Huawei Cloud emulator on one port."""
import argparse
import ipaddress
import logging
import os
import secrets
import signal
import sys

from . import __version__
from .admin import TOKEN_HEADER
from .core import Emulator, FixtureError, load_fixture_document
from .fixture_ids import rows, table
from .server import make_ssl_context, serve
from .tls import TLSDirectoryError, ensure_certificates

TOKEN_ENV = "CLOUDOPS_EMULATOR_ADMIN_TOKEN"
GENERATE = "generate"


def build_parser():
    parser = argparse.ArgumentParser(
        prog="cloudops-emulator",
        description="Local emulator of KSYUN (kcrs, bws) and Huawei Cloud (KPS, VPCEP, CGS, IAM).")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to bind (default 127.0.0.1); one that is not loopback needs "
                             "--expose")
    parser.add_argument("--expose", action="store_true",
                        help="allow a --host reachable from other machines; the admin API then "
                             "requires a token (generated and printed unless given)")
    parser.add_argument("--admin-token", metavar="TOKEN", default=os.environ.get(TOKEN_ENV),
                        help="require this token in the %s header of every admin request "
                             "('%s': a random one, printed at start; default: $%s)"
                             % (TOKEN_HEADER, GENERATE, TOKEN_ENV))
    parser.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 = any)")
    parser.add_argument("--state", metavar="FILE",
                        help="SQLite file holding the state across restarts (default: memory)")
    parser.add_argument("--fixtures", metavar="FILE",
                        help="YAML fixtures replacing the default sections it contains")
    parser.add_argument("--list-fixtures", action="store_true",
                        help="print the ids the fixtures seed (VPCs, subnets, EIPs, servers, "
                             "nodes, ...; with --fixtures, of that file) and exit")
    parser.add_argument("--tls-dir", metavar="DIR",
                        help="serve HTTPS with a generated CA; ca.pem is written to DIR")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request")
    parser.add_argument("--version", action="version", version="%(prog)s " + __version__)
    return parser


def is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name (or "" for every address): it may resolve to anything
        return False


def admin_token(args):
    """The admin token to require (None: the admin API is open, on loopback only)."""
    if args.admin_token == GENERATE or (args.expose and not args.admin_token):
        return secrets.token_urlsafe(32)
    return args.admin_token or None


def exposure_warning(args, emulator, token_printed):
    """What a non-loopback listener hands to everyone who can reach it."""
    keys = [key["access_key"] for cloud in ("ksyun", "huawei")
            for key in (emulator.fixtures.get(cloud) or {}).get("access_keys") or ()]
    users = [user["name"] for user in (emulator.fixtures.get("huawei") or {}).get("users") or ()]
    credentials = (", ".join(keys) or "none", ", ".join(users) or "none")
    lines = [
        "WARNING: --expose: listening on %s, reachable from other machines." % args.host,
        "  The fixture credentials are accepted from anyone who can reach it: access keys %s; "
        "IAM users %s (secrets and passwords: see the fixtures)." % credentials,
        "  The admin API (/__admin: state dumps with every issued private key and webhook secret, "
        "reset, which changes the accepted credentials) requires the %s header%s."
        % (TOKEN_HEADER, " (the token is printed on stdout)" if token_printed else ""),
    ]
    if not args.tls_dir:
        lines.append("  Without --tls-dir, everything (credentials, tokens, keys) travels in "
                     "clear text.")
    return "\n".join(lines)


def list_fixtures(fixtures_path):
    try:
        doc = load_fixture_document(fixtures_path)
    except FixtureError as exc:
        print("cloudops-emulator: %s" % exc, file=sys.stderr)
        return 2
    print(table(rows(doc)))
    return 0


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.list_fixtures:
        return list_fixtures(args.fixtures)
    if not is_loopback(args.host) and not args.expose:
        parser.error("--host %s: not a loopback address; add --expose to serve it to other "
                     "machines (see the warning it prints)" % args.host)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(message)s")
    token = admin_token(args)
    try:
        emulator = Emulator(state_path=args.state, fixtures_path=args.fixtures,
                            admin_token=token)
    except FixtureError as exc:
        print("cloudops-emulator: %s" % exc, file=sys.stderr)
        return 2
    except OSError as exc:
        print("cloudops-emulator: --state %s: %s" % (args.state, exc), file=sys.stderr)
        return 2
    context = None
    if args.tls_dir:
        try:
            ca_file, cert_file, key_file = ensure_certificates(args.tls_dir)
        except (TLSDirectoryError, OSError) as exc:
            print("cloudops-emulator: --tls-dir: %s" % exc, file=sys.stderr)
            return 2
        context = make_ssl_context(cert_file, key_file)
    try:
        server = serve(emulator, args.host, args.port, context)
    except OSError as exc:
        print("cloudops-emulator: cannot listen on %s:%s: %s" % (args.host, args.port, exc),
              file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("cloudops-emulator listening on %s" % server.url, flush=True)
    if context:
        print("CA certificate: %s" % ca_file, flush=True)
    token_printed = token is not None and token != args.admin_token
    if token_printed:
        print("admin token (send it in the %s header): %s" % (TOKEN_HEADER, token), flush=True)
    if not is_loopback(args.host):
        print(exposure_warning(args, emulator, token_printed), file=sys.stderr, flush=True)
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.server_close()
        emulator.store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
