"""An Apache Kafka cluster of a test's own, for the process-level tests and
ops/campaign: KRaft nodes started with ops/kafka-node on free loopback ports
(broker and controller in each), read with kcat, topics made with Kafka's own
TopicCommand. A node can be killed with SIGKILL, frozen with SIGSTOP, thawed
and restarted on its data; with proxy=True every client connection passes
through a TcpProxy per node (the node advertises the proxy's port), which
can be cut. (tests/support/kafka_cluster.hpp is the same for
the C++ tests.)"""

import json
import os
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import time

from tcp_proxy import TcpProxy

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RUN = os.environ.get("WAYMARK_RUN", os.path.join(ROOT, ".run"))
KAFKA_LIB = os.path.join(RUN, "kafka", "lib")
LOG4J = os.path.join(ROOT, "ops", "kafka", "log4j2.yaml")


_given = set()


def free_port():
    """A free port for a server this cluster starts, below the kernel's
    ephemeral range (an outgoing connection of a test beside it cannot take
    it before the node binds), never the same twice in one process."""
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            ephemeral_low = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        ephemeral_low = 32768
    low, high = 10000, max(11000, ephemeral_low) - 1
    for _ in range(1000):
        port = random.randint(low, high)
        if port in _given:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _given.add(port)
        return port
    raise RuntimeError(f"no free TCP port on 127.0.0.1 between {low} and {high}")


def kcat(*args, timeout=30, stdin=None):
    return subprocess.run(["/usr/bin/kcat", *args], capture_output=True, text=True,
                          timeout=timeout, input=stdin)


class KafkaCluster:
    def __init__(self, nodes=3, heap="256m", proxy=False):
        self.dir = tempfile.mkdtemp(prefix="waymark-kafka-")
        self.heap = heap
        self.cluster_id = self._java("kafka.tools.StorageTool", "random-uuid").strip()
        self.ports = {i: (free_port(), free_port()) for i in range(1, nodes + 1)}
        self.voters = ",".join(f"{i}@127.0.0.1:{c}" for i, (_, c) in self.ports.items())
        self.proxies = {i: TcpProxy("127.0.0.1", p) for i, (p, _) in self.ports.items()} if proxy else {}
        self.processes = {}
        self.logs = []
        for i in self.ports:
            self.start(i)
        self.wait_ready()

    @property
    def bootstrap(self):
        return ",".join(f"127.0.0.1:{self.proxies[i].port if self.proxies else p}"
                        for i, (p, _) in self.ports.items())

    def _java(self, main, *args):
        done = subprocess.run(
            ["java", f"-Dlog4j2.configurationFile={LOG4J}", "-cp", KAFKA_LIB + "/*", main, *args],
            capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"{main} {' '.join(args)}: {done.stdout}{done.stderr}")
        return done.stdout

    def start(self, node):
        port, controller = self.ports[node]
        node_dir = os.path.join(self.dir, f"node{node}")
        os.makedirs(node_dir, exist_ok=True)
        log = open(os.path.join(node_dir, "node.log"), "a")
        self.logs.append(log)
        self.processes[node] = subprocess.Popen(
            [os.path.join(ROOT, "ops", "kafka-node"), "--dir", node_dir, "--id", str(node),
             "--port", str(port), "--controller-port", str(controller), "--voters", self.voters,
             "--cluster-id", self.cluster_id, "--heap", self.heap,
             *(["--advertise", str(self.proxies[node].port)] if self.proxies else [])],
            stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def kill(self, node):
        self.processes[node].send_signal(signal.SIGKILL)
        self.processes[node].wait()

    def freeze(self, node):
        self.processes[node].send_signal(signal.SIGSTOP)

    def thaw(self, node):
        self.processes[node].send_signal(signal.SIGCONT)

    def restart(self, node):
        assert self.processes[node].poll() is not None, "the node still runs"
        self.start(node)

    def metadata(self, topic=None):
        """kcat's metadata as JSON, from any live node (None when none answers)."""
        args = ["-b", self.bootstrap, "-L", "-J", "-m", "3"] + (["-t", topic] if topic else [])
        got = kcat(*args)
        if got.returncode != 0:
            return None
        try:
            return json.loads(got.stdout)
        except json.JSONDecodeError:
            return None

    def wait_ready(self, seconds=120):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            md = self.metadata()
            if md and len(md["brokers"]) == len(self.ports):
                return
            for node, p in self.processes.items():
                if p.poll() is not None:
                    raise RuntimeError(f"Kafka node {node} exited: see {self.dir}/node{node}/node.log")
            time.sleep(0.2)
        raise RuntimeError(f"the cluster in {self.dir} did not have {len(self.ports)} brokers up")

    def partitions(self, topic):
        """{partition: {"leader": id, "isr": [ids]}} from the metadata."""
        md = self.metadata(topic)
        out = {}
        for t in (md or {}).get("topics", []):
            if t["topic"] == topic:
                for p in t.get("partitions", []):
                    out[p["partition"]] = {"leader": p["leader"],
                                           "isr": sorted(r["id"] for r in p.get("isrs", []))}
        return out

    def create_topic(self, topic, partitions, replication, *configs):
        args = ["--bootstrap-server", self.bootstrap, "--create", "--topic", topic,
                "--partitions", str(partitions), "--replication-factor", str(replication)]
        for c in configs:
            args += ["--config", c]
        self._java("org.apache.kafka.tools.TopicCommand", *args)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            parts = self.partitions(topic)
            if len(parts) == partitions and all(p["leader"] > 0 for p in parts.values()):
                return
            time.sleep(0.2)
        raise RuntimeError(f"topic {topic} has no leader for every partition")

    def read_topic(self, topic):
        """Every message from the beginning: dicts with partition, offset, key,
        headers (a list of name, value, ...) and payload, in offset order per partition."""
        got = kcat("-b", self.bootstrap, "-C", "-t", topic, "-o", "beginning", "-e", "-J", "-q",
                   timeout=120)
        if got.returncode != 0:
            raise RuntimeError("kcat: " + got.stderr)
        return [json.loads(line) for line in got.stdout.splitlines() if line.strip()]

    def close(self):
        for p in self.processes.values():
            if p.poll() is None:
                p.send_signal(signal.SIGCONT)
                p.kill()
                p.wait()
        for log in self.logs:
            log.close()
        for proxy in self.proxies.values():
            proxy.cut()
            proxy.listener.close()
        shutil.rmtree(self.dir, ignore_errors=True)
