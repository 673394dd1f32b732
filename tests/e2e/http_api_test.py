#!/usr/bin/env python3
"""The HTTP API end to end: `waymark serve` on a real PostgreSQL, driven by
Python's own HTTP clients (urllib, http.client, raw sockets), never by
Waymark's code. Every response of a documented route is validated against
the OpenAPI document it serves (jsonschema), and the last test checks that
every documented (route, status) was seen. /metrics is read with
prometheus_client's parser.

Environment: WAYMARK_BIN (the binary), WAYMARK_TEST_PG (a libpq connection
string to a database where a private schema is made and dropped).
"""

import csv
import http.client
import io
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.error
import urllib.request

import jsonschema
from prometheus_client.parser import text_string_to_metric_families

from tcp_proxy import TcpProxy

BIN = os.environ["WAYMARK_BIN"]
BASE_PG = os.environ["WAYMARK_TEST_PG"]
DEADLINE = 30  # seconds any awaited condition gets

# DESIGN.md "Who may do what": what a network may issue (on its own network).
NETWORK_MAY = {
    "ScoreDimension", "SubmitAssessment", "AddAction", "RemoveAction", "ProposePlan", "ReturnPlan",
    "AgreePlan", "ScheduleMilestone", "StartMilestone", "FlagAtRisk", "ClearRisk",
    "SubmitEvidence", "RecordMembership", "IdentifyStep", "PlanStep", "BeginStep", "EmbedStep",
    "ReviewStep", "DeferStep", "DropStep", "RecordOpportunity", "RecordRepresentation",
    "RecordReferral",
}
# Recorded by the engine alone (role system): refused to every person.
ENGINE_ONLY = {"RecordAssessmentOutcome", "TrackMilestone", "MarkMilestoneOverdue"}
# Every command of DESIGN.md's five workflows, with the kind of stream it goes to.
COMMANDS = {
    "network": ["RegisterNetwork", "AssignOfficer", "RecordMembership", "AdvanceStage",
                "ReturnToStage", "SuspendNetwork", "ResumeNetwork", "CloseNetwork",
                "RecordAssessmentOutcome", "RecordOpportunity", "RecordRepresentation",
                "RecordReferral"],
    "assessment": ["StartAssessment", "ScoreDimension", "ModerateScore", "SubmitAssessment",
                   "ApproveAssessment", "ReturnAssessment", "WithdrawAssessment"],
    "plan": ["DraftPlan", "AddAction", "RemoveAction", "DropAction", "ProposePlan", "ReturnPlan",
             "AgreePlan", "ActivatePlan", "RevisePlan", "CompletePlan", "AbandonPlan",
             "TrackMilestone"],
    "milestone": ["ScheduleMilestone", "StartMilestone", "FlagAtRisk",
                  "ClearRisk", "SubmitEvidence", "VerifyMilestone", "RejectEvidence",
                  "RescheduleMilestone", "MarkMilestoneOverdue", "CancelMilestone"],
    "step": ["IdentifyStep", "PlanStep", "BeginStep", "EmbedStep", "ReviewStep", "DeferStep",
             "DropStep"],
}


def wait_for(what, check, deadline=DEADLINE, interval=0.02):
    """Polls `check` until it returns a truthy value; fails naming `what` at the deadline."""
    end = time.monotonic() + deadline
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"waited {deadline} s for {what}")
        time.sleep(interval)


def psql(conninfo, sql):
    return subprocess.run(["psql", conninfo, "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql],
                          check=True, capture_output=True, text=True).stdout.strip()


def waymark(conninfo, *args):
    return subprocess.run([BIN, *args], env={**os.environ, "WAYMARK_PG": conninfo},
                          capture_output=True, text=True)


class Contract:
    """The served OpenAPI document: validates responses, remembers which
    documented (method, route, status) were seen."""

    def __init__(self, doc):
        self.doc = doc
        self.resolver = jsonschema.RefResolver.from_schema(doc)
        self.routes = [(re.compile("^" + re.sub(r"\{[^/]+\}", "[^/]+", p) + "$"), p)
                       for p in doc["paths"]]
        self.seen = set()

    # Refusals of the connection layer, before any route: any path may get them
    # (the document's description says so).
    CONNECTION_LEVEL = {431}

    def template(self, path):
        for regex, template in self.routes:
            if regex.match(path):
                return template
        return None

    def check(self, method, path, status, content_type, body):
        template = self.template(path.split("?")[0])
        if template is None:
            return
        operation = self.doc["paths"][template].get(method.lower())
        if operation is None:
            return
        responses = operation["responses"]
        if status in self.CONNECTION_LEVEL:
            return
        if str(status) not in responses:
            raise AssertionError(f"{method} {template} answered {status}, which its OpenAPI "
                                 f"entry does not document ({sorted(responses)}): {body[:300]!r}")
        self.seen.add((method.upper(), template, status))
        media = content_type.split(";")[0].strip()
        content = responses[str(status)].get("content", {})
        if media not in content:
            raise AssertionError(f"{method} {template} {status} is {media}, documented as "
                                 f"{sorted(content)}")
        if media.endswith("json"):
            schema = content[media]["schema"]
            validator = jsonschema.Draft202012Validator(schema, resolver=self.resolver)
            validator.validate(json.loads(body))


class Server:
    """`waymark serve` as a child process, on a free port."""

    def __init__(self, conninfo, *extra):
        self.log = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
        self.process = subprocess.Popen(
            [BIN, "serve", "--listen", "127.0.0.1:0", *extra],
            env={**os.environ, "WAYMARK_PG": conninfo}, stdout=subprocess.PIPE,
            stderr=self.log, text=True)
        line = self.process.stdout.readline()
        match = re.search(r"listening on http://([0-9.]+):(\d+)", line)
        if not match:
            self.process.kill()
            raise AssertionError(f"serve did not start: {line!r} {open(self.log.name).read()}")
        self.host, self.port = match.group(1), int(match.group(2))
        self.url = f"http://{self.host}:{self.port}"

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=DEADLINE)
            except subprocess.TimeoutExpired:
                self.process.kill()
                raise
        return self.process.returncode

    def log_text(self):
        with open(self.log.name) as f:
            return f.read()


