#!/usr/bin/env python3
"""Whether another network's stream answers as fast as a missing one (issue
"hostile input", class 3): a network's token sends 4,000 alternating
keep-alive commands with one idempotency key to another network's stream
(31 events) and to a stream that does not exist, against `waymark serve
--no-workers` on PostgreSQL, and prints each one's median and p90 (the first
200 of each dropped as warm-up). Both must answer 404 with the same words.
Run with the services up: WAYMARK_TEST_PG=... WAYMARK_BIN=build/waymark
/usr/bin/python3 tests/bench/tenancy_timing.py
"""
import http.client
import json
import os
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))
from scale_out_test import Schema, register
from http_api_test import Server
schema = Schema(f"timing_{os.getpid()}")
officer = schema.token("--role", "officer", "--name", "olivia")
nadia = schema.token("--role", "network", "--name", "nadia", "--network", "ne")
server = Server(schema.conninfo, "--no-workers")
for nid in ("ne", "nw"):
    register(server.url, officer, nid, "N " + nid)
# another network's stream with some history
conn = http.client.HTTPConnection(server.host, server.port)
def post(token, body):
    conn.request("POST", "/api/v1/commands", body=json.dumps(body), headers={"Authorization": "Bearer " + token, "Content-Type": "application/json"})
    r = conn.getresponse(); data = r.read(); return r.status, data
for i in range(30):
    post(officer, {"stream": "network-nw", "type": "RecordMembership", "data": {"members": i + 1, "active_members": 1}})
times = {"other": [], "missing": []}
for i in range(4000):
    for which, stream in (("other", "network-nw"), ("missing", "network-zz")):
        t = time.perf_counter()
        status, data = post(nadia, {"stream": stream, "type": "RecordMembership", "data": {"members": 1, "active_members": 1}, "idempotency_key": "probe"})
        times[which].append(time.perf_counter() - t)
        assert status == 404, (status, data)
for k, v in times.items():
    v = v[200:]
    print(f"{k}: median {statistics.median(v)*1e6:.0f} us, p90 {sorted(v)[int(len(v)*0.9)]*1e6:.0f} us over {len(v)}")
server.stop(); schema.drop()
