"""Time of a failed login for an unknown user vs. a known user with a wrong password (issue 14).

Both paths verify one argon2 hash (the dummy hash for an unknown user) and write the same audit
and counter rows, so they should take the same time: a guesser cannot tell which accounts exist.
Each try uses another client address and another account name so the lockout never triggers.

    .venv/bin/python bench/login_timing.py            # 100 tries of each, interleaved
    .venv/bin/python bench/login_timing.py --tries 300
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cohesie import auth  # noqa: E402
from cohesie.storage import open_store  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tries", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(Path(tmp))
        for i in range(args.tries):
            store.save_user(f"bestaat{i}", rol="editor", password_hash=auth.hash_password("een-lang-wachtwoord"))
        auth.dummy_hash()  # made once per process, before the first timing
        times = {"onbekende gebruiker": [], "verkeerd wachtwoord": []}
        for i in range(args.tries):
            # interleaved, so a slow moment of the machine hits both paths alike
            for label, name in (("onbekende gebruiker", f"bestaatniet{i}"), ("verkeerd wachtwoord", f"bestaat{i}")):
                start = time.perf_counter()
                try:
                    auth.login(store, name, "fout-wachtwoord", address=f"10.{i // 250}.{i % 250}.{len(label)}")
                except auth.PermissionDenied:
                    pass
                times[label].append((time.perf_counter() - start) * 1000)
    print(f"{args.tries} pogingen per soort, tijd per mislukte aanmelding in ms (SQLite-backend):")
    for label, values in times.items():
        q = statistics.quantiles(values, n=20)
        print(f"  {label:20s} mediaan {statistics.median(values):7.1f}  gemiddeld {statistics.fmean(values):7.1f}"
              f"  p5 {q[0]:7.1f}  p95 {q[-1]:7.1f}")
    diff = statistics.median(times["onbekende gebruiker"]) - statistics.median(times["verkeerd wachtwoord"])
    print(f"  verschil van de medianen: {diff:+.1f} ms")


if __name__ == "__main__":
    main()
