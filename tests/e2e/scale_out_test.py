#!/usr/bin/env python3
"""Waymark scaled out, and `serve` killed mid-burst, end to end on PostgreSQL
and Apache Kafka, driven over HTTP by Python's own client.

- Scale-out: two API-only `serve` nodes, one `relay`, two `project --kafka`
  processes in one consumer group. Commands go to both nodes; each node
  answers reads for what the other wrote; the read models equal a rebuild
  from history (`rebuild all --check`), i.e. a single-process run.
- Crash: `serve` (with its workers) killed with SIGKILL during a burst of
  commands and started again: every acknowledged command is in the store
  once, a retried one (same idempotency key) is not applied twice, the read
  models catch up and `rebuild all --check` matches.

Environment: WAYMARK_BIN, WAYMARK_TEST_PG, WAYMARK_TEST_KAFKA.
"""

import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from http_api_test import BASE_PG, BIN, DEADLINE, Server, psql, waymark  # noqa: E402

KAFKA = os.environ["WAYMARK_TEST_KAFKA"]


def call(url, token, method="GET", path="/", body=None, key=None):
    data = None
    headers = {"Authorization": "Bearer " + token}
    if body is not None:
        payload = dict(body)
        if key:
            payload["idempotency_key"] = key
        data = json.dumps(payload).encode()
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url + path, data=data, method=method, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=DEADLINE) as r:
            return r.status, json.loads(r.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def sign_in(server, token):
    """Signs in through the dashboard's form, as a browser does; returns the
    session cookie's value (the server's own session, never the token)."""
    conn = http.client.HTTPConnection(server.host, server.port, timeout=DEADLINE)
    try:
        conn.request("GET", "/signin")
        r = conn.getresponse()
        r.read()
        nonce = r.getheader("Set-Cookie").split(";")[0].split("=", 1)[1]
        form = urllib.parse.urlencode({"token": token, "_csrf": nonce})
        conn.request("POST", "/signin", body=form, headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "waymark_signin=" + nonce, "Origin": server.url})
        r = conn.getresponse()
        r.read()
        assert r.status == 303, r.status
        for name, value in r.getheaders():
            if name.lower() == "set-cookie" and value.startswith("waymark_session="):
                session = value.split(";")[0].split("=", 1)[1]
                assert session.startswith("wms_") and token not in session
                return session
        raise AssertionError("no session cookie")
    finally:
        conn.close()


def open_live(server, session):
    conn = http.client.HTTPConnection(server.host, server.port, timeout=DEADLINE)
    conn.request("GET", "/live", headers={"Cookie": "waymark_session=" + session})
    return conn, conn.getresponse()


def register(url, token, network, name, region="Fife", key=None):
    """RegisterNetwork over HTTP: (status, body)."""
    return call(url, token, "POST", "/api/v1/commands", {
        "stream": f"network-{network}", "type": "RegisterNetwork",
        "data": {"name": name, "region": region}}, key=key)


def wait_for(what, check, seconds=60):
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


class Schema:
    def __init__(self, name):
        self.name = name
        psql(BASE_PG, f"DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}")
        self.conninfo = f"{BASE_PG} options='-c search_path={name}'"
        migrated = waymark(self.conninfo, "migrate")
        assert migrated.returncode == 0, migrated.stderr

    def token(self, *args):
        return self.token_record(*args)["token"]

    def token_record(self, *args):
        made = waymark(self.conninfo, "token", "create", "--format", "json", *args)
        assert made.returncode == 0, made.stderr
        return json.loads(made.stdout)

    def scalar(self, sql):
        return psql(self.conninfo, sql).strip()

    def assert_rebuild_matches(self, test):
        """`rebuild all --check`: the read models equal a rebuild from history."""
        check = waymark(self.conninfo, "rebuild", "all", "--check")
        test.assertEqual(check.returncode, 0, check.stdout + check.stderr)

    def drop(self):
        psql(BASE_PG, f"DROP SCHEMA IF EXISTS {self.name} CASCADE")


class Process:
    """A waymark verb running beside the test, its output in a file."""

    def __init__(self, conninfo, *args):
        self.log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
        self.process = subprocess.Popen([BIN, *args], env={**os.environ, "WAYMARK_PG": conninfo},
                                        stdout=self.log, stderr=subprocess.STDOUT)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=DEADLINE)
        return self.process.returncode

    def text(self):
        with open(self.log.name) as f:
            return f.read()


