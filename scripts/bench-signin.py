#!/usr/bin/env python3
"""Does the time of a failed sign-in tell an attacker whether the email has an account?

Starts a utmforge binary (default target/release/utmforge) on a free loopback port with a
throwaway database and some accounts, then times sign-ins with an unknown email, with a known
email and a wrong password, and with the right password, interleaved, and prints the median and
the spread of each. Each request comes "from" its own address (X-Forwarded-For with
--trust-proxy) and each account gets fewer than 5 failures, so the brute-force limit does not
answer instead.

    python3 scripts/bench-signin.py [BINARY] [ROUNDS]
"""
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

PASSWORD = "bench passphrase 2026"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    binary = os.path.realpath(sys.argv[1] if len(sys.argv) > 1 else "target/release/utmforge")
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 40
    work = tempfile.mkdtemp(prefix="utmforge-signin-")
    database = f"sqlite://{work}/s.db"
    accounts = [f"user{i}@example.com" for i in range(rounds // 4 + 1)]
    for email in accounts:
        subprocess.run([binary, "user", "add", "--email", email, "--role", "viewer",
                        "--database-url", database], input=f"{PASSWORD}\n".encode(),
                       stdout=subprocess.DEVNULL, check=True)
    port = free_port()
    server = subprocess.Popen(
        [binary, "serve", "--addr", f"127.0.0.1:{port}", "--database-url", database,
         "--trust-proxy"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "RUST_LOG": "warn"})
    try:
        for _ in range(200):
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                c.request("GET", "/healthz")
                c.getresponse().read()
                break
            except OSError:
                time.sleep(0.05)
        counter = [0]

        def sign_in(email, password):
            counter[0] += 1
            body = urllib.parse.urlencode({"email": email, "password": password, "next": "/"})
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            started = time.perf_counter()
            c.request("POST", "/api/account/sign-in", body=body, headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Accept": "application/json",
                "Origin": f"http://127.0.0.1:{port}",
                "X-Forwarded-For": f"10.9.{counter[0] // 250}.{counter[0] % 250}",
            })
            r = c.getresponse()
            r.read()
            elapsed = (time.perf_counter() - started) * 1000
            c.close()
            return r.status, elapsed

        times = {"unknown email": [], "wrong password": [], "right password": []}
        statuses = {k: set() for k in times}
        sign_in("warm@example.com", "warm up the decoy hash")
        for i in range(rounds):
            account = accounts[i // 4]
            for kind, (email, password) in {
                "unknown email": (f"nobody{i}@example.com", "wrong password!!"),
                "wrong password": (account, "wrong password!!"),
                "right password": (account, PASSWORD),
            }.items():
                status, ms = sign_in(email, password)
                times[kind].append(ms)
                statuses[kind].add(status)
        print(f"{binary}: {rounds} sign-ins of each kind")
        for kind, values in times.items():
            q = statistics.quantiles(values, n=10)
            print(f"  {kind:15} status {sorted(statuses[kind])}  median {statistics.median(values):6.1f} ms"
                  f"  p10 {q[0]:6.1f}  p90 {q[-1]:6.1f}")
    finally:
        server.terminate()
        server.wait()
        subprocess.run(["rm", "-rf", work])


if __name__ == "__main__":
    main()
