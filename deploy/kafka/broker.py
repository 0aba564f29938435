"""A real single-node Apache Kafka broker (KRaft) on 127.0.0.1, run from jars fetched by Maven.

Used by ``newsflow up``/``demo``/``broker``, by the test suite (one broker per session) and by
the benchmarks. The jars are resolved once by ``mvn package`` over the ``pom.xml`` beside this
file into a cache folder, so later starts need no network. The broker listens on loopback only.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
KAFKA_VERSION = "4.2.0"
READY_LINE = "Kafka Server started"
log = logging.getLogger("newsflow.broker")


class BrokerError(RuntimeError):
    """The local broker could not be fetched, formatted, started or stopped."""


def min_session_timeout_s() -> float:
    """The local broker's group.min.session.timeout.ms (server.properties.in), in seconds: lower than
    Kafka's default, so that a worker on it may use a short session and be ready in seconds."""
    for line in (HERE / "server.properties.in").read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep and key.strip() == "group.min.session.timeout.ms":
            return int(value) / 1000
    raise ValueError("server.properties.in sets no group.min.session.timeout.ms")


def cache_dir() -> Path:
    base = os.environ.get("NEWSFLOW_CACHE_DIR") or os.path.join(os.path.expanduser("~"), ".cache", "newsflow")
    return Path(base) / f"kafka-{KAFKA_VERSION}"


def state_dir() -> Path:
    """Where ``newsflow broker`` and ``newsflow up`` keep the persistent broker (NEWSFLOW_HOME)."""
    return Path(os.environ.get("NEWSFLOW_HOME") or Path.cwd() / ".newsflow") / "broker"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


DEFAULT_PORT = 9092  # Kafka's own, and the default of NEWSFLOW_KAFKA_BOOTSTRAP


def preferred_port(port: int = DEFAULT_PORT) -> int:
    """``port`` if it can be bound on 127.0.0.1 now, else a free one: the persistent broker takes
    Kafka's default port when it can, so that the other commands reach it without configuration."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return free_port()
    return port


def port_open(port: int, host: str = "127.0.0.1", timeout: float = 0.5) -> bool:
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=timeout):
        return True
    return False


def ensure_jars() -> Path:
    """Resolve the broker jars with Maven (cached; a file lock keeps concurrent callers apart)."""
    target = cache_dir()
    libs = target / "target" / "kafka-libs"
    marker = libs / f"kafka_2.13-{KAFKA_VERSION}.jar"
    if marker.exists():
        return libs
    target.mkdir(parents=True, exist_ok=True)
    with open(target / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if marker.exists():
            return libs
        if shutil.which("mvn") is None:
            raise BrokerError("Maven (mvn) is needed once to fetch the Kafka jars; install it (apt-get install maven)")
        shutil.copy(HERE / "pom.xml", target / "pom.xml")
        log.info("fetching Apache Kafka %s jars with Maven into %s", KAFKA_VERSION, libs)
        proc = subprocess.run(["mvn", "-B", "-q", "package"], cwd=target, capture_output=True, text=True)
        if proc.returncode != 0 or not marker.exists():
            raise BrokerError(f"mvn package failed ({proc.returncode}):\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return libs


def java_command(libs: Path, heap: str) -> list[str]:
    java = os.environ.get("JAVA") or shutil.which("java")
    if not java:
        raise BrokerError("a Java 17+ runtime is needed for the local Kafka broker (apt-get install openjdk-17-jre-headless)")
    return [java, f"-Xmx{heap}", f"-Xms{heap}", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
            "-Djava.awt.headless=true", f"-Dlog4j2.configurationFile={HERE / 'log4j2.properties'}",
            "-cp", str(libs / "*")]


@dataclass
class LocalKafka:
    """One broker process. ``start()`` formats storage on first use and waits until it serves."""

    data_dir: Path
    port: int = 0
    controller_port: int = 0
    heap: str = "512m"
    process: subprocess.Popen | None = None
    pid: int | None = None

    def __post_init__(self) -> None:
        self.data_dir = Path(self.data_dir)
        self.port = self.port or free_port()
        self.controller_port = self.controller_port or free_port()

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "kafka.log"

    def _write_config(self) -> Path:
        template = (HERE / "server.properties.in").read_text()
        config = (template.replace("@BROKER_PORT@", str(self.port))
                  .replace("@CONTROLLER_PORT@", str(self.controller_port))
                  .replace("@DATA_DIR@", str(self.data_dir / "logs")))
        path = self.data_dir / "server.properties"
        path.write_text(config)
        return path

    def start(self, timeout: float = 90.0, detach: bool = False) -> str:
        if self.running():
            return self.bootstrap
        libs = ensure_jars()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        config = self._write_config()
        cmd = java_command(libs, self.heap)
        if not (self.data_dir / "logs" / "meta.properties").exists():
            cluster_id = _kraft_cluster_id()
            # "--cluster-id=ID", not "-t ID": a base64 id may start with "-" and read as an option
            fmt = subprocess.run(cmd + ["kafka.tools.StorageTool", "format", f"--cluster-id={cluster_id}",
                                        "-c", str(config), "--ignore-formatted"], capture_output=True, text=True)
            if fmt.returncode != 0:
                raise BrokerError(f"formatting KRaft storage failed:\n{fmt.stdout}\n{fmt.stderr}")
        if port_open(self.port):
            raise BrokerError(f"port {self.port} on 127.0.0.1 is already taken")
        logfile = open(self.log_path, "ab")
        start_offset = logfile.tell()
        self.process = subprocess.Popen(cmd + ["kafka.Kafka", str(config)], stdout=logfile, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, start_new_session=detach)
        self.pid = self.process.pid
        logfile.close()
        try:
            self._wait_ready(start_offset, timeout)
        except BaseException:  # also SIGTERM or Ctrl-C during start-up: never leave the JVM behind
            self.stop()
            raise
        log.info("kafka %s ready on %s (pid %s)", KAFKA_VERSION, self.bootstrap, self.pid)
        return self.bootstrap

    def _wait_ready(self, start_offset: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise BrokerError(f"kafka exited during start-up (code {self.process.returncode}):\n{self._log_tail(start_offset)}")
            if READY_LINE in self._log_tail(start_offset, 200_000) and port_open(self.port):
                return
            time.sleep(0.2)
        self.stop()
        raise BrokerError(f"kafka not ready after {timeout:.0f} s:\n{self._log_tail(start_offset)}")

    def _log_tail(self, offset: int, size: int = 4000) -> str:
        with contextlib.suppress(OSError), open(self.log_path, "rb") as fh:
            fh.seek(offset)
            data = fh.read()
            return data[-size:].decode("utf-8", "replace")
        return ""

    def running(self) -> bool:
        if self.process is not None:
            return self.process.poll() is None
        return self.pid is not None and _runs_broker(self.pid, self.data_dir / "server.properties")

    def stop(self, timeout: float = 30.0) -> None:
        """SIGTERM (Kafka's clean shutdown), then SIGKILL if it does not exit in time."""
        if not self.running():
            return
        assert self.pid is not None
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and self.running():
            time.sleep(0.1)
        if self.running():
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)
            time.sleep(0.2)
        if self.process is not None:
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(5)

    def kill(self) -> None:
        """SIGKILL: the broker dies as in a crash (for fault tests)."""
        if self.running() and self.pid:
            os.kill(self.pid, signal.SIGKILL)
            if self.process is not None:
                self.process.wait(10)

    # -- persistent broker for `newsflow broker` / `newsflow up` -------------------------------
    def save(self, path: Path) -> None:
        path.write_text(json.dumps({"pid": self.pid, "port": self.port, "controller_port": self.controller_port,
                                    "data_dir": str(self.data_dir), "version": KAFKA_VERSION}))

    @classmethod
    def load(cls, path: Path) -> "LocalKafka | None":
        try:
            info = json.loads(path.read_text())
        except (OSError, ValueError):
            return None
        broker = cls(Path(info["data_dir"]), port=info["port"], controller_port=info["controller_port"])
        broker.pid = info.get("pid")
        return broker