class ScaleOut(unittest.TestCase):
    def test_two_api_nodes_one_relay_two_projectors_in_one_group(self):
        schema = Schema(f"scale_out_{os.getpid()}")
        topic = f"waymark.scale-out.{os.getpid()}"
        officer = schema.token("--role", "officer", "--name", "olivia")
        nodes = [Server(schema.conninfo, "--no-workers"), Server(schema.conninfo, "--no-workers")]
        relay = Process(schema.conninfo, "relay", "--kafka", KAFKA, "--topic", topic)
        projectors = [Process(schema.conninfo, "project", "--kafka", KAFKA, "--topic", topic)
                      for _ in range(2)]
        try:
            # Commands through both nodes, alternating: each network begun on one
            # node and continued on the other.
            written_by = {}
            for i in range(24):
                first, second = nodes[i % 2], nodes[(i + 1) % 2]
                network = f"so{i:02d}"
                status, body = register(first.url, officer, network, f"Network {i:02d}",
                                        ["Fife", "Tayside"][i % 2])
                self.assertEqual(status, 200, body)
                for node, command, data in (
                        (second, "AssignOfficer", {"officer": "olivia"}),
                        (first, "RecordMembership", {"members": 10 + i, "active_members": i})):
                    status, body = call(node.url, officer, "POST", "/api/v1/commands", {
                        "stream": f"network-{network}", "type": command, "data": data})
                    self.assertEqual(status, 200, body)
                written_by[network] = first

            # Each node reads, from the shared read models, what the other wrote.
            def caught_up(node):
                status, body = call(node.url, officer, path="/api/v1/networks?officer=olivia&limit=100")
                return status == 200 and len(body["items"]) == 24 and all(
                    row["members"] == 10 + int(row["network_id"][2:]) for row in body["items"])
            for node in nodes:
                wait_for("the read models on " + node.url, lambda: caught_up(node))
            for network, writer in written_by.items():
                other = nodes[1] if writer is nodes[0] else nodes[0]
                status, row = call(other.url, officer, path=f"/api/v1/networks/{network}")
                self.assertEqual(status, 200, row)
                self.assertEqual(row["officer"], "olivia")
                status, stream = call(other.url, officer, path=f"/api/v1/streams/network-{network}")
                self.assertEqual((status, stream["version"]), (200, 3))

            # Both projectors stayed in the group the whole time.
            for p in projectors:
                self.assertIsNone(p.process.poll(), p.text())
        finally:
            for p in [*projectors, relay]:
                p.stop()
            for node in nodes:
                self.assertEqual(node.stop(), 0, node.log_text())
        # What the two projectors built equals a rebuild from history.
        schema.assert_rebuild_matches(self)
        self.assertEqual(schema.scalar("SELECT count(*) FROM rm_networks"), "24")
        schema.drop()


class OneProcessOnKafka(unittest.TestCase):
    def test_serve_with_kafka_relays_and_projects_from_the_topic(self):
        schema = Schema(f"serve_kafka_{os.getpid()}")
        topic = f"waymark.serve-kafka.{os.getpid()}"
        officer = schema.token("--role", "officer", "--name", "olivia")
        # History before it starts: it is ready only once the topic has it all projected.
        for i in range(5, 25):
            made = waymark(schema.conninfo, "command", f"network-sk{i}", "RegisterNetwork",
                           "--actor", "olivia", "--role", "officer",
                           "--data", json.dumps({"name": f"Network {i}", "region": "Tayside"}))
            self.assertEqual(made.returncode, 0, made.stderr)
        server = Server(schema.conninfo, "--kafka", KAFKA, "--topic", topic)
        try:
            wait_for("ready", lambda: call(server.url, officer, path="/readyz")[0] == 200)
            self.assertEqual(schema.scalar("SELECT count(*) FROM rm_networks"), "20",
                             "ready before the read models had caught up")
            for i in range(5):
                status, body = register(server.url, officer, f"sk{i}", f"Network {i}")
                self.assertEqual(status, 200, body)
            wait_for("the read models, from the topic", lambda: schema.scalar(
                "SELECT count(*) FROM rm_networks") == "25")
            # Its relay published them: the relay's checkpoint for this topic moved.
            self.assertEqual(schema.scalar(
                f"SELECT position > 0 FROM waymark_checkpoints WHERE name = 'relay:{topic}'"), "t")
        finally:
            self.assertEqual(server.stop(), 0, server.log_text())
        self.assertIn("relay published 25 events", server.log_text())
        schema.assert_rebuild_matches(self)
        schema.drop()


