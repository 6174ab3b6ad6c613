"""A small client for the real yaml-language-server over stdio (JSON-RPC with Content-Length
frames), enough to open a file and read the diagnostics the server publishes for it.

Facts it relies on (yaml-language-server 1.25): the server asks for its settings with
``workspace/configuration`` (the payload of ``didChangeConfiguration`` is ignored); it caches
parsed files by (uri, version), so every open uses a new version; it publishes diagnostics
once per open, about 0.2 s after it; and closing a file publishes an empty list for it.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

#: Where `.ci/run` installs the server (npm), unless METAFLASH_YAML_LANGUAGE_SERVER says.
DEFAULT_SERVER = (
    Path.home()
    / ".cache"
    / "metaflash-ci"
    / "yaml-language-server"
    / "node_modules"
    / ".bin"
    / "yaml-language-server"
)


def server_command() -> list[str] | None:
    found = Path(os.environ.get("METAFLASH_YAML_LANGUAGE_SERVER", DEFAULT_SERVER))
    return [str(found), "--stdio"] if found.is_file() else None


class YamlLanguageServer:
    def __init__(self, command: list[str], root: Path, settings: dict[str, Any]) -> None:
        self.settings = {
            "validate": True,
            "hover": True,
            "completion": True,
            "schemaStore": {"enable": False},  # no network
            "kubernetesCRDStore": {"enable": False},
            **settings,
        }
        self._process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        self._next_id = 0
        self._pending: dict[int, queue.Queue[dict[str, Any]]] = {}
        self._events: queue.Queue[dict[str, Any]] = queue.Queue()
        self._version = 0
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()
        uri = root.resolve().as_uri()
        self.request(
            "initialize",
            {
                "processId": os.getpid(),
                "rootUri": uri,
                "workspaceFolders": [{"uri": uri, "name": root.name}],
                "capabilities": {
                    "workspace": {"configuration": True, "workspaceFolders": True},
                    "textDocument": {"publishDiagnostics": {}},
                },
            },
        )
        self.notify("initialized", {})
        self.notify("workspace/didChangeConfiguration", {"settings": {"yaml": self.settings}})
        # answered only once the server has applied the settings: a barrier
        self.request("textDocument/codeLens", {"textDocument": {"uri": f"{uri}/none.yaml"}})

    def _send(self, message: dict[str, Any]) -> None:
        body = json.dumps(message).encode()
        with self._lock:
            assert self._process.stdin is not None
            self._process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
            self._process.stdin.flush()

    def _read(self) -> None:
        stream = self._process.stdout
        assert stream is not None
        while True:
            headers: dict[str, str] = {}
            while line := stream.readline().strip():
                key, _, value = line.decode("ascii").partition(":")
                headers[key.lower()] = value.strip()
            if not headers:
                return  # the server has gone
            message = json.loads(stream.read(int(headers["content-length"])))
            if "method" in message and "id" in message:  # the server asks
                self._send({"jsonrpc": "2.0", "id": message["id"], "result": self._answer(message)})
            elif "id" in message:
                self._pending.pop(message["id"]).put(message)
            else:
                self._events.put(message)

    def _answer(self, message: dict[str, Any]) -> object:
        if message["method"] != "workspace/configuration":
            return None
        return [
            self.settings if item.get("section") == "yaml" else {}
            for item in message["params"]["items"]
        ]

    def request(self, method: str, params: object, timeout: float = 30) -> object:
        self._next_id += 1
        answer: queue.Queue[dict[str, Any]] = queue.Queue()
        self._pending[self._next_id] = answer
        self._send({"jsonrpc": "2.0", "id": self._next_id, "method": method, "params": params})
        response = answer.get(timeout=timeout)
        if "error" in response:
            raise RuntimeError(response["error"])
        return response.get("result")

    def notify(self, method: str, params: object) -> None:
        self._send({"jsonrpc": "2.0", "method": method, "params": params})

    def _open(self, path: Path) -> str:
        """Open ``path`` as saved, under a version never used before; its uri."""
        uri = path.resolve().as_uri()
        self._version += 1
        self.notify(
            "textDocument/didOpen",
            {
                "textDocument": {
                    "uri": uri,
                    "languageId": "yaml",
                    "version": self._version,
                    "text": path.read_text(encoding="utf-8"),
                }
            },
        )
        return uri

    def diagnostics(self, path: Path, timeout: float = 20) -> list[dict[str, Any]]:
        """The diagnostics of ``path`` as saved: the server's first publication for it."""
        uri = self._open(path)
        deadline = time.monotonic() + timeout
        found: list[dict[str, Any]] | None = None
        while found is None:
            message = self._events.get(timeout=max(deadline - time.monotonic(), 0.01))
            params = message.get("params", {})
            if message.get("method") == "textDocument/publishDiagnostics" and (
                params.get("uri") == uri
            ):
                found = params["diagnostics"]
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        self._forget(uri)
        return found

    def ask(self, method: str, path: Path, line: int, character: int) -> object:
        """A request about a place in ``path`` (0-based), e.g. hover or completion."""
        uri = self._open(path)
        answer = self.request(
            method,
            {"textDocument": {"uri": uri}, "position": {"line": line, "character": character}},
        )
        self.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        self._forget(uri, wait=1.0)
        return answer

    def _forget(self, uri: str, wait: float = 0.5) -> None:
        """Swallow the empty list that closing ``uri`` publishes."""
        end = time.monotonic() + wait
        while time.monotonic() < end:
            try:
                message = self._events.get(timeout=end - time.monotonic())
            except queue.Empty:
                return
            if message.get("params", {}).get("uri") == uri:
                return

    def close(self) -> None:
        try:
            self.request("shutdown", None, timeout=5)
            self.notify("exit", None)
            self._process.wait(timeout=5)
        except (queue.Empty, RuntimeError, subprocess.TimeoutExpired, OSError):
            self._process.kill()
            self._process.wait()
        finally:
            for stream in (self._process.stdin, self._process.stdout):
                if stream is not None:
                    stream.close()
