"""Real SPARQL servers for the tests: an Oxigraph server (pip ``oxigraph``) and Virtuoso 7
(Debian ``virtuoso-opensource``), each on 127.0.0.1 with a free port and its own files under a
temporary folder, loaded from the dataset's N-Quads, stopped at the end of the session."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import requests

__all__ = ["free_port", "oxigraph_server", "oxigraph_store_server", "stop", "virtuoso_server"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(url: str, process: subprocess.Popen[bytes], log: Path, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped (exit {process.returncode}): {log.read_text()[-2000:]}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(url, params={"query": "ASK {}"}, timeout=2).status_code == 200:
                return
        time.sleep(0.3)
    raise RuntimeError(f"no answer from {url} within {seconds:g} s: {log.read_text()[-2000:]}")


def stop(process: subprocess.Popen[Any]) -> None:
    """Terminate a server process, killing it if it has not exited after 20 s."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def oxigraph_server(nquads: Path, folder: Path) -> Iterator[str]:
    """``oxigraph serve-read-only`` with its default settings (no union default graph)."""
    binary = shutil.which("oxigraph")
    if binary is None:
        raise FileNotFoundError("the oxigraph server is not installed: pip install oxigraph")
    location = folder / "oxigraph-db"
    subprocess.run([binary, "load", "--location", str(location), "--file", str(nquads)], check=True,
                   capture_output=True)  # fmt: skip
    port = free_port()
    log = folder / "oxigraph.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [binary, "serve-read-only", "--location", str(location), "--bind", f"127.0.0.1:{port}"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/query"
    try:
        _wait(url, process, log)
        yield url
    finally:
        stop(process)


@contextlib.contextmanager
def oxigraph_store_server(folder: Path) -> Iterator[tuple[str, str]]:
    """An empty, writable ``oxigraph serve``: (query URL, Graph Store Protocol URL)."""
    binary = shutil.which("oxigraph")
    if binary is None:
        raise FileNotFoundError("the oxigraph server is not installed: pip install oxigraph")
    port = free_port()
    log = folder / "oxigraph-store.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [binary, "serve", "--location", str(folder / "oxigraph-store-db"), "--bind", f"127.0.0.1:{port}"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait(f"{url}/query", process, log)
        yield f"{url}/query", f"{url}/store"
    finally:
        stop(process)


_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
TempStorage = TempDatabase
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
DirsAllowed = ., {data}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ThreadsPerQuery = 1
CheckpointInterval = 0
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 4
Charset = UTF-8
[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 0
"""


@contextlib.contextmanager
def virtuoso_server(nquads: Path | None, folder: Path) -> Iterator[str]:
    """Virtuoso 7 with its own ini and database in ``folder``, the N-Quads (or TriG) file
    bulk-loaded (``None``: empty; its Graph Store Protocol URL is the query URL with
    ``-graph-crud-auth`` appended, digest authentication as dba/dba)."""
    binary, isql = shutil.which("virtuoso-t"), shutil.which("isql-vt")
    if binary is None or isql is None:
        raise FileNotFoundError("Virtuoso is not installed: apt-get install virtuoso-opensource")
    data = folder / "virtuoso-data"
    data.mkdir(parents=True)
    if nquads is not None:
        shutil.copy(nquads, data / f"inograph{nquads.suffix}")
    sql_port, http_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(dir=folder, data=data, sql_port=sql_port, http_port=http_port))
    log = folder / "virtuoso.out"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [binary, "+foreground", "+configfile", str(ini)], cwd=folder, stdout=out, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{http_port}/sparql"
    try:
        _wait(url, process, log)
        if nquads is None:
            yield url
            return
        # the bulk loader reads the graph of each quad from the N-Quads (the graph argument is
        # only for triples without one)
        load = (
            f"ld_dir('{data}', '*{nquads.suffix}', 'https://w3id.org/inograph/graph/unnamed'); "
            "rdf_loader_run(); checkpoint; "
            "SELECT ll_state, ll_error FROM DB.DBA.load_list;"
        )
        done = subprocess.run(
            [isql, f"127.0.0.1:{sql_port}", "dba", "dba", f"exec={load}"],
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
        if "NULL" not in done.stdout:
            raise RuntimeError(f"Virtuoso did not load the dataset: {done.stdout[-2000:]}")
        yield url
    finally:
        stop(process)
