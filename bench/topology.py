"""Several drill app nodes behind nginx on one machine: the deploy/ recipe on loopback ports.

`Cluster` starts N gunicorn nodes (each its own master, as on its own machine) with the production
settings of deploy/drill.env.example, and nginx with deploy/nginx/drill.conf itself, its "# node" and
"# listen" lines pointed at the nodes' ports. A node can be killed (SIGKILL, as a crash) and started
again. `housekeeping` runs the scheduled job the way deploy/'s timer does: `drill housekeeping`.
Everything is started, and stopped by pid, by whoever made the cluster; nothing listens beyond loopback.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench.servers import REPO, Gunicorn, Server, free_port

NGINX_SITE = REPO / "deploy" / "nginx" / "drill.conf"
HOST = "127.0.0.1"


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def node_environment(database_url: str, nodes: int, secret_key: str) -> dict[str, str]:
    """The settings of deploy/drill.env.example, for loopback."""
    return {
        "DRILL_PRODUCTION": "true",
        "DRILL_NODES": str(nodes),
        "DRILL_SECRET_KEY": secret_key,
        "DRILL_DATABASE_URL": database_url,
        "DRILL_PROXIES": "1",
        "DRILL_HOUSEKEEPING_SECONDS": "0",
    }


def site_config(listen: int, nodes: list[int]) -> str:
    """deploy/nginx/drill.conf with its node lines and its listen line pointed at loopback ports."""
    lines, placed = [], False
    for line in NGINX_SITE.read_text().splitlines():
        if line.rstrip().endswith("# node"):
            if not placed:
                indent = line[: len(line) - len(line.lstrip())]
                lines += [f"{indent}server {HOST}:{port} max_fails=1 fail_timeout=2s;" for port in nodes]
                placed = True
            continue
        if line.rstrip().endswith("# listen"):
            line = re.sub(r"listen\s+\S+;", f"listen {HOST}:{listen};", line)
        lines.append(line)
    return "\n".join(lines) + "\n"


def main_config(folder: Path, site: Path, connections: int) -> str:
    """A whole nginx.conf around the site: its pid, logs and temporary files in `folder`."""
    temp = " ".join(
        f"{name}_temp_path {folder / name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"worker_processes 1;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'} warn;\n"
        f"events {{ worker_connections {connections}; }}\n"
        f"http {{\n  access_log off;\n  {temp}\n  include {site};\n}}\n"
    )


class Nginx:
    """nginx in the foreground (`daemon off`), started and stopped by its pid."""

    def __init__(self, folder: Path, nodes: list[int], connections: int = 4096):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.folder.chmod(0o777)  # nginx's workers may run as nobody
        self.port = free_port(HOST)
        site = folder / "drill.conf"
        site.write_text(site_config(self.port, nodes))
        self.config = folder / "nginx.conf"
        self.config.write_text(main_config(folder, site, connections))
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 10.0) -> None:
        binary = nginx_binary()
        if binary is None:
            raise RuntimeError("nginx is not installed")
        check = subprocess.run(
            [binary, "-t", "-q", "-c", str(self.config), "-p", str(self.folder)],
            capture_output=True,
            text=True,
        )
        if check.returncode != 0:
            raise RuntimeError(f"nginx refused the configuration:\n{check.stderr}")
        self.process = subprocess.Popen(
            [binary, "-c", str(self.config), "-p", str(self.folder), "-g", "daemon off;"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        give_up = time.monotonic() + timeout
        while time.monotonic() < give_up:
            if self.process.poll() is not None:
                raise RuntimeError(f"nginx exited: {(self.folder / 'error.log').read_text(errors='replace')}")
            try:
                socket.create_connection((HOST, self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("nginx did not listen in time")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful: its workers end with it
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


class Cluster:
    """N app nodes and the balancer in front of them."""

    def __init__(self, folder: Path, env: dict[str, str], nodes: int = 2, gunicorn: Gunicorn | None = None):
        self.folder = folder
        self.env = env
        settings = gunicorn or Gunicorn(workers=2, threads=8)
        self.nodes = [
            Server("drill:create_app()", env, HOST, settings, folder / f"node{i + 1}.log")
            for i in range(nodes)
        ]
        self.balancer = Nginx(folder / "nginx", [node.port for node in self.nodes])

    @property
    def port(self) -> int:
        return self.balancer.port

    def start(self) -> None:
        for node in self.nodes:
            node.start("/healthz")
        self.balancer.start()

    def kill(self, index: int) -> None:
        """Kill a node as a crash would: SIGKILL to its master and workers, no goodbye."""
        node = self.nodes[index]
        pids = [node.process.pid, *_children(node.process.pid)]
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        node.process.wait(10)

    def restart(self, index: int) -> None:
        self.nodes[index].start("/healthz")

    def stop(self) -> None:
        self.balancer.stop()
        for node in self.nodes:
            node.stop()

    def housekeeping(self) -> subprocess.Popen:
        """`drill housekeeping`, as deploy/'s timer starts it, with the nodes' settings."""
        return subprocess.Popen(
            [sys.executable, "-c", "from drill.cli import main; main()", "housekeeping"],
            env={**os.environ, **self.env}, cwd=REPO, text=True,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )  # fmt: skip

    def __enter__(self) -> Cluster:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []
