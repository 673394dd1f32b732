#!/usr/bin/env python3
"""The fault campaign (ops/campaign): rounds of commands over HTTP while each
round injects one fault, then proofs that nothing was lost or doubled.

The deployment under test, all on loopback: Apache Kafka (one KRaft node of
the campaign's own, every client connection through a TCP proxy that can be
cut), PostgreSQL (the private cluster of ops/pg-start, a schema of the
campaign's own), one `waymark serve --no-workers` (the API), one
`waymark relay`, two `waymark project --kafka` in one consumer group. The
campaign is their supervisor too: a process that dies is started again after
a second, as systemd's Restart=always would.

Faults, in turn: serve, the relay or a projector killed with SIGKILL; the
broker killed with SIGKILL (and restarted after 3 s) or frozen with SIGSTOP
for 5 s; the broker's connections cut for 5 s; PostgreSQL restarted
(pg_ctl restart -m fast).

Load: two clients (--clients), each sending RegisterNetwork for a new network, then
RecordMembership on it, every command with its own idempotency key; a client
whose request fails (connection refused or reset, 5xx) retries the same
command with the same key until it is answered 2xx, as a careful client does.

Through each round serve's /readyz is polled every 0.2 s: the longest
stretch it was not 200 is the round's time to ready again ("unready").
Once the commands stop, the campaign waits until serve's /readyz is 200,
the relay has published every stored event and the read models hold every
network's last version (each within 180 s; "recovered" is the time from the
fault to then, the load after the fault included), then proves:
- every command answered 2xx has its event in the store, exactly once
  (by idempotency key): lost 0, duplicated 0;
- no stream has a gap (versions 1..n);
- every stored event is on the topic (transport duplicates, which the
  projectors skip, are counted apart);
- `rebuild all --check` matches and `audit verify` passes.

Prints one line per round and a summary, and writes every figure to
.run/campaign/results.json. Environment (ops/campaign sets it): WAYMARK_BIN,
WAYMARK_TEST_PG, WAYMARK_PG_DATA, PG_BIN.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
from kafka_cluster import KafkaCluster, RUN  # noqa: E402

BIN = os.environ["WAYMARK_BIN"]
BASE_PG = os.environ["WAYMARK_TEST_PG"]
PG_DATA = os.environ["WAYMARK_PG_DATA"]
PG_BIN = os.environ["PG_BIN"]
OUT = os.path.join(RUN, "campaign")
FAULTS = ["kill-serve", "kill-relay", "kill-projector", "kill-broker", "freeze-broker",
          "cut-broker", "restart-postgres"]
WAIT = 180


def psql(conninfo, sql):
    for attempt in range(60):
        done = subprocess.run([f"{PG_BIN}/psql", conninfo, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql],
                              capture_output=True, text=True)
        if done.returncode == 0:
            return done.stdout.strip()
        time.sleep(0.5)  # PostgreSQL restarting
    raise RuntimeError(f"psql: {done.stderr}")


def waymark(conninfo, *args):
    return subprocess.run([BIN, *args], env={**os.environ, "WAYMARK_PG": conninfo},
                          capture_output=True, text=True)


def wait_for(check, seconds):
    """Seconds until check() held, or None when `seconds` passed first."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        try:
            if check():
                return time.monotonic() - start
        except Exception:  # noqa: BLE001 - a service mid-restart
            pass
        time.sleep(0.1)
    return None


