"""One phase of make test: ``make <phase>``, then a closing line with its result, its duration, the
CPU seconds it and everything it ran took (comparable between runs, unlike the duration, when
other work loads the machine) and the load average.

    python tools/test_phase.py MAKE PHASE
"""
import os
import subprocess
import sys
import time


def main():
    make, phase = sys.argv[1:3]
    started = time.monotonic()
    # close_fds=False: the sub-make shares make test's jobserver.
    proc = subprocess.Popen([make, "--no-print-directory", phase], close_fds=False)
    _pid, status, usage = os.wait4(proc.pid, 0)
    code = os.waitstatus_to_exitcode(status)
    print("== make %s: %s in %.0fs, %.0fs CPU (load average %.2f)" % (
        phase, "ok" if code == 0 else "FAILED", time.monotonic() - started, usage.ru_utime + usage.ru_stime,
        os.getloadavg()[0]), flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
