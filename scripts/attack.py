#!/usr/bin/env python3
"""Attacks a utmforge binary from outside and prints, for each, the server's peak memory and
the /healthz latency while it runs. Figures, not assertions: the tests assert the answers.

    python3 scripts/attack.py target/release/utmforge [--only lint-bomb,wide-import,...]

Starts the binary on a free loopback port with a throwaway SQLite database, runs each attack
against a fresh process (so that peak memory is the attack's own), and stops it. Attacks:

  lint-bomb     one POST /api/v1/lint whose URL repeats `utm_source=x&` 8,000 times (104 KB)
  wide-import   two concurrent dry-run imports of a 3 MB header of empty columns, 2,000 rows
  heavy-lint    four concurrent POST /api/v1/lint of 10,000 URLs each
  slow-headers  500 connections that send half a request head and then wait
"""

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, binary):
        self.dir = tempfile.mkdtemp(prefix="utmforge-attack-")
        self.port = free_port()
        # The API takes no anonymous calls: an editor's token, made by the CLI.
        database = f"sqlite://{self.dir}/a.db"
        subprocess.run([binary, "user", "add", "--email", "attack@example.com", "--role", "editor",
                        "--database-url", database], input=b"attack passphrase 2026\n",
                       stdout=subprocess.DEVNULL, check=True)
        self.token = subprocess.run(
            [binary, "token", "create", "--email", "attack@example.com", "--name", "attack",
             "--database-url", database], capture_output=True, check=True).stdout.decode().strip()
        self.proc = subprocess.Popen(
            [binary, "serve", "--addr", f"127.0.0.1:{self.port}",
             "--database-url", f"sqlite://{self.dir}/a.db"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "RUST_LOG": "warn"})
        deadline = time.time() + 20
        while time.time() < deadline:
            try:
                self.get("/healthz")
                return
            except OSError:
                time.sleep(0.05)
        raise SystemExit("the server did not start")

    def conn(self, timeout=120):
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def get(self, path):
        c = self.conn(5)
        c.request("GET", path)
        r = c.getresponse()
        r.read()
        c.close()
        return r.status

    def post(self, path, body, content_type="application/json"):
        c = self.conn()
        try:
            c.request("POST", path, body=body, headers={
                "Content-Type": content_type, "Authorization": f"Bearer {self.token}"})
            r = c.getresponse()
            data = r.read()
            return r.status, data
        except OSError as e:
            return None, str(e).encode()
        finally:
            c.close()

    def memory_mib(self):
        """(current RSS, peak RSS) in MiB, or None once the process is gone."""
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                fields = dict(line.split(":", 1) for line in f)
            kib = lambda k: int(fields[k].split()[0]) / 1024
            return kib("VmRSS"), kib("VmHWM")
        except (OSError, KeyError):
            return None

    def stop(self):
        alive = self.proc.poll() is None
        self.proc.terminate()
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        subprocess.run(["rm", "-rf", self.dir])
        return alive


class HealthProbe(threading.Thread):
    """GET /healthz every 50 ms on a new connection; records each latency (or a failure)."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.server, self.latencies, self.failures = server, [], 0
        self.stop = threading.Event()

    def run(self):
        while not self.stop.is_set():
            started = time.perf_counter()
            try:
                self.server.get("/healthz")
                self.latencies.append((time.perf_counter() - started) * 1000)
            except OSError:
                self.failures += 1
            time.sleep(0.05)

    def summary(self):
        if not self.latencies:
            return f"healthz: no answer ({self.failures} failures)"
        return (f"healthz p50 {statistics.median(self.latencies):.1f} ms, "
                f"max {max(self.latencies):.1f} ms, {self.failures} failures")


def run(binary, name, attack):
    server = Server(binary)
    probe = HealthProbe(server)
    probe.start()
    peak = [0.0]

    def watch():
        while not probe.stop.is_set():
            m = server.memory_mib()
            if m:
                peak[0] = max(peak[0], m[1])
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    started = time.perf_counter()
    outcome = attack(server)
    elapsed = time.perf_counter() - started
    time.sleep(0.3)
    probe.stop.set()
    probe.join()
    watcher.join()
    alive = server.stop()
    print(f"{name:13} {elapsed:6.2f} s  peak RSS {peak[0]:7.1f} MiB  {probe.summary()}  "
          f"server {'up' if alive else 'DEAD'}  answer: {outcome}")


def lint_bomb(server):
    url = "https://example.com/?" + "utm_source=x&" * 8000
    status, body = server.post("/api/v1/lint", json.dumps({"urls": [url]}))
    return f"{status}, {len(body) / 1024:.0f} KiB"


def parallel(n, work):
    results = [None] * n

    def one(i):
        results[i] = work()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def wide_import(server):
    status, body = server.post("/api/v1/campaigns", json.dumps({
        "name": "Attack", "buying_model": "cpc", "landing_url": "https://example.com/",
        "conversion": "order_created"}))
    cid = json.loads(body)["id"]
    # The columns nobody reads are at the end: a lookup per cell walks all 3 million of them.
    sheet = "content" + "," * 3_000_000 + "\n" + "".join(f"V{i}\n" for i in range(2000))
    answers = parallel(2, lambda: server.post(
        f"/api/v1/campaigns/{cid}/import?dry_run=true", sheet, "text/csv"))
    return ", ".join(str(s) for s, _ in answers)


def heavy_lint(server):
    urls = [f"https://example.com/p{i}?utm_source=ChatGPT&utm_medium=CPC&utm_campaign=Spring%20Sale"
            for i in range(10_000)]
    body = json.dumps({"urls": urls})
    answers = parallel(4, lambda: server.post("/api/v1/lint", body))
    return ", ".join(str(s) for s, _ in answers)


def slow_headers(server):
    socks = []
    for _ in range(500):
        s = socket.create_connection(("127.0.0.1", server.port))
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        socks.append(s)
    time.sleep(15)
    still_open = 0
    for s in socks:
        s.setblocking(False)
        try:
            data = s.recv(1)
            still_open += 0 if data == b"" else 1
        except BlockingIOError:
            still_open += 1
        except OSError:
            pass
        s.close()
    return f"{still_open} of 500 still open after 15 s"


ATTACKS = {
    "lint-bomb": lint_bomb,
    "wide-import": wide_import,
    "heavy-lint": heavy_lint,
    "slow-headers": slow_headers,
}


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    binary = sys.argv[1]
    only = list(ATTACKS)
    if len(sys.argv) > 3 and sys.argv[2] == "--only":
        only = sys.argv[3].split(",")
    print(f"{binary}")
    for name in only:
        run(binary, name, ATTACKS[name])


if __name__ == "__main__":
    main()