class LiveUpdates(unittest.TestCase):
    def test_the_event_stream_moves_with_the_read_models_and_ends_on_sigterm(self):
        schema = Schema(f"serve_live_{os.getpid()}")
        officer = schema.token("--role", "officer", "--name", "olivia")
        server = Server(schema.conninfo)
        conn = http.client.HTTPConnection(server.host, server.port, timeout=DEADLINE)
        try:
            # Without a session: refused.
            conn.request("GET", "/live")
            r = conn.getresponse()
            self.assertEqual(r.status, 401)
            r.read()
            conn.close()
            conn, r = open_live(server, sign_in(server, officer))
            self.assertEqual(r.status, 200)
            self.assertEqual(r.getheader("Content-Type"), "text/event-stream")
            self.assertEqual(r.getheader("Cache-Control"), "no-store")
            self.assertEqual(r.readline(), b"retry: 3000\n")
            # A command: once the read models hold it, the stream says their position.
            status, body = register(server.url, officer, "live", "Live")
            self.assertEqual(status, 200, body)
            position = body["events"][0]["position"]
            seen = None
            deadline = time.monotonic() + DEADLINE
            while time.monotonic() < deadline:
                line = r.readline().decode().strip()
                if line.startswith("data: "):
                    seen = int(line[6:])
                    if seen >= position:
                        break
            self.assertIsNotNone(seen, "no event on the stream")
            self.assertGreaterEqual(seen, position)
            self.assertEqual(schema.scalar("SELECT max(position) FROM rm_audit_log"), str(seen))
            # SIGTERM: the stream ends and the server exits cleanly.
            server.process.send_signal(signal.SIGTERM)
            self.assertEqual(server.process.wait(timeout=DEADLINE), 0)
            rest = r.read()  # ends (the chunked body closes or the socket does)
            self.assertNotIn(b"retry", rest)
        finally:
            conn.close()
            server.stop()
        schema.drop()


    def test_streams_are_capped_per_session_and_end_with_their_session(self):
        """One session holds at most 4 live streams (the 5th is 429, other
        sessions and /healthz still answer); signing out and revoking the
        token end the streams open on it."""
        schema = Schema(f"serve_live_cap_{os.getpid()}")
        officer = schema.token_record("--role", "officer", "--name", "olivia")
        server = Server(schema.conninfo)
        opened = []
        try:
            session = sign_in(server, officer["token"])
            for _ in range(4):
                conn, r = open_live(server, session)
                opened.append((conn, r))  # a response dropped would close its socket
                self.assertEqual(r.status, 200)
                self.assertEqual(r.readline(), b"retry: 3000\n")
            conn, r = open_live(server, session)
            opened.append((conn, r))
            self.assertEqual(r.status, 429)
            self.assertIn(b"live updates", r.read())
            conn, r = open_live(server, sign_in(server, officer["token"]))
            opened.append((conn, r))
            self.assertEqual(r.status, 200, "another session is not held back")
            with urllib.request.urlopen(server.url + "/healthz", timeout=DEADLINE) as health:
                self.assertEqual(health.status, 200)
            # Revoking the token ends every stream resting on it, by itself.
            revoked = waymark(schema.conninfo, "token", "revoke", officer["id"])
            self.assertEqual(revoked.returncode, 0, revoked.stderr)
            started = time.monotonic()
            for _, response in opened:
                if response.status == 200:
                    response.read()  # returns once the server ends the body
            self.assertLess(time.monotonic() - started, DEADLINE)
        finally:
            for conn, response in opened:
                response.close()
                conn.close()
            server.stop()
        schema.drop()


class ServeKilled(unittest.TestCase):
    def test_sigkill_during_a_burst_loses_and_doubles_nothing(self):
        schema = Schema(f"serve_kill_{os.getpid()}")
        officer = schema.token("--role", "officer", "--name", "olivia")
        server = Server(schema.conninfo)
        acked, sent, lock = set(), set(), threading.Lock()
        stop = threading.Event()

        def burst(worker):
            i = 0
            while not stop.is_set():
                n = f"k{worker}x{i:04d}"
                try:
                    with lock:
                        sent.add(n)
                    status, _ = register(server.url, officer, n, f"Network {n}", key="key-" + n)
                except (OSError, urllib.error.URLError):
                    return  # the server went
                if status == 200:
                    with lock:
                        acked.add(n)
                i += 1

        threads = [threading.Thread(target=burst, args=(w,)) for w in range(4)]
        for t in threads:
            t.start()
        wait_for("some commands acknowledged", lambda: len(acked) >= 40)
        server.process.send_signal(signal.SIGKILL)
        server.process.wait()
        stop.set()
        for t in threads:
            t.join()
        stored = dict(line.split("|") for line in psql(
            schema.conninfo,
            "SELECT substr(stream, 9), count(*) FROM events GROUP BY stream").split())
        # Every acknowledged command is stored, once.
        for n in acked:
            self.assertEqual(stored.get(n), "1", n)
        self.assertTrue(all(c == "1" for c in stored.values()))

        # Started again, it continues: the same commands retried with their
        # keys are answered from the first result, never applied twice.
        server = Server(schema.conninfo)
        try:
            retried = sorted(acked)[:10] + sorted(set(stored) - acked)
            for n in retried:
                status, body = register(server.url, officer, n, f"Network {n}", key="key-" + n)
                self.assertEqual(status, 200, body)
                self.assertTrue(body["replayed"], n)
            self.assertEqual(schema.scalar("SELECT count(*) FROM events"), str(len(stored)))
            self.assertLessEqual(set(stored), sent)
            # The read models catch up with the store.
            wait_for("the read models to catch up", lambda: call(server.url, officer, path="/readyz")[0] == 200)
            wait_for("every network projected", lambda: schema.scalar(
                "SELECT count(*) FROM rm_networks") == str(len(stored)))
        finally:
            self.assertEqual(server.stop(), 0, server.log_text())
        schema.assert_rebuild_matches(self)
        schema.drop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
