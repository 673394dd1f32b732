#!/usr/bin/env python3
"""An API fuzzer nobody here wrote, driven by the OpenAPI document.

Schemathesis (PyPI, pinned in requirements.txt, installed by ops/install-deps
into .run/schemathesis-venv) runs against `waymark serve` on PostgreSQL with a
token of each role, for a bounded time each, checking that no request is
answered 5xx and that every status code, content type and response body is
one the served document declares. Afterwards the server still answers, and
nothing was stored by any refused request: the events in the store are
exactly those that the 200 answers to POST /api/v1/commands reported.

Environment: WAYMARK_TEST_PG, WAYMARK_BIN (ops/test sets both);
WAYMARK_SCHEMATHESIS (the schemathesis executable; default the venv's);
WAYMARK_SCHEMATHESIS_SECONDS (per role, default 25).
"""

import json
import os
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "e2e"))
from http_api_test import BASE_PG, Server, psql, waymark  # noqa: E402

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
SCHEMATHESIS = os.environ.get(
    "WAYMARK_SCHEMATHESIS", os.path.join(ROOT, ".run", "schemathesis-venv", "bin", "schemathesis"))
SECONDS = int(os.environ.get("WAYMARK_SCHEMATHESIS_SECONDS", "25"))
CHECKS = ("not_a_server_error,status_code_conformance,content_type_conformance,"
          "response_schema_conformance")


def post(url, token, body):
    request = urllib.request.Request(url + "/api/v1/commands", data=json.dumps(body).encode(),
                                     method="POST")
    request.add_header("Content-Type", "application/json")
    request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


class Schemathesis(unittest.TestCase):
    def test_every_role_fuzzed_by_the_openapi_document(self):
        schema = f"schemathesis_{os.getpid()}"
        psql(BASE_PG, f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
        conninfo = f"{BASE_PG} options='-c search_path={schema}'"
        self.assertEqual(waymark(conninfo, "migrate").returncode, 0)
        tokens = {}
        for role, args in (("admin", ["--name", "ada"]), ("officer", ["--name", "olivia"]),
                           ("network", ["--name", "nadia", "--network", "ne"]),
                           ("auditor", ["--name", "aud"])):
            made = waymark(conninfo, "token", "create", "--role", role, "--format", "json", *args)
            self.assertEqual(made.returncode, 0, made.stderr)
            tokens[role] = json.loads(made.stdout)["token"]
        server = Server(conninfo)
        reports = tempfile.mkdtemp(prefix="schemathesis-")
        try:
            # Something to find: a network with a stream of each kind.
            seed = [("network-ne", "RegisterNetwork", {"name": "North East", "region": "Fife"}),
                    ("assessment-a1", "StartAssessment", {"network_id": "ne", "period": "2026"}),
                    ("plan-p1", "DraftPlan", {"network_id": "ne", "assessment_id": "a1"}),
                    ("plan-p1", "AddAction", {"action_id": "news", "theme": "information_flow",
                                              "description": "A newsletter", "owner": "network"}),
                    ("milestone-m1", "ScheduleMilestone",
                     {"plan_id": "p1", "network_id": "ne", "action_id": "news",
                      "title": "First issue", "due": "2027-01-15"}),
                    ("step-s1", "IdentifyStep",
                     {"network_id": "ne", "kind": "structure", "description": "A board"})]
            for stream, type_, data in seed:
                post(server.url, tokens["officer"], {"stream": stream, "type": type_,
                                                     "data": data})
            # Ready first, as a deployment waits for it (/readyz is 503 until the
            # read models have caught up once: a documented answer, not a fault).
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(server.url + "/readyz", timeout=10) as ready:
                        if ready.status == 200:
                            break
                except urllib.error.HTTPError:
                    pass
                self.assertLess(time.monotonic(), deadline, "serve never became ready")
                time.sleep(0.1)
            before = int(psql(conninfo, "SELECT count(*) FROM events"))
            cases = 0
            stored_by_answers = 0
            for role, token in tokens.items():
                har = os.path.join(reports, role)
                run = subprocess.run(
                    [SCHEMATHESIS, "run", server.url + "/api/v1/openapi.json",
                     "--url", server.url, "-H", f"Authorization: Bearer {token}",
                     "--checks", CHECKS, "--max-time", str(SECONDS), "--workers", "1",
                     "--phases", "examples,coverage,fuzzing", "--request-timeout", "20",
                     "--suppress-health-check", "all", "--report", "har",
                     "--report-dir", har, "--no-color"],
                    capture_output=True, text=True, timeout=SECONDS * 6 + 120,
                    cwd=reports)  # its cache stays with the reports
                output = run.stdout + run.stderr
                self.assertEqual(run.returncode, 0, f"{role}:\n{output[-6000:]}")
                for name in os.listdir(har):
                    with open(os.path.join(har, name)) as f:
                        entries = json.load(f)["log"]["entries"]
                    for entry in entries:
                        cases += 1
                        req, res = entry["request"], entry["response"]
                        if (req["method"] == "POST" and req["url"].endswith("/api/v1/commands")
                                and res["status"] == 200):
                            answer = json.loads(res["content"].get("text") or "{}")
                            if not answer.get("replayed"):
                                stored_by_answers += len(answer.get("events", []))
                summary = [line for line in output.splitlines()
                           if any(w in line for w in ("passed", "failed", "Operations",
                                                      "Test cases", "generated", "No issues"))]
                print(f"schemathesis as {role}: exit {run.returncode}; " + " | ".join(
                    line.strip() for line in summary[-4:]), file=sys.stderr)
            print(f"schemathesis: {cases} requests in all", file=sys.stderr)
            self.assertGreater(cases, 100, "schemathesis sent too little to mean anything")
            with urllib.request.urlopen(server.url + "/healthz", timeout=10) as health:
                self.assertEqual(health.status, 200, "the server is still up")
            after = int(psql(conninfo, "SELECT count(*) FROM events"))
            self.assertEqual(after - before, stored_by_answers,
                             "events stored that no 200 answer reported")
        finally:
            self.assertEqual(server.stop(), 0, server.log_text()[-4000:])
            psql(BASE_PG, f"DROP SCHEMA IF EXISTS {schema} CASCADE")


if __name__ == "__main__":
    unittest.main(verbosity=2)
