"""The shipped nginx configuration, run unprivileged on a loopback port in front of test servers.

The upstream and location files of ``deploy/nginx`` are used as shipped; only the two app
servers' addresses are swapped for the test servers' ports, and the surrounding ``nginx.conf``
keeps its pid file, logs and temporary files in a folder of its own, so nothing of the
system's nginx is touched and no privilege is needed (when the tests run as root, nginx is
started as ``nobody``).
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .helpers import ROOT, AppServer, free_port, new_page

DEPLOY = ROOT / "deploy" / "nginx"
SHIPPED_UPSTREAMS = ("127.0.0.1:8501", "127.0.0.1:8502")
ROUTE_COOKIE = "qo_route"


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None)


def nginx_missing() -> str | None:
    """Why the proxy tests cannot run here, or None when they can."""
    if nginx_binary() is None:
        return ("nginx is not installed (scripts/setup --test installs nginx-light from "
                "Debian's packages)")
    return None


NGINX_CONF = """\
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log info;
events {{ worker_connections 512; }}
http {{
    client_body_temp_path {dir}/tmp/client_body;
    proxy_temp_path {dir}/tmp/proxy;
    fastcgi_temp_path {dir}/tmp/fastcgi;
    uwsgi_temp_path {dir}/tmp/uwsgi;
    scgi_temp_path {dir}/tmp/scgi;
    include {dir}/quality-offer-upstream.conf;
    access_log {dir}/access.log quality_offer;
    # For the tests only: which browser (by its routing cookie) reached which server.
    log_format qo_routes '$cookie_qo_route $uri $upstream_addr';
    access_log {dir}/routes.log qo_routes;
    server {{
        listen 127.0.0.1:{port};
        include {dir}/quality-offer-locations.conf;
    }}
}}
"""


class Proxy:
    """nginx in the foreground, with the shipped configuration, in front of ``upstreams``."""

    def __init__(self, upstreams: list[int], port: int | None = None) -> None:
        if len(upstreams) != len(SHIPPED_UPSTREAMS):
            raise ValueError("the shipped configuration has two app servers")
        self.upstreams = upstreams
        self.port = port or free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="qo-nginx-"))
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _write_config(self) -> Path:
        upstream = (DEPLOY / "quality-offer-upstream.conf").read_text()
        for shipped in SHIPPED_UPSTREAMS:
            if shipped not in upstream:
                raise AssertionError(f"the shipped upstream file no longer names {shipped}")
        # Each shipped port, wherever it stands (addresses, group names, the routing cookie's
        # values), becomes its test server's port.
        ports = {shipped.rsplit(":", 1)[1]: str(port)
                 for shipped, port in zip(SHIPPED_UPSTREAMS, self.upstreams, strict=True)}
        upstream = re.sub(r"\b(" + "|".join(ports) + r")\b", lambda m: ports[m.group(1)],
                          upstream)
        (self.dir / "quality-offer-upstream.conf").write_text(upstream)
        shutil.copy(DEPLOY / "quality-offer-locations.conf", self.dir)
        (self.dir / "tmp").mkdir(exist_ok=True)
        conf = self.dir / "nginx.conf"
        conf.write_text(NGINX_CONF.format(dir=self.dir, port=self.port))
        return conf

    def start(self, timeout: float = 20) -> Proxy:
        conf = self._write_config()
        cmd = [str(nginx_binary()), "-p", str(self.dir), "-e", str(self.dir / "error.log"),
               "-c", str(conf), "-g", "daemon off;"]
        if os.geteuid() == 0:  # never run the proxy as root: drop to nobody
            shutil.chown(self.dir, "nobody", "nogroup")
            for path in self.dir.rglob("*"):
                shutil.chown(path, "nobody", "nogroup")
            cmd = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *cmd]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("nginx exited: " + self.errors())
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("nginx did not start: " + self.errors())

    def stop(self) -> None:
        if self.proc is not None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
            self.proc = None

    def remove(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def errors(self) -> str:
        log = self.dir / "error.log"
        return log.read_text(errors="replace")[-3000:] if log.exists() else "(no error log)"

    # --- the access log: which app server answered ----------------------------------------

    def log_mark(self) -> int:
        log = self.dir / "access.log"
        return log.stat().st_size if log.exists() else 0

    def served_since(self, mark: int) -> list[tuple[str, str]]:
        """(path, upstream ports) of each request logged since ``mark``.

        A WebSocket is logged when it closes, so close the page before reading its line.
        """
        with (self.dir / "access.log").open("rb") as f:
            f.seek(mark)
            lines = f.read().decode().splitlines()
        out = []
        for line in lines:
            parts = line.split(" ", 6)
            out.append((parts[2], ",".join(re.findall(r":(\d+)", parts[6]))))
        return out

    def routes_mark(self) -> int:
        log = self.dir / "routes.log"
        return log.stat().st_size if log.exists() else 0

    def served_for(self, route: str, since: int = 0) -> list[tuple[str, str]]:
        """(path, upstream ports) of each request that carried the routing cookie ``route``,
        logged since ``since`` (a :meth:`routes_mark`)."""
        out = []
        with (self.dir / "routes.log").open("rb") as f:
            f.seek(since)
            lines = f.read().decode().splitlines()
        for line in lines:
            cookie, path, upstreams = line.split(" ", 2)
            if cookie == route:
                out.append((path, ",".join(re.findall(r":(\d+)", upstreams))))
        return out

    def route_to(self, upstream: int) -> str:
        """The routing cookie that sends a browser to ``upstream`` (it names the server's
        port), checked with one request through the proxy."""
        value = str(upstream)
        mark = self.log_mark()
        req = urllib.request.Request(f"{self.url}/_stcore/health",
                                     headers={"Cookie": f"{ROUTE_COOKIE}={value}"})
        with urllib.request.urlopen(req, timeout=5) as r:
            assert r.status == 200
            assert any(c.startswith(f"{ROUTE_COOKIE}={value};")
                       for c in r.headers.get_all("Set-Cookie") or ()), r.headers
        deadline = time.monotonic() + 2  # nginx logs just after answering
        while self.log_mark() == mark and time.monotonic() < deadline:
            time.sleep(0.01)
        assert self.served_since(mark)[-1][1] == value, f"the cookie {value} went elsewhere"
        return value


@contextmanager
def browser_on(browser: Any, proxy: Proxy, server: AppServer) -> Iterator[Any]:
    """A new browser whose routing cookie leads to ``server``; every request of it must
    reach that server (checked in the proxy's log when the browser closes)."""
    route = proxy.route_to(server.port)
    mark = proxy.routes_mark()
    with new_page(browser) as page:
        page.context.add_cookies([{"name": ROUTE_COOKIE, "value": route, "url": proxy.url}])
        yield page
        page.close()
    served = proxy.served_for(route, since=mark)
    assert len(served) > 10, "the browser's requests did not go through the proxy"
    assert {port for _path, port in served} == {str(server.port)}, served