def _kraft_cluster_id() -> str:
    """A KRaft cluster id: 16 random bytes, URL-safe base64 without padding (what StorageTool random-uuid prints)."""
    import base64

    return base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie child still "exists": look at its state
    with contextlib.suppress(OSError):
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ", 1)[1][:1] != "Z"
    return True


def _runs_broker(pid: int, config: Path) -> bool:
    """Whether ``pid`` is alive and is the broker started with ``config``.

    The pid saved in broker.json outlives the broker when it dies without ``stop`` (OOM killer,
    kill -9, a reboot), and the system may give that pid to any other process since: trusting it
    made ``broker start`` report a broker that was not there and ``broker stop`` kill a stranger.
    Where there is no /proc to read the command line from, a live pid has to do."""
    if not _pid_alive(pid):
        return False
    proc = Path(f"/proc/{pid}")
    try:
        args = [os.fsdecode(arg) for arg in (proc / "cmdline").read_bytes().split(b"\0")]
        cwd = os.readlink(proc / "cwd")
    except FileNotFoundError:
        return not Path("/proc/self").exists()
    except OSError:
        return True
    if "kafka.Kafka" not in args:
        return False
    given = args[args.index("kafka.Kafka") + 1:args.index("kafka.Kafka") + 2]  # the config it was started with
    return bool(given) and os.path.realpath(os.path.join(cwd, given[0])) == os.path.realpath(config)


def persistent_broker() -> LocalKafka:
    """The broker of ``newsflow broker start`` and ``newsflow up``: the one recorded here (its ports
    are kept across restarts), else a new one on port 9092 when that is free."""
    folder = state_dir()
    folder.mkdir(parents=True, exist_ok=True)
    existing = LocalKafka.load(folder / "broker.json")
    if existing is not None:
        return existing
    return LocalKafka(folder / "data", port=preferred_port())


def start_persistent(timeout: float = 90.0) -> LocalKafka:
    folder = state_dir()
    broker = persistent_broker()
    if broker.running() and port_open(broker.port):
        return broker
    broker.start(timeout=timeout, detach=True)
    broker.save(folder / "broker.json")
    return broker
