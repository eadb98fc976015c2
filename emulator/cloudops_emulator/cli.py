"""`cloudops-emulator`: run the KSYUN + Huawei Cloud emulator on one port."""
import argparse
import logging
import signal
import sys

from . import __version__
from .core import Emulator, FixtureError
from .server import make_ssl_context, serve
from .tls import ensure_certificates


def build_parser():
    parser = argparse.ArgumentParser(
        prog="cloudops-emulator",
        description="Local emulator of KSYUN (kcrs, bws) and Huawei Cloud (KPS, VPCEP, CGS, IAM).")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 = any)")
    parser.add_argument("--state", metavar="FILE",
                        help="SQLite file holding the state across restarts (default: memory)")
    parser.add_argument("--fixtures", metavar="FILE",
                        help="YAML fixtures replacing the default sections it contains")
    parser.add_argument("--tls-dir", metavar="DIR",
                        help="serve HTTPS with a generated CA; ca.pem is written to DIR")
    parser.add_argument("-v", "--verbose", action="store_true", help="log every request")
    parser.add_argument("--version", action="version", version="%(prog)s " + __version__)
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(message)s")
    try:
        emulator = Emulator(state_path=args.state, fixtures_path=args.fixtures)
    except FixtureError as exc:
        print("cloudops-emulator: %s" % exc, file=sys.stderr)
        return 2
    context = None
    if args.tls_dir:
        ca_file, cert_file, key_file = ensure_certificates(args.tls_dir)
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
