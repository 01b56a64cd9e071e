"""A local TCP listener counting the connections it is offered: where the SERVICE IRIs of the federation
tests (tests/test_limits.py, tests/test_serve.py) and of the fuzz benchmark (benchmarks/fuzz.py) point, so
that a SERVICE call that got out of the query engine is counted, never answered."""

from __future__ import annotations

import socket
import threading


class Listener:
    """Listens on a free port of 127.0.0.1 (``port``) and counts the connections it accepts (``connections``)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port, self.connections = self.sock.getsockname()[1], 0
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            client.close()

    def close(self) -> None:
        self.sock.close()