class Supervised:
    """A waymark verb kept running: started again a second after it dies."""

    def __init__(self, name, conninfo, *args, port_line=False):
        self.name, self.conninfo, self.args = name, conninfo, args
        self.log = open(os.path.join(OUT, name + ".log"), "a")
        self.port_line = port_line
        self.restarts = 0
        self.stopping = False
        self.url = None
        self.process = None
        self.lock = threading.Lock()  # a restart and stop() never interleave
        self.start()
        self.watcher = threading.Thread(target=self._watch, daemon=True)
        self.watcher.start()

    def start(self):
        self.process = subprocess.Popen(
            [BIN, *self.args], env={**os.environ, "WAYMARK_PG": self.conninfo},
            stdout=subprocess.PIPE if self.port_line else self.log, stderr=self.log, text=True)
        if self.port_line:
            line = self.process.stdout.readline()
            host_port = line.split("http://", 1)[1].split()[0].rstrip("/")
            self.url = "http://" + host_port

    def _watch(self):
        while not self.stopping:
            if self.process.poll() is not None:
                time.sleep(1)
                with self.lock:
                    if not self.stopping:
                        self.restarts += 1
                        self.start()
            time.sleep(0.1)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)

    def stop(self):
        with self.lock:
            self.stopping = True
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()


