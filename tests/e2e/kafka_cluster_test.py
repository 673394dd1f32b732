#!/usr/bin/env python3
"""Three Apache Kafka brokers (KRaft, replication factor 3,
min.insync.replicas=2; the relay's producer idempotent with acks=all): while
commands arrive over HTTP and two `project --kafka` processes consume in one
group, the leader of the busiest partition is killed with SIGKILL, then
brought back. Afterwards the topic holds every stored event exactly once, in
per-stream order; no acknowledged command is missing from the store, the
topic or the read models; the read models equal `rebuild all --check`.

Environment: WAYMARK_BIN, WAYMARK_TEST_PG.
"""

import collections
import json
import os
import sys
import threading
import time
import unittest
import urllib.error

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from http_api_test import Server, psql  # noqa: E402
from kafka_cluster import KafkaCluster, kcat  # noqa: E402
from scale_out_test import Process, Schema, call, register, wait_for  # noqa: E402

PARTITIONS = 6


def end_offsets(cluster, topic):
    """{partition: end offset} (kcat -Q with the 'latest' logical offset)."""
    args = ["-b", cluster.bootstrap, "-Q", "-J"]
    for p in range(PARTITIONS):
        args += ["-t", f"{topic}:{p}:-1"]
    got = kcat(*args)
    if got.returncode != 0:
        return {}
    # {"topic": {"topic": "topic", "0": {"partition": 0, "offset": 14}, ...}}
    out = {}
    for t in json.loads(got.stdout).values():
        for p in t.values():
            if isinstance(p, dict) and "partition" in p and "offset" in p:
                out[p["partition"]] = p["offset"]
    return out


class ThreeBrokers(unittest.TestCase):
    def test_the_leader_of_a_busy_partition_killed_and_brought_back_loses_and_doubles_nothing(self):
        cluster = KafkaCluster(nodes=3)
        self.addCleanup(cluster.close)
        topic = f"waymark.cluster.{os.getpid()}"
        cluster.create_topic(topic, PARTITIONS, 3, "min.insync.replicas=2")
        schema = Schema(f"kafka_cluster_{os.getpid()}")
        officer = schema.token("--role", "officer", "--name", "olivia")
        api = Server(schema.conninfo, "--no-workers")
        relay = Process(schema.conninfo, "relay", "--kafka", cluster.bootstrap, "--topic", topic)
        projectors = [Process(schema.conninfo, "project", "--kafka", cluster.bootstrap,
                              "--topic", topic) for _ in range(2)]

        acked, lock, stop = {}, threading.Lock(), threading.Event()

        def load(worker):
            i = 0
            while not stop.is_set():
                network = f"c{worker}n{i:04d}"
                try:
                    status, body = register(api.url, officer, network, f"Network {network}",
                                            key="reg-" + network)
                    if status != 200:
                        raise AssertionError(f"{network}: {status} {body}")
                    with lock:
                        acked[network] = 1
                    status, body = call(api.url, officer, "POST", "/api/v1/commands", {
                        "stream": f"network-{network}", "type": "RecordMembership",
                        "data": {"members": 10 + i % 50, "active_members": i % 10}},
                        key="mem-" + network)
                    if status != 200:
                        raise AssertionError(f"{network}: {status} {body}")
                    with lock:
                        acked[network] = 2
                except (OSError, urllib.error.URLError) as e:
                    raise AssertionError(f"the API failed: {e}")
                i += 1

        workers = [threading.Thread(target=load, args=(w,), daemon=True) for w in range(3)]
        try:
            for w in workers:
                w.start()
            wait_for("events on the topic", lambda: sum(end_offsets(cluster, topic).values()) >= 200)
            offsets = end_offsets(cluster, topic)
            busiest = max(offsets, key=offsets.get)
            leader = cluster.partitions(topic)[busiest]["leader"]
            print(f"killing broker {leader}, leader of partition {busiest} "
                  f"({offsets[busiest]} messages so far)", flush=True)
            cluster.kill(leader)
            killed_at = len(acked)
            # Another broker leads the partition; commands keep being acknowledged.
            wait_for("a new leader", lambda: cluster.partitions(topic).get(busiest, {}).get(
                "leader", -1) not in (-1, leader))
            wait_for("commands acknowledged with the broker down",
                     lambda: len(acked) >= killed_at + 60)
            cluster.restart(leader)
            cluster.wait_ready()
            # It catches up and is back in every partition's in-sync replicas.
            wait_for("the broker back in sync", lambda: all(
                p["isr"] == [1, 2, 3] for p in cluster.partitions(topic).values()), seconds=120)
            wait_for("more commands after it came back", lambda: len(acked) >= killed_at + 120)
        finally:
            stop.set()
            for w in workers:
                w.join(timeout=60)
        def relayed_all():
            return schema.scalar(
                "SELECT (SELECT coalesce(max(position), 0) FROM events) = "
                f"(SELECT position FROM waymark_checkpoints WHERE name = 'relay:{topic}')") == "t"

        try:
            # The read models catch up with every network's last version.
            wait_for("the read models", lambda: schema.scalar(
                "SELECT (SELECT coalesce(sum(version), 0) FROM rm_networks) = "
                "(SELECT count(*) FROM events WHERE stream LIKE 'network-%')") == "t", seconds=120)
            for p in projectors:
                self.assertIsNone(p.process.poll(), p.text())
        finally:
            for p in projectors:  # their policies append no more after this
                p.stop()
        try:
            wait_for("the relay to publish everything", relayed_all, seconds=120)
        finally:
            relay.stop()
            self.assertEqual(api.stop(), 0, api.log_text())
        stored = int(schema.scalar("SELECT count(*) FROM events"))

        # Every acknowledged command is stored: a network stream with its events.
        versions = dict(line.split("|") for line in psql(
            schema.conninfo, "SELECT stream, max(version) FROM events GROUP BY stream").split())
        for network, commands in acked.items():
            self.assertGreaterEqual(int(versions.get(f"network-{network}", 0)), commands, network)

        # The topic: every stored event exactly once, each stream's versions in order.
        messages = cluster.read_topic(topic)
        seen = collections.Counter()
        last = {}
        for m in messages:
            event = json.loads(m["payload"])
            stream, version = event["stream"], event["version"]
            seen[(stream, version)] += 1
            self.assertEqual(version, last.get(stream, 0) + 1,
                             f"{stream} version {version} after {last.get(stream)}")
            last[stream] = version
        duplicates = sum(n - 1 for n in seen.values())
        print(f"{len(acked)} networks acknowledged, {stored} events stored, "
              f"{len(messages)} messages, {duplicates} duplicates", flush=True)
        self.assertEqual(duplicates, 0)
        self.assertEqual(len(seen), stored)
        self.assertEqual({s: int(v) for s, v in versions.items()}, last)

        schema.assert_rebuild_matches(self)
        schema.drop()


if __name__ == "__main__":
    unittest.main(verbosity=2)
