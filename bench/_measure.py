"""Run one command and print its wall time and peak memory as JSON.

Used by the benchmarks so that each measured tool runs in a fresh process
whose RUSAGE_CHILDREN holds only that tool: ``python _measure.py CMD ...``.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main() -> int:
    command = sys.argv[1:]
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps(
            {
                "wall_s": round(wall, 3),
                "peak_mb": round(peak_kb / 1024, 1),
                "returncode": done.returncode,
                "stderr": done.stderr[-500:],
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