class Client:
    """One client: commands with keys, retried until answered 2xx."""

    def __init__(self, number, url_of, token):
        self.number, self.url_of, self.token = number, url_of, token
        self.acknowledged = []  # idempotency keys answered 2xx
        self.retries = 0
        self.refused = []  # 4xx: a bug in the campaign or in Waymark
        self.next = 0

    def send(self, stream, command, data, key):
        body = json.dumps({"stream": stream, "type": command, "data": data,
                           "idempotency_key": key}).encode()
        while True:
            request = urllib.request.Request(
                self.url_of() + "/api/v1/commands", data=body, method="POST",
                headers={"Authorization": "Bearer " + self.token,
                         "Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=30) as r:
                    r.read()
                    self.acknowledged.append(key)
                    return
            except urllib.error.HTTPError as e:
                text = e.read().decode(errors="replace")
                if e.code < 500 and e.code != 429:
                    self.refused.append(f"{key}: {e.code} {text[:200]}")
                    return
            except (OSError, urllib.error.URLError):
                pass
            self.retries += 1
            time.sleep(0.2)

    def run(self, stop, round_number):
        while not stop.is_set():
            network = f"r{round_number:03d}c{self.number}n{self.next:04d}"
            self.next += 1
            self.send(f"network-{network}", "RegisterNetwork",
                      {"name": f"Network {network}", "region": "Fife"}, "reg-" + network)
            self.send(f"network-{network}", "RecordMembership",
                      {"members": 12, "active_members": 5}, "mem-" + network)


def inject(fault, services, cluster, round_number):
    """Applies one fault and heals what the supervisor does not."""
    if fault == "kill-serve":
        services["serve"].kill()
    elif fault == "kill-relay":
        services["relay"].kill()
    elif fault == "kill-projector":
        services[f"project{round_number % 2 + 1}"].kill()
    elif fault == "kill-broker":
        cluster.kill(1)
        time.sleep(3)  # the fault: the broker stays down
        cluster.restart(1)
    elif fault == "freeze-broker":
        cluster.freeze(1)
        time.sleep(5)
        cluster.thaw(1)
    elif fault == "cut-broker":
        cluster.proxies[1].cut()
        time.sleep(5)
        cluster.proxies[1].restore()
    elif fault == "restart-postgres":
        subprocess.run(["runuser", "-u", "postgres", "--", f"{PG_BIN}/pg_ctl", "-D", PG_DATA,
                        "-m", "fast", "-w", "-t", "60", "-l",
                        os.path.join(os.path.dirname(PG_DATA), "postgres.log"), "restart"],
                       check=True, capture_output=True, cwd="/")


def ready(url):
    try:
        with urllib.request.urlopen(url + "/readyz", timeout=2) as r:
            return r.status == 200
    except (OSError, urllib.error.URLError):
        return False


class ReadyWatch:
    """Polls serve's /readyz every 0.2 s; the longest stretch it was not 200
    (refused, 503, no answer) is the time to ready again."""

    def __init__(self, url_of):
        self.url_of = url_of
        self.longest = 0.0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        down_since = None
        while not self.stop.is_set():
            now = time.monotonic()
            if ready(self.url_of()):
                down_since = None
            else:
                down_since = down_since or now
                self.longest = max(self.longest, now - down_since)
            time.sleep(0.2)

    def finish(self):
        self.stop.set()
        self.thread.join()
        return round(self.longest, 2)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=56)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--faults", default=",".join(FAULTS),
                        help="the faults to take in turn, comma-separated (default: all)")
    parser.add_argument("--load-seconds", type=float, default=3.0,
                        help="commands before the fault and again after it")
    args = parser.parse_args()
    faults = args.faults.split(",")
    unknown = [f for f in faults if f not in FAULTS]
    if unknown:
        parser.error(f"unknown fault {unknown[0]!r}; the faults are {', '.join(FAULTS)}")
    os.makedirs(OUT, exist_ok=True)

    cluster = KafkaCluster(nodes=1, heap="512m", proxy=True)
    topic = "waymark.events"
    cluster.create_topic(topic, 6, 1)
    schema = f"campaign_{os.getpid()}"
    psql(BASE_PG, f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
    conninfo = f"{BASE_PG} options='-c search_path={schema}'"
    assert waymark(conninfo, "migrate").returncode == 0
    made = waymark(conninfo, "token", "create", "--role", "officer", "--name", "campaign")
    token = made.stdout.strip()
    services = {
        "serve": Supervised("serve", conninfo, "serve", "--no-workers", "--listen", "127.0.0.1:0",
                            "--log-format", "json", port_line=True),
        "relay": Supervised("relay", conninfo, "relay", "--kafka", cluster.bootstrap, "--topic", topic),
        "project1": Supervised("project1", conninfo, "project", "--kafka", cluster.bootstrap,
                               "--topic", topic),
        "project2": Supervised("project2", conninfo, "project", "--kafka", cluster.bootstrap,
                               "--topic", topic),
    }
    url_of = lambda: services["serve"].url  # noqa: E731 - it changes when serve restarts
    sql = lambda q: psql(conninfo, q)  # noqa: E731
    rounds = []
    totals = {"acknowledged": 0, "lost": 0, "duplicated": 0, "gaps": 0, "not_on_topic": 0,
              "topic_duplicates": 0, "rebuild_mismatches": 0, "audit_failures": 0,
              "not_ready": 0, "refused": 0, "retries": 0}
    try:
        for n in range(1, args.rounds + 1):
            fault = faults[(n - 1) % len(faults)]
            stop = threading.Event()
            clients = [Client(c, url_of, token) for c in range(args.clients)]
            watch = ReadyWatch(url_of)
            threads = [threading.Thread(target=c.run, args=(stop, n), daemon=True) for c in clients]
            for t in threads:
                t.start()
            time.sleep(args.load_seconds)
            fault_at = time.monotonic()
            inject(fault, services, cluster, n)
            time.sleep(args.load_seconds)
            stop.set()
            for t in threads:
                t.join(timeout=WAIT)
            # Back to ready by itself: serve answers /readyz, the relay has
            # published everything stored, the read models hold it all.
            ready_s = wait_for(lambda: ready(url_of()), WAIT)
            unready_s = watch.finish()
            relayed_s = wait_for(lambda: sql(
                "SELECT (SELECT coalesce(max(position), 0) FROM events) = "
                f"(SELECT position FROM waymark_checkpoints WHERE name = 'relay:{topic}')") == "t", WAIT)
            projected_s = wait_for(lambda: sql(
                "SELECT (SELECT coalesce(sum(version), 0) FROM rm_networks) = "
                "(SELECT count(*) FROM events WHERE stream LIKE 'network-%')") == "t", WAIT)
            since_fault = time.monotonic() - fault_at
            acknowledged = [k for c in clients for k in c.acknowledged]
            stored = dict(line.split("|") for line in sql(
                "SELECT metadata->>'idempotency_key', count(*) FROM events "
                f"WHERE stream LIKE 'network-r{n:03d}c%' GROUP BY 1").split("\n") if line)
            lost = [k for k in acknowledged if k not in stored]
            duplicated = [k for k, c in stored.items() if c != "1"]
            gaps = int(sql("SELECT count(*) FROM (SELECT stream FROM events GROUP BY stream "
                           "HAVING max(version) <> count(*)) g"))
            on_topic = {}
            for m in cluster.read_topic(topic):
                event = json.loads(m["payload"])
                key = (event["stream"], event["version"])
                on_topic[key] = on_topic.get(key, 0) + 1
            store_keys = {tuple([s, int(v)]) for s, v in (
                line.split("|") for line in sql("SELECT stream, version FROM events").split("\n") if line)}
            not_on_topic = len(store_keys - set(on_topic))
            topic_duplicates = sum(c - 1 for c in on_topic.values())
            rebuild = waymark(conninfo, "rebuild", "all", "--check")
            audit = waymark(conninfo, "audit", "verify")
            refused = [r for c in clients for r in c.refused]
            row = {
                "round": n, "fault": fault, "acknowledged": len(acknowledged),
                "retries": sum(c.retries for c in clients), "lost": len(lost),
                "duplicated": len(duplicated), "gaps": gaps, "not_on_topic": not_on_topic,
                "topic_duplicates_total": topic_duplicates,
                "rebuild_ok": rebuild.returncode == 0, "audit_ok": audit.returncode == 0,
                "unready_s": unready_s, "recovered_s": round(since_fault, 2),
                "restarts": {k: s.restarts for k, s in services.items()},
                "refused": refused[:3],
            }
            rounds.append(row)
            for k in ("acknowledged", "lost", "duplicated", "retries"):
                totals[k] += row[k]
            totals["gaps"] = max(totals["gaps"], gaps)
            totals["not_on_topic"] = max(totals["not_on_topic"], not_on_topic)
            totals["topic_duplicates"] = topic_duplicates
            totals["rebuild_mismatches"] += not row["rebuild_ok"]
            totals["audit_failures"] += not row["audit_ok"]
            totals["not_ready"] += ready_s is None or relayed_s is None or projected_s is None
            totals["refused"] += len(refused)
            print(f"round {n:3d} {fault:17s} acknowledged {len(acknowledged):4d} "
                  f"(retries {row['retries']:3d}) lost {len(lost)} duplicated {len(duplicated)} "
                  f"gaps {gaps} not-on-topic {not_on_topic} rebuild "
                  f"{'ok' if row['rebuild_ok'] else 'MISMATCH'} audit "
                  f"{'ok' if row['audit_ok'] else 'FAILED'}; serve unready {unready_s:.1f} s; "
                  f"all relayed and projected "
                  f"{'never' if projected_s is None else f'{since_fault:.1f} s after the fault'}",
                  flush=True)
            if not row["rebuild_ok"]:
                print(rebuild.stdout + rebuild.stderr, flush=True)
            if refused:
                print("refused:", refused[:3], flush=True)
    finally:
        for s in services.values():
            s.stop()
        cluster.close()
    longest = max(rounds, key=lambda r: r["recovered_s"]) if rounds else None
    slowest = max(rounds, key=lambda r: r["unready_s"]) if rounds else None
    summary = {"rounds": len(rounds), "faults": {f: sum(r["fault"] == f for r in rounds) for f in faults},
               **totals,
               "longest_unready_s": slowest and slowest["unready_s"],
               "longest_unready_fault": slowest and slowest["fault"],
               "longest_recovered_s": longest and longest["recovered_s"],
               "longest_recovered_fault": longest and longest["fault"]}
    with open(os.path.join(OUT, "results.json"), "w") as f:
        json.dump({"summary": summary, "rounds": rounds}, f, indent=1)
    print(json.dumps(summary, indent=1))
    failed = (totals["lost"] or totals["duplicated"] or totals["gaps"] or totals["not_on_topic"]
              or totals["rebuild_mismatches"] or totals["audit_failures"] or totals["not_ready"]
              or totals["refused"])
    psql(BASE_PG, f"DROP SCHEMA IF EXISTS {schema} CASCADE")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