class HttpApi(unittest.TestCase):
    contract = None

    @classmethod
    def setUpClass(cls):
        cls.schema = f"http_e2e_{os.getpid()}"
        psql(BASE_PG, f"DROP SCHEMA IF EXISTS {cls.schema} CASCADE; CREATE SCHEMA {cls.schema}")
        cls.conninfo = f"{BASE_PG} options='-c search_path={cls.schema}'"
        migrated = waymark(cls.conninfo, "migrate")
        assert migrated.returncode == 0, migrated.stderr
        cls.tokens = {}
        for who, args in {
            "admin": ["--role", "admin", "--name", "Ada"],
            "officer": ["--role", "officer", "--name", "olivia"],
            "officer2": ["--role", "officer", "--name", "oscar"],
            "network": ["--role", "network", "--name", "Nadia", "--network", "ne"],
            "other_network": ["--role", "network", "--name", "Walt", "--network", "nw"],
            "auditor": ["--role", "auditor", "--name", "Aud"],
            "revoked": ["--role", "officer", "--name", "Gone"],
        }.items():
            made = waymark(cls.conninfo, "token", "create", "--format", "json", *args)
            assert made.returncode == 0, made.stderr
            cls.tokens[who] = json.loads(made.stdout)
        revoked = waymark(cls.conninfo, "token", "revoke", cls.tokens["revoked"]["id"])
        assert revoked.returncode == 0, revoked.stderr
        cls.server = Server(cls.conninfo, "--header-timeout", "1", "--idle-timeout", "5")
        HttpApi.contract = Contract(json.loads(cls.raw("GET", "/api/v1/openapi.json")[2]))
        cls.raw("GET", "/api/v1/openapi.json")  # now checked against itself
        cls.seed()

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        psql(BASE_PG, f"DROP SCHEMA IF EXISTS {cls.schema} CASCADE")

    # --- requests ---------------------------------------------------------

    @classmethod
    def raw(cls, method, path, token=None, body=None, headers=None, server=None):
        """One request with urllib; returns (status, headers, body bytes)."""
        server = server or cls.server
        data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
        request = urllib.request.Request(server.url + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("Authorization", "Bearer " + token)
        for k, v in (headers or {}).items():
            request.add_header(k, v)
        try:
            with urllib.request.urlopen(request, timeout=DEADLINE) as response:
                status, head, payload = response.status, response.headers, response.read()
        except urllib.error.HTTPError as e:
            status, head, payload = e.code, e.headers, e.read()
        if HttpApi.contract:
            HttpApi.contract.check(method, path, status, head.get("Content-Type", ""),
                                   payload.decode("utf-8", "replace"))
        assert head.get("X-Request-Id"), f"{method} {path}: no X-Request-Id"
        return status, head, payload

    @classmethod
    def call(cls, method, path, who=None, body=None, **kw):
        token = cls.tokens[who]["token"] if who else None
        status, head, payload = cls.raw(method, path, token, body, **kw)
        return status, (json.loads(payload) if payload and "json" in head.get(
            "Content-Type", "") else payload.decode())

    @classmethod
    def command(cls, who, stream, type_, data=None, **extra):
        return cls.call("POST", "/api/v1/commands", who,
                        {"stream": stream, "type": type_, "data": data or {}, **extra})

    @classmethod
    def must(cls, who, stream, type_, data=None):
        status, body = cls.command(who, stream, type_, data)
        assert status == 200, f"{type_} on {stream}: {status} {body}"
        return body

    @classmethod
    def seed(cls):
        for nid, officer in (("ne", "olivia"), ("nw", "oscar")):
            cls.must("officer", f"network-{nid}", "RegisterNetwork",
                     {"name": f"Network {nid.upper()}", "region": "Fife"})
            cls.must("officer", f"network-{nid}", "AssignOfficer", {"officer": officer})
            cls.must("officer", f"assessment-a{nid}", "StartAssessment",
                     {"network_id": nid, "period": "2026"})
            cls.must("officer", f"plan-p{nid}", "DraftPlan",
                     {"network_id": nid, "assessment_id": f"a{nid}"})
            cls.must("officer", f"plan-p{nid}", "AddAction",
                     {"action_id": "news", "theme": "information_flow",
                      "description": "A newsletter", "owner": "network"})
            cls.must("officer", f"milestone-m{nid}", "ScheduleMilestone",
                     {"plan_id": f"p{nid}", "network_id": nid, "action_id": "news",
                      "title": "First issue", "due": "2027-01-15"})
            cls.must("officer", f"step-s{nid}", "IdentifyStep",
                     {"network_id": nid, "kind": "structure", "description": "A board"})
        wait_for("the read models to hold both networks' rows", lambda: all(
            cls.call("GET", f"/api/v1/{what}", "officer")[1]["items"] and
            len(cls.call("GET", f"/api/v1/{what}", "officer")[1]["items"]) >= 2
            for what in ("networks", "milestones", "steps")))

    def events_stored(self):
        return int(psql(self.conninfo, "SELECT count(*) FROM events"))

    # --- commands ---------------------------------------------------------

    def test_a_command_records_the_tokens_actor_and_role(self):
        status, body = self.command("network", "network-ne", "RecordMembership",
                                    {"members": 12, "active_members": 7})
        self.assertEqual(status, 200, body)
        meta = body["events"][0]["metadata"]
        self.assertEqual((meta["actor"], meta["role"]), ("Nadia", "network"))
        stored = psql(self.conninfo, "SELECT metadata->>'actor', metadata->>'role' FROM events "
                                     f"WHERE stream = 'network-ne' AND version = {body['version']}")
        self.assertEqual(stored, "Nadia|network")

    def test_fields_that_try_to_set_who_acts_are_refused(self):
        before = self.events_stored()
        for field in ("actor", "role", "network"):
            status, body = self.call("POST", "/api/v1/commands", "network", {
                "stream": "network-ne", "type": "RecordMembership",
                "data": {"members": 3, "active_members": 1}, field: "olivia"})
            self.assertEqual(status, 400, body)
            self.assertIn("from the bearer token", body["detail"])
        self.assertEqual(self.events_stored(), before)

    def test_refusals_carry_their_status_and_allowed_commands(self):
        status, body = self.command("officer", "milestone-mne", "VerifyMilestone")
        self.assertEqual(status, 422, body)
        self.assertIn("StartMilestone", body["allowed"])
        status, body = self.command("officer", "milestone-mne", "StartMilestone",
                                    expected_version=99)
        self.assertEqual(status, 409, body)
        status, body = self.command("auditor", "milestone-mne", "StartMilestone")
        self.assertEqual(status, 403, body)
        status, body = self.command("officer", "nonsense", "StartMilestone")
        self.assertEqual(status, 400, body)

    def test_an_idempotency_key_replays_the_same_command_and_refuses_another(self):
        command = {"stream": "network-nw", "type": "RecordMembership",
                   "data": {"members": 20, "active_members": 9}, "idempotency_key": "census-1"}
        first = self.call("POST", "/api/v1/commands", "officer", command)
        self.assertEqual(first[0], 200, first[1])
        again = self.call("POST", "/api/v1/commands", "officer", command)
        self.assertEqual(again[0], 200, again[1])
        self.assertTrue(again[1]["replayed"])
        self.assertEqual(again[1]["events"], first[1]["events"])
        before = self.events_stored()
        changed = dict(command, data={"members": 21, "active_members": 9})
        status, body = self.call("POST", "/api/v1/commands", "officer", changed)
        self.assertEqual(status, 409, body)
        self.assertIn("idempotency key 'census-1' was first used", body["detail"])
        status, body = self.call("POST", "/api/v1/commands", "officer2", command)
        self.assertEqual(status, 409, body)  # the same key from another actor
        self.assertEqual(self.events_stored(), before)

    # --- who may do what ----------------------------------------------------

    def test_every_role_against_every_command(self):
        """403 exactly where DESIGN.md's table refuses the role; a network token on
        another network's stream is 404; no token is 401. Commands go to streams of a
        network made for this test, so what they change touches nothing else."""
        self.must("officer", "network-mx", "RegisterNetwork", {"name": "Matrix", "region": "Fife"})
        self.tokens["mx"] = json.loads(waymark(self.conninfo, "token", "create", "--format",
                                               "json", "--role", "network", "--name", "Max",
                                               "--network", "mx").stdout)
        before = None
        for kind, commands in COMMANDS.items():
            for command in commands:
                stream = "network-mx" if kind == "network" else f"{kind}-x{command.lower()}"
                for who in ("admin", "officer", "auditor", "mx"):
                    role = self.tokens[who]["role"]
                    status, body = self.command(who, stream, command)
                    may = (role in ("admin", "officer") and command not in ENGINE_ONLY) or \
                          (role == "network" and command in NETWORK_MAY)
                    if may:
                        self.assertNotEqual(status, 403, f"{who} {command}: {body}")
                        self.assertIn(status, (200, 400, 404, 409, 422), f"{who} {command}")
                    else:
                        self.assertEqual(status, 403, f"{who} {command}: {body}")
                # Another network's token: that network's streams are not there for it.
                if kind == "network":
                    status, body = self.command("other_network", stream, command)
                    if command in NETWORK_MAY:
                        self.assertEqual(status, 404, f"other network {command}: {body}")
                    else:
                        self.assertIn(status, (403, 404), f"other network {command}: {body}")
                status, body = self.call("POST", "/api/v1/commands", None,
                                         {"stream": stream, "type": command, "data": {}})
                self.assertEqual(status, 401, body)
        del before

    def test_a_network_token_sees_only_its_own_network(self):
        own = {"network-ne", "assessment-ane", "plan-pne", "milestone-mne", "step-sne"}
        other = {"network-nw", "assessment-anw", "plan-pnw", "milestone-mnw", "step-snw"}
        for stream in own:
            for suffix in ("", "/events", "/diff?from=0&to=1"):
                status, body = self.call("GET", f"/api/v1/streams/{stream}{suffix}", "network")
                self.assertEqual(status, 200, f"{stream}{suffix}: {body}")
        for stream in other | {"milestone-nothere"}:
            answers = set()
            for suffix in ("", "/events", "/diff?from=0&to=1"):
                status, body = self.call("GET", f"/api/v1/streams/{stream}{suffix}", "network")
                self.assertEqual(status, 404, f"{stream}{suffix}: {body}")
                answers.add(body["detail"].replace(stream, "S"))
            # A stream that exists elsewhere and one that exists nowhere: the same words.
            self.assertEqual(answers, {"stream S not found"})
        for path in ("/api/v1/networks/nw", "/api/v1/networks/nw?as_of=2030-01-01T00:00:00Z",
                     "/api/v1/plans/pnw", "/api/v1/assessments/anw"):
            self.assertEqual(self.call("GET", path, "network")[0], 404, path)
        for path in ("/api/v1/networks/ne", "/api/v1/networks/ne?as_of=2030-01-01T00:00:00Z",
                     "/api/v1/plans/pne", "/api/v1/assessments/ane"):
            self.assertEqual(self.call("GET", path, "network")[0], 200, path)
        for listing, queries in (("networks", ("", "?officer=oscar", "?region=Fife")),
                                 ("milestones", ("", "?network=nw", "?officer=oscar")),
                                 ("steps", ("", "?network=nw", "?plan=pnw"))):
            for query in queries:
                status, body = self.call("GET", f"/api/v1/{listing}{query}", "network")
                self.assertEqual(status, 200, body)
                self.assertTrue(all(row["network_id"] == "ne" for row in body["items"]), body)
        # Officers and auditors read everything.
        for who in ("officer", "auditor", "admin"):
            status, body = self.call("GET", "/api/v1/networks", who)
            self.assertEqual({r["network_id"] for r in body["items"]} >= {"ne", "nw"}, True)
            self.assertEqual(self.call("GET", "/api/v1/streams/plan-pnw", who)[0], 200)

    def test_allowed_lists_what_this_token_may_issue_now(self):
        _, officer = self.call("GET", "/api/v1/streams/milestone-mne", "officer")
        _, network = self.call("GET", "/api/v1/streams/milestone-mne", "network")
        _, auditor = self.call("GET", "/api/v1/streams/milestone-mne", "auditor")
        self.assertIn("CancelMilestone", officer["allowed"])
        self.assertNotIn("CancelMilestone", network["allowed"])
        self.assertIn("StartMilestone", network["allowed"])
        self.assertEqual(auditor["allowed"], [])

    # --- reads ------------------------------------------------------------

    def test_history_as_of_version_and_diff(self):
        self.must("officer", "milestone-mnw", "StartMilestone")
        _, events = self.call("GET", "/api/v1/streams/milestone-mnw/events?limit=1", "auditor")
        self.assertEqual(len(events["items"]), 1)
        self.assertIsNotNone(events["next"])
        _, rest = self.call("GET", "/api/v1/streams/milestone-mnw/events?cursor="
                            + events["next"], "auditor")
        versions = [e["version"] for e in events["items"] + rest["items"]]
        self.assertEqual(versions, list(range(1, len(versions) + 1)))
        last = versions[-1]
        _, then = self.call("GET", f"/api/v1/streams/milestone-mnw?version={last - 1}", "auditor")
        _, now = self.call("GET", "/api/v1/streams/milestone-mnw", "auditor")
        self.assertNotEqual(then["status"], now["status"])
        self.assertNotIn("allowed", then)
        _, diff = self.call("GET", f"/api/v1/streams/milestone-mnw/diff?from={last - 1}&to={last}",
                            "auditor")
        self.assertEqual(diff["events"][0]["type"], "MilestoneStarted")
        self.assertEqual(diff["events"][0]["actor"], "olivia")
        self.assertIn("/state", [c["path"] for c in diff["changes"]])
        at = diff["events"][0]["recorded_at"]
        _, before = self.call("GET", "/api/v1/streams/milestone-mnw?as_of=2000-01-01T00:00:00Z",
                              "auditor")
        self.assertEqual(before["status"], 404)
        _, network = self.call("GET", f"/api/v1/networks/nw?as_of={at}", "auditor")
        self.assertEqual(network["network"]["stream"], "network-nw")
        self.assertEqual(network["as_of"][:19], at[:19])
        for bad in ("/api/v1/streams/milestone-mnw?as_of=yesterday",
                    "/api/v1/streams/milestone-mnw?version=0",
                    "/api/v1/streams/milestone-mnw/diff?from=3&to=2",
                    "/api/v1/streams/milestone-mnw/diff?from=0&to=999",
                    "/api/v1/streams/milestone-mnw/events?limit=100000",
                    "/api/v1/networks/nw?as_of=2026-13-01"):
            status, body = self.call("GET", bad, "auditor")
            self.assertEqual(status, 400, bad)
            self.assertTrue(body["detail"], bad)

    def test_listings_page_with_a_cursor_in_a_stable_order(self):
        for i in range(5):
            self.must("officer", f"network-pg{i}", "RegisterNetwork",
                      {"name": f"Paging {i}", "region": "Paging"})
        wait_for("five paging networks", lambda: len(self.call(
            "GET", "/api/v1/networks?region=Paging", "officer")[1]["items"]) == 5)
        seen, cursor = [], ""
        while True:
            _, page = self.call("GET", "/api/v1/networks?region=Paging&limit=2" +
                                (f"&cursor={cursor}" if cursor else ""), "officer")
            seen += [r["name"] for r in page["items"]]
            if page["next"] is None:
                break
            cursor = page["next"]
        self.assertEqual(seen, [f"Paging {i}" for i in range(5)])
        self.assertEqual(self.call("GET", "/api/v1/networks?cursor=zz", "officer")[0], 400)
        status, body = self.call("GET", "/api/v1/milestones?status=lost", "officer")
        self.assertEqual(status, 400)
        self.assertIn("is not one of", body["detail"])

    def test_rows_by_id(self):
        for path, key in (("/api/v1/plans/pne", "plan_id"), ("/api/v1/assessments/ane",
                                                             "assessment_id"),
                          ("/api/v1/networks/ne", "network_id")):
            status, body = self.call("GET", path, "officer")
            self.assertEqual(status, 200, body)
            self.assertIn(key, body)
        for path in ("/api/v1/plans/none", "/api/v1/assessments/none", "/api/v1/networks/none"):
            self.assertEqual(self.call("GET", path, "officer")[0], 404)
        for path in ("/api/v1/plans/a%20b", "/api/v1/assessments/x;y", "/api/v1/networks/%27"):
            self.assertEqual(self.call("GET", path, "officer")[0], 400, path)

    def test_the_programme_report_in_json_and_csv_filtered_per_token(self):
        today = time.strftime("%Y-%m-%d", time.gmtime())
        path = f"/api/v1/report?from=2026-01-01&to={today}"
        status, report = self.call("GET", path, "officer")
        self.assertEqual(status, 200, report)
        self.assertGreaterEqual(report["networks"], 2)
        self.assertEqual(report["period"], {"from": "2026-01-01", "to": today})
        status, own = self.call("GET", path, "network")
        self.assertEqual(status, 200, own)
        self.assertEqual(own["networks"], 1)  # its own network only
        status, head, payload = self.raw("GET", path, self.tokens["auditor"]["token"],
                                         headers={"Accept": "text/csv"})
        self.assertEqual(status, 200)
        self.assertTrue(head["Content-Type"].startswith("text/csv"))
        rows = list(csv.reader(io.StringIO(payload.decode(), newline="")))
        self.assertEqual(rows[0], ["section", "from", "to", "region", "officer", "networks",
                                   "last_position"])
        self.assertEqual(rows[1][0], "report")
        sections = {row[0] for row in rows if row and row[0] != "section"}
        self.assertEqual(sections, {"report", "stages", "dimensions", "milestones", "steps",
                                    "opportunities", "representation", "referrals",
                                    "membership"} | ({"stage_moves"} if report["stages"]["moves"]
                                                     else set()))
        for bad in ("/api/v1/report", "/api/v1/report?from=2026-01-01",
                    "/api/v1/report?from=2026-13-01&to=2026-12-31",
                    "/api/v1/report?from=2026-12-01&to=2026-01-01"):
            status, body = self.call("GET", bad, "officer")
            self.assertEqual(status, 400, bad)
            self.assertIn("YYYY-MM-DD" if "13" in bad or "to" not in bad else "", body["detail"])

    # --- hostile requests ---------------------------------------------------

    def assert_refused_and_unchanged(self, status, expected, body, before):
        self.assertEqual(status, expected, body)
        self.assertEqual(self.events_stored(), before)
        self.assertEqual(self.call("GET", "/healthz")[0], 200)

    def test_hostile_bodies_are_refused_and_change_nothing(self):
        before = self.events_stored()
        officer = self.tokens["officer"]["token"]
        bodies = {
            "malformed": b'{"stream": "network-ne", "type": ',
            "deeply nested": b'{"data": ' + b"[" * 5000 + b"]" * 5000 + b"}",
            "huge number": b'{"stream":"network-ne","type":"RecordMembership",'
                           b'"data":{"members":1e999999,"active_members":1}}',
            "huge integer": b'{"stream":"network-ne","type":"RecordMembership",'
                            b'"data":{"members":' + b"9" * 4000 + b',"active_members":1}}',
            "huge string": json.dumps({"stream": "network-ne", "type": "AssignOfficer",
                                       "data": {"officer": "x" * 500_000}}).encode(),
            "invalid UTF-8": b'{"stream":"network-ne","type":"AssignOfficer",'
                             b'"data":{"officer":"\xff\xfe"}}',
            "duplicate keys": b'{"stream":"network-ne","type":"AssignOfficer",'
                              b'"data":{"officer":"a","officer":"b"}}',
            "unknown envelope field": b'{"stream":"network-ne","type":"AssignOfficer",'
                                      b'"data":{"officer":"a"},"when":"now"}',
            "unknown data field": b'{"stream":"network-ne","type":"AssignOfficer",'
                                  b'"data":{"officer":"a","salary":1}}',
            "not an object": b'["network-ne"]',
        }
        for name, body in bodies.items():
            status, _, payload = self.raw("POST", "/api/v1/commands", officer, body)
            self.assert_refused_and_unchanged(status, 400, (name, payload), before)
            self.assertTrue(json.loads(payload)["detail"], name)
        status, _, payload = self.raw("POST", "/api/v1/commands", officer,
                                      b'{"stream":"network-ne"}',
                                      headers={"Content-Type": "text/plain"})
        self.assert_refused_and_unchanged(status, 415, payload, before)
        status, _, payload = self.raw("POST", "/api/v1/commands", officer,
                                      b'{"a":"' + b"x" * (1 << 20) + b'"}')
        self.assert_refused_and_unchanged(status, 413, payload, before)

    def test_client_mistakes_are_4xx_in_words_and_never_sql(self):
        """Forged cursors, filters and times that PostgreSQL could not compare,
        and text or dates no consumer could hold, are 400 naming what is
        accepted; no SQL text reaches the client; nothing is stored."""
        before = self.events_stored()

        def cursor(*keys):
            return json.dumps(list(keys)).encode().hex()
        for path in (f"/api/v1/networks?cursor={cursor('a' + chr(0), 'b')}",
                     f"/api/v1/networks?cursor={cursor('a', 'b', 'c')}",
                     f"/api/v1/milestones?cursor={cursor('not-a-date', 'x')}",
                     f"/api/v1/milestones?cursor={cursor('0000-01-01', 'x')}",
                     f"/api/v1/steps?cursor={cursor(1, 'x')}",
                     "/api/v1/networks?officer=%00", "/api/v1/milestones?network=a%0Ab",
                     "/api/v1/milestones?due_before=0000-01-01",
                     "/api/v1/streams/network-ne?as_of=0000-01-01",
                     "/api/v1/networks/ne?as_of=0001-01-01T00:00:00Z",
                     "/api/v1/report?from=0000-01-01&to=2026-12-31"):
            status, body = self.call("GET", path, "officer")
            self.assertEqual(status, 400, (path, body))
            self.assertNotIn("SQLSTATE", body["detail"], path)
            self.assertNotIn("$", body["detail"], path)
        for stream, type_, data, field in (
                ("network-ne", "RecordOpportunity",
                 {"kind": "contract", "description": "a" + chr(0) + "b", "members_involved": 1},
                 "description"),
                ("network-ne", "RecordRepresentation",
                 {"partnership": "Council\nboard", "level": "local", "seat": "member"},
                 "partnership"),
                ("milestone-mne", "RescheduleMilestone",
                 {"due": "0000-01-01", "reason": "later"}, "due"),
                ("milestone-mne", "RescheduleMilestone",
                 {"due": "3000-01-01", "reason": "later"}, "due")):
            status, body = self.command("officer", stream, type_, data)
            self.assertEqual(status, 400, (type_, body))
            self.assertIn(f"field '{field}'", body["detail"])
        status, body = self.command("network", "network-ne", "RecordMembership",
                                    {"members": 2, "active_members": 1},
                                    idempotency_key="waymark/milestone-overdue:2027-01-15")
        self.assertEqual(status, 400, body)
        self.assertIn("engine's own", body["detail"])
        self.assertEqual(self.events_stored(), before)

    def test_another_networks_key_and_a_missing_stream_answer_alike(self):
        status, _ = self.command("other_network", "network-nw", "RecordMembership",
                                 {"members": 3, "active_members": 2}, idempotency_key="probe-nw")
        self.assertEqual(status, 200)
        answers = []
        for stream in ("network-nw", "network-absent"):
            status, body = self.command("network", stream, "RecordMembership",
                                        {"members": 1, "active_members": 1},
                                        idempotency_key="probe-nw")
            answers.append((status, body["detail"].replace(stream, "<stream>")))
        self.assertEqual(answers[0], answers[1])
        self.assertEqual(answers[0][0], 404)

    def test_a_unit_that_cannot_apply_an_event_says_so(self):
        """An event an older release stored that no consumer can hold (a NUL
        in a seat's name): /readyz is 503 naming the unit and the event, /metrics
        shows the unit failing, the log says why, and `project --once` exits
        1 naming it; the store is never edited."""
        schema = f"stuck_{os.getpid()}"
        psql(BASE_PG, f"DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}")
        conninfo = f"{BASE_PG} options='-c search_path={schema}'"
        try:
            self.assertEqual(waymark(conninfo, "migrate").returncode, 0)
            # (A NUL in a stream's first event cannot even be stored: the
            # index on its network id refuses it; later events it can.)
            meta = ('{"actor":"old","role":"officer","correlation_id":"c","causation_id":"c",'
                    '"idempotency_key":"","recorded_at":"2026-01-01T00:00:00.000000Z"}')
            for version, type_, data in (
                    (1, "NetworkRegistered", '{"network_id":"bad","name":"Bad","region":"Fife",'
                                             '"stage":"startup"}'),
                    (2, "RepresentationRecorded", '{"partnership":"Council","level":"local",'
                                                  '"seat":"Bad\\u0000seat"}')):
                psql(conninfo, "INSERT INTO events (stream, version, type, schema_version, "
                               "data, metadata, recorded_at, hash, network_id) VALUES "
                               f"('network-bad', {version}, '{type_}', "
                               f"{2 if version == 1 else 1}, '{data}', "
                               f"'{meta}', '2026-01-01T00:00:00Z', 'x', 'bad')")
            server = Server(conninfo)
            try:
                def stuck():
                    status, _, payload = self.raw("GET", "/readyz", server=server)
                    detail = json.loads(payload)["detail"] if status == 503 else ""
                    return "read models failing" in detail and detail
                detail = wait_for("/readyz to name the failing unit", stuck)
                self.assertIn("network-bad version 2", detail)
                self.assertIn("U+0000", detail)
                _, _, metrics = self.raw("GET", "/metrics", server=server)
                self.assertIn('waymark_unit_failing{unit="read models"} 1', metrics.decode())
            finally:
                server.stop()
            self.assertIn("network-bad version 2", server.log_text())
            once = waymark(conninfo, "project", "--once")
            self.assertEqual(once.returncode, 1, once.stdout + once.stderr)
            self.assertIn("network-bad version 2", once.stderr)
            self.assertIn("failed 3 times in a row", once.stderr)
        finally:
            psql(BASE_PG, f"DROP SCHEMA IF EXISTS {schema} CASCADE")

    def test_missing_bad_and_revoked_tokens(self):
        before = self.events_stored()
        good = self.tokens["officer"]["token"]
        for token in (None, "", "wmk_nope", good[:-1] + ("0" if good[-1] != "0" else "1"),
                      "wmk_" + "0" * 16 + "_" + "0" * 64, self.tokens["revoked"]["token"]):
            status, head, payload = self.raw(
                "POST", "/api/v1/commands", token,
                {"stream": "network-ne", "type": "AssignOfficer", "data": {"officer": "m"}})
            self.assert_refused_and_unchanged(status, 401, payload, before)
            self.assertIn("Bearer", head.get("WWW-Authenticate", ""))
            if token:
                self.assertNotIn(token.encode(), payload)
        # Every route that needs a token says so.
        for path, operations in self.contract.doc["paths"].items():
            for method, operation in operations.items():
                if operation.get("security") == []:
                    continue
                concrete = path.replace("{stream}", "network-ne").replace("{id}", "ne")
                status, _, _ = self.raw(method.upper(), concrete, None,
                                        {} if method == "post" else None)
                self.assertEqual(status, 401, concrete)
        # Revocation is effective at once.
        victim = json.loads(waymark(self.conninfo, "token", "create", "--format", "json",
                                    "--role", "auditor", "--name", "Brief").stdout)
        self.assertEqual(self.raw("GET", "/api/v1/networks", victim["token"])[0], 200)
        self.assertEqual(waymark(self.conninfo, "token", "revoke", victim["id"]).returncode, 0)
        status, _, payload = self.raw("GET", "/api/v1/networks", victim["token"])
        self.assertEqual(status, 401)
        self.assertIn(b"revoked", payload)

    def test_injection_strings_and_traversal_in_every_parameter(self):
        before = self.events_stored()
        tables = psql(self.conninfo, "SELECT count(*) FROM pg_tables WHERE schemaname = "
                                     f"'{self.schema}'")
        nasty = ["' OR '1'='1", "'; DROP TABLE events; --", "%27%3B%20DROP%20TABLE%20events",
                 "../../etc/passwd", "..%2F..%2Fetc", "\\x00", "%00", "ne' --", "1 UNION SELECT"]
        quoted = [urllib.request.quote(n, safe="%") for n in nasty]
        paths = []
        for q in quoted:
            paths += [f"/api/v1/streams/{q}", f"/api/v1/streams/network-{q}/events",
                      f"/api/v1/streams/{q}/diff?from=0&to=1", f"/api/v1/networks/{q}",
                      f"/api/v1/plans/{q}", f"/api/v1/assessments/{q}",
                      f"/api/v1/streams/network-ne?as_of={q}",
                      f"/api/v1/streams/network-ne?version={q}",
                      f"/api/v1/streams/network-ne/events?cursor={q}&limit={q}",
                      f"/api/v1/streams/network-ne/diff?from={q}&to={q}",
                      f"/api/v1/networks?stage={q}&cursor={q}&limit={q}",
                      f"/api/v1/milestones?status={q}&due_before={q}&cursor={q}",
                      f"/api/v1/steps?status={q}&cursor={q}"]
            for name in ("officer", "region", "network", "plan"):
                listing = "steps" if name == "plan" else (
                    "networks" if name == "region" else "milestones")
                paths.append(f"/api/v1/{listing}?{name}={q}")
        for path in paths:
            status, body = self.call("GET", path, "officer")
            if status == 200:  # a free-text filter matching nothing
                self.assertEqual(body["items"], [], path)
            else:
                self.assertIn(status, (400, 404), f"{path}: {body}")
        self.assertEqual(self.events_stored(), before)
        self.assertEqual(psql(self.conninfo, "SELECT count(*) FROM pg_tables WHERE schemaname = "
                                             f"'{self.schema}'"), tables)

    def test_oversized_headers_and_a_slow_client(self):
        big = {"X-Filler": "y" * 20_000}
        status, _, payload = self.raw("GET", "/healthz", headers=big)
        self.assertEqual(status, 431, payload)
        many = {f"X-F{i}": "1" for i in range(150)}
        status, _, _ = self.raw("GET", "/healthz", headers=many)
        self.assertEqual(status, 431)
        # A client that sends half a request header and stalls is cut off (--header-timeout 1).
        slow = socket.create_connection((self.server.host, self.server.port))
        slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n")
        started = time.monotonic()
        slow.settimeout(DEADLINE)
        answer = b""
        while True:
            chunk = slow.recv(4096)
            if not chunk:
                break
            answer += chunk
        self.assertLess(time.monotonic() - started, 10)
        self.assertEqual(answer, b"")  # closed, never answered
        self.assertEqual(self.call("GET", "/healthz")[0], 200)

    def test_keep_alive_and_unknown_routes_and_methods(self):
        connection = http.client.HTTPConnection(self.server.host, self.server.port,
                                                timeout=DEADLINE)
        token = self.tokens["officer"]["token"]
        for _ in range(3):
            connection.request("GET", "/api/v1/networks", headers={"Authorization":
                                                                   "Bearer " + token})
            response = connection.getresponse()
            self.assertEqual(response.status, 200)
            response.read()
        connection.close()
        self.assertEqual(self.call("GET", "/api/v2/nothing", "officer")[0], 404)
        status, head, _ = self.raw("DELETE", "/api/v1/networks",
                                   self.tokens["officer"]["token"])
        self.assertEqual(status, 405)
        self.assertEqual(head["Allow"], "GET")
        self.assertEqual(self.call("GET", "/healthz?verbose=1")[0], 400)
        self.assertEqual(self.call("GET", "/readyz?x=1")[0], 400)
        self.assertEqual(self.call("GET", "/metrics?x=1")[0], 400)
        self.assertEqual(self.call("GET", "/api/v1/openapi.json?x=1")[0], 400)

    def test_head_is_get_without_a_body_and_http11_needs_a_host(self):
        connection = http.client.HTTPConnection(self.server.host, self.server.port,
                                                timeout=DEADLINE)
        token = self.tokens["officer"]["token"]
        connection.request("GET", "/api/v1/networks", headers={"Authorization": "Bearer " + token})
        got = connection.getresponse()
        body = got.read()
        for path, auth in (("/api/v1/networks", True), ("/healthz", False), ("/signin", False)):
            connection.request("HEAD", path,
                               headers={"Authorization": "Bearer " + token} if auth else {})
            head = connection.getresponse()
            self.assertEqual(head.status, 200, path)
            self.assertEqual(head.read(), b"", path)
        self.assertEqual(got.getheader("Content-Type"), "application/json")
        self.assertTrue(body)
        connection.close()
        for request in (b"GET /healthz HTTP/1.1\r\n\r\n",
                        b"GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"):
            with socket.create_connection((self.server.host, self.server.port),
                                          timeout=DEADLINE) as raw:
                raw.sendall(request)
                answer = raw.recv(4096)
            self.assertTrue(answer.startswith(b"HTTP/1.1 400"), answer[:80])
            self.assertIn(b"Host", answer)

    # --- operations ---------------------------------------------------------

    def test_metrics_parse_and_never_hold_a_token(self):
        self.call("GET", "/api/v1/networks", "officer")
        status, head, payload = self.raw("GET", "/metrics")
        self.assertEqual(status, 200)
        text = payload.decode()
        families = {f.name: f for f in text_string_to_metric_families(text)}
        for name in ("waymark_http_requests", "waymark_http_request_duration_seconds",
                     "waymark_commands", "waymark_append_duration_seconds", "waymark_lag_events",
                     "waymark_lag_seconds"):
            self.assertIn(name, families, sorted(families))
        requests = [s for s in families["waymark_http_requests"].samples
                    if s.labels.get("route") == "/api/v1/networks"
                    and s.labels.get("status") == "200"]
        self.assertTrue(requests and requests[0].value >= 1)
        followers = {s.labels["follower"] for s in families["waymark_lag_events"].samples}
        self.assertIn("projector", followers)
        self.assertTrue(any(s.name.endswith("_count") and s.value > 0
                            for s in families["waymark_append_duration_seconds"].samples))
        log = self.server.log_text()
        for who in self.tokens.values():
            secret = who["token"].split("_")[-1]
            self.assertNotIn(secret, text)
            self.assertNotIn(secret, log)
        self.assertIn('"request_id"', log)

    def test_postgresql_down_is_503_and_the_server_recovers(self):
        host = re.search(r"host=(\S+)", BASE_PG).group(1)
        port = int(re.search(r"port=(\d+)", BASE_PG).group(1))
        proxy = TcpProxy(host, port)
        conninfo = re.sub(r"port=\d+", f"port={proxy.port}", self.conninfo)
        server = Server(conninfo, "--no-workers")
        try:
            status, body = self.call("GET", "/api/v1/networks", "officer", server=server)
            self.assertEqual(status, 200, body)
            proxy.cut()
            protected = [(m, p.replace("{stream}", "network-ne").replace("{id}", "ne"))
                         for p, ops in self.contract.doc["paths"].items() for m in ops
                         if m != "get" or ops[m].get("security") != []]
            for method, path in protected + [("get", "/readyz")]:
                body = ({"stream": "network-ne", "type": "AssignOfficer",
                         "data": {"officer": "x"}} if method == "post" else None)
                if path.endswith("/diff"):
                    path += "?from=0&to=1"
                status, head, payload = self.raw(method.upper(), path,
                                                 self.tokens["officer"]["token"], body,
                                                 server=server)
                self.assertEqual(status, 503, (path, payload))
                self.assertEqual(head["Retry-After"], "5")
                detail = json.loads(payload)["detail"]
                if path == "/readyz":
                    self.assertIn("PostgreSQL", detail)  # the operator's probe names it
                else:
                    # A client is told in general words; the cause is in the log only.
                    self.assertIn("database", detail)
                    self.assertIn("request id", detail)
                    self.assertNotIn("SQLSTATE", detail)
                    self.assertNotIn("pqxx", detail)
            proxy.restore()
            wait_for("the server to reach PostgreSQL again", lambda: self.raw(
                "GET", "/api/v1/networks", self.tokens["officer"]["token"],
                server=server)[0] == 200)
            self.assertEqual(self.raw("GET", "/readyz", server=server)[0], 200)
        finally:
            self.assertEqual(server.stop(), 0)

    def test_sigterm_finishes_the_request_in_flight_then_stops(self):
        stream = f"network-sig{os.getpid()}"
        self.must("officer", stream, "RegisterNetwork", {"name": "Signal", "region": "Fife"})
        server = Server(self.conninfo, "--no-workers")
        # Hold the stream's append lock so a command waits inside its append.
        holder = subprocess.Popen(["psql", self.conninfo, "-qAt"], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, text=True)
        holder.stdin.write(f"SELECT pg_advisory_lock(hashtextextended('{stream}', 0));\n"
                           "SELECT 'locked ' || pg_backend_pid();\n")
        holder.stdin.flush()
        line = ""
        while not line.startswith("locked"):
            line = holder.stdout.readline().strip()
        holder_pid = line.split()[1]
        result = {}

        def send():
            result["answer"] = self.raw("POST", "/api/v1/commands",
                                        self.tokens["officer"]["token"],
                                        {"stream": stream, "type": "RecordMembership",
                                         "data": {"members": 30, "active_members": 12}},
                                        server=server)
        sender = threading.Thread(target=send)
        sender.start()
        wait_for("the command to wait on the lock", lambda: psql(
            self.conninfo, "SELECT count(*) FROM pg_stat_activity "
                           f"WHERE {holder_pid} = ANY(pg_blocking_pids(pid))") == "1")
        server.process.send_signal(signal.SIGTERM)
        # It stops accepting at once...
        wait_for("new connections to be refused", lambda: self._refused(server))
        # ...and the request in flight is finished and answered.
        holder.stdin.write("SELECT pg_advisory_unlock_all();\n")
        holder.stdin.close()
        sender.join(DEADLINE)
        status, head, payload = result["answer"]
        self.assertEqual(status, 200, payload)
        self.assertEqual(head["Connection"], "close")
        self.assertEqual(server.process.wait(DEADLINE), 0)
        holder.wait(DEADLINE)
        version = json.loads(payload)["version"]
        self.assertEqual(psql(self.conninfo, "SELECT data->>'members' FROM events WHERE "
                                             f"stream = '{stream}' AND version = {version}"),
                         "30")

    @staticmethod
    def _refused(server):
        try:
            socket.create_connection((server.host, server.port), timeout=1).close()
            return False
        except OSError:
            return True

    # --- the contract ---------------------------------------------------------

    def test_tasks_are_each_tokens_own_work(self):
        """GET /api/v1/tasks: a network's its network's steps (scoring its draft
        assessment, proposing its draft plan); an officer's those of their
        caseload, never approving what they submitted; an admin's every
        officer's; an auditor's none; a milestone more than 30 days off, not yet."""
        for dimension in ("membership", "connectivity", "influence", "conduit", "best_practice",
                          "knowledge_sharing", "problem_solving", "innovation",
                          "professionalism", "joint_working"):
            if dimension == "membership":
                self.must("officer", "assessment-tne", "StartAssessment",
                          {"network_id": "ne", "period": "2027"})
            self.must("network", "assessment-tne", "ScoreDimension",
                      {"dimension": dimension, "score": 3, "note": "n"})
        self.must("network", "assessment-tne", "SubmitAssessment")

        def tasks(who):
            status, body = self.call("GET", "/api/v1/tasks", who)
            self.assertEqual(status, 200, body)
            return sorted((t["kind"], t["stream"]) for t in body["items"])
        approve = ("approve_assessment", "assessment-tne")
        wait_for("the submitted assessment to wait on its officer",
                 lambda: approve in tasks("officer"))
        self.assertEqual(tasks("officer"), [approve])
        self.assertEqual(tasks("officer2"), [])  # another officer's caseload
        self.assertIn(approve, tasks("admin"))
        self.assertEqual(tasks("auditor"), [])
        own = tasks("network")
        self.assertIn(("propose_plan", "plan-pne"), own)
        self.assertIn(("score_assessment", "assessment-ane"), own)
        self.assertNotIn(approve, own)
        self.assertTrue(all(stream.endswith("ne") for _, stream in own), own)
        self.assertNotIn(("deliver_milestone", "milestone-mne"), own)  # due 2027-01-15
        self.assertTrue(all(s.endswith("nw") for _, s in tasks("other_network")))
        status, body = self.call("GET", "/api/v1/tasks?limit=1", "admin")
        self.assertEqual((status, len(body["items"])), (200, 1))
        for path in ("/api/v1/tasks?limit=0", "/api/v1/tasks?cursor=zz",
                     "/api/v1/tasks?party=officer"):
            status, body = self.call("GET", path, "officer")
            self.assertEqual(status, 400, (path, body))

    def test_zz_every_documented_route_and_status_was_seen(self):
        """Runs last (unittest orders by name): every (method, route, status) the
        OpenAPI document lists was answered by the server in these tests."""
        documented = {(m.upper(), p, int(s)) for p, ops in self.contract.doc["paths"].items()
                      for m, op in ops.items() for s in op["responses"]}
        missing = sorted(documented - self.contract.seen)
        self.assertEqual(missing, [], "documented but never seen")


if __name__ == "__main__":
    unittest.main(verbosity=2)
