"""Start or stop a background emulator for molecule scenarios and playbook tests.

    emulator_ctl.py start DIR [--state FILE]   prints the emulator's URL
    emulator_ctl.py stop DIR

`start` runs `cloudops-emulator --port 0` (the system picks a free port, so parallel runs never
collide) in its own session, so it outlives the Ansible task that started it, and waits until it
answers. DIR receives emulator.url, emulator.pid and emulator.log. `stop` ends that process (TERM,
then KILL after 5 s) and removes the pid file; stopping an emulator that is not running succeeds.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request

LISTENING = re.compile(r"listening on (http\S+)")


def _files(directory):
    return tuple(os.path.join(directory, name) for name in ("emulator.url", "emulator.pid", "emulator.log"))


def _answers(url):
    try:
        with urllib.request.urlopen(url + "/__admin/health", timeout=2):
            return True
    except OSError:
        return False


def start(directory, state=None, timeout=30):
    url_file, pid_file, log_file = _files(directory)
    os.makedirs(directory, exist_ok=True)
    if os.path.exists(pid_file):
        stop(directory)
    exe = os.path.join(os.path.dirname(os.path.abspath(sys.executable)), "cloudops-emulator")
    cmd = [exe, "--host", "127.0.0.1", "--port", "0"] + (["--state", state] if state else [])
    with open(log_file, "wb") as log, open(os.devnull, "rb") as devnull:
        proc = subprocess.Popen(cmd, stdin=devnull, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    with open(pid_file, "w") as handle:
        handle.write("%d\n" % proc.pid)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            os.unlink(pid_file)
            raise SystemExit("emulator exited with %s; see %s" % (proc.returncode, log_file))
        with open(log_file, "r", errors="replace") as handle:
            found = LISTENING.search(handle.read())
        if found and _answers(found.group(1)):
            with open(url_file, "w") as handle:
                handle.write(found.group(1) + "\n")
            return found.group(1)
        time.sleep(0.1)
    stop(directory)
    raise SystemExit("emulator did not answer within %ds; see %s" % (timeout, log_file))


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for our purposes; /proc tells where there is one.
    try:
        with open("/proc/%d/stat" % pid) as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True


def stop(directory, grace=5.0):
    url_file, pid_file, _log = _files(directory)
    try:
        with open(pid_file) as handle:
            pid = int(handle.read().strip())
    except (OSError, ValueError):
        return False
    try:
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + grace
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.1)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    for path in (pid_file, url_file):
        if os.path.exists(path):
            os.unlink(path)
    return True


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("action", choices=["start", "stop"])
    parser.add_argument("directory")
    parser.add_argument("--state", help="SQLite file holding the emulator's state (default: memory)")
    args = parser.parse_args(argv)
    if args.action == "start":
        print(start(args.directory, args.state))
    else:
        stop(args.directory)
    return 0


if __name__ == "__main__":
    sys.exit(main())
