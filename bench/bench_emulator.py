"""Throughput of the emulator: signed kcrs DescribeNamespace calls per second.

Starts `cloudops-emulator` in its own process (an instance with 30 namespaces seeded from a
fixtures file), then sends DescribeNamespace requests from this process over keep-alive
connections, each signed afresh with botocore's SigV4, for a fixed time per scenario. Every
answer is checked (status 200, 20 namespaces), and the emulator's own call counter must match
the number of calls sent. Writes a Markdown table to bench/results/emulator.md.

    python bench/bench_emulator.py [--duration 5] [--output bench/results/emulator.md]
"""
import argparse
import http.client
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from urllib.parse import urlencode

import yaml
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

AK, SK, REGION = "AKLTEMULATOR", "emulator-ksyun-secret", "cn-beijing-6"
INSTANCE = "bench-instance-0001"
QUERY = urlencode({"Action": "DescribeNamespace", "Version": "2021-11-09",
                   "InstanceId": INSTANCE})
HERE = os.path.dirname(os.path.abspath(__file__))


def start_emulator(workdir):
    fixtures = os.path.join(workdir, "bench-fixtures.yaml")
    with open(fixtures, "w", encoding="utf-8") as handle:
        yaml.safe_dump({"ksyun": {
            "access_keys": [{"access_key": AK, "secret_key": SK}],
            "kcrs": {"instances": [{"InstanceName": "bench", "InstanceId": INSTANCE}]},
            "generate": {"kcrs.namespace": {"instance": "bench", "count": 30}},
        }}, handle)
    proc = subprocess.Popen([sys.executable, "-m", "cloudops_emulator", "--port", "0",
                             "--fixtures", fixtures], stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    match = re.search(r"listening on http://([\d.]+):(\d+)", line)
    if not match:
        proc.kill()
        raise SystemExit("the emulator did not start: %r" % line)
    return proc, match.group(1), int(match.group(2))


def signed_headers(host, port):
    request = AWSRequest("GET", "http://%s:%d/?%s" % (host, port, QUERY),
                         headers={"Accept": "application/json"})
    SigV4Auth(Credentials(AK, SK), "kcrs", REGION).add_auth(request)
    return dict(request.headers)


def admin(host, port, method, path):
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.request(method, path)
    body = json.loads(conn.getresponse().read() or b"null")
    conn.close()
    return body


def worker(host, port, deadline, latencies, errors):
    conn = http.client.HTTPConnection(host, port, timeout=10)
    while True:
        started = time.perf_counter()
        if started >= deadline:
            break
        conn.request("GET", "/?" + QUERY, headers=signed_headers(host, port))
        response = conn.getresponse()
        body = response.read()
        latencies.append(time.perf_counter() - started)
        if response.status != 200 or len(json.loads(body)["NamespaceSet"]) != 20:
            errors.append(response.status)
    conn.close()


def run(host, port, threads, duration):
    admin(host, port, "DELETE", "/__admin/stats")
    latencies, errors = [], []
    deadline = time.perf_counter() + duration
    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(host, port, deadline, latencies, errors))
            for _thread_number in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.perf_counter() - started
    counted = admin(host, port, "GET", "/__admin/stats")["calls"].get(
        "kcrs:DescribeNamespace", 0)
    if errors or counted != len(latencies):
        raise SystemExit("bad answers: %d errors, %d sent, %d counted by the emulator"
                         % (len(errors), len(latencies), counted))
    ordered = sorted(latencies)
    return {"threads": threads, "calls": len(latencies), "seconds": elapsed,
            "rate": len(latencies) / elapsed,
            "p50": statistics.median(ordered) * 1000,
            "p99": ordered[int(len(ordered) * 0.99) - 1] * 1000}


def write_table(results, output, duration):
    os.makedirs(os.path.dirname(output), exist_ok=True)
    lines = [
        "# Emulator throughput",
        "",
        "Signed kcrs `DescribeNamespace` calls (30 namespaces, default page of 20), each signed "
        "afresh with botocore SigV4 and verified by the emulator, over keep-alive HTTP/1.1 "
        "connections; emulator and client on the same machine (%d CPUs, Python %s, load average "
        "%.1f), %ss per row." % (os.cpu_count(), platform.python_version(), os.getloadavg()[0], duration),
        "",
        "| client threads | calls | seconds | calls/s | p50 latency (ms) | p99 latency (ms) |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results:
        lines.append("| %d | %d | %.2f | %.0f | %.2f | %.2f |" % (
            row["threads"], row["calls"], row["seconds"], row["rate"], row["p50"], row["p99"]))
    with open(output, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per scenario")
    parser.add_argument("--threads", default="1,2,4", help="client thread counts to run")
    parser.add_argument("--output", default=os.path.join(HERE, "results", "emulator.md"))
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as workdir:
        proc, host, port = start_emulator(workdir)
        try:
            run(host, port, 1, 0.5)  # warm up
            results = [run(host, port, int(n), args.duration) for n in args.threads.split(",")]
        finally:
            proc.terminate()
            proc.wait(timeout=10)
    write_table(results, args.output, args.duration)
    for row in results:
        print("%d thread(s): %.0f calls/s (p50 %.2f ms, p99 %.2f ms)"
              % (row["threads"], row["rate"], row["p50"], row["p99"]))
    print("table written to %s" % args.output)


if __name__ == "__main__":
    main()
