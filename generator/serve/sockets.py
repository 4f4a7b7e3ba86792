"""The preview's port: listened on before the first build, and kept until the preview stops."""

from __future__ import annotations

import errno
import socket

from generator.errors import ServeError

PORT_ATTEMPTS = 10
"""Ports tried, from the one asked for, before the preview gives up."""


def listen(host: str, port: int, attempts: int = PORT_ATTEMPTS) -> list[socket.socket]:
    """Listen on `port`, or on the next free one, and keep the sockets, so no other program
    can take the port before the preview serves on it; port 0 lets the system pick one.
    Raise ServeError if every port tried is taken."""
    last = port if port == 0 else port + attempts - 1
    for candidate in range(port, last + 1):
        try:
            return _bind(host, candidate)
        except OSError as exc:
            if exc.errno in {errno.EADDRINUSE, errno.EACCES}:
                continue
            raise ServeError(f"cannot listen on {host}:{candidate}: {exc.strerror}") from None
    raise ServeError(f"ports {port} to {last} on {host} are all in use — pass --port")


def _bind(host: str, port: int) -> list[socket.socket]:
    """Listen at `port` on every address of `host`, as Tornado's `bind_sockets` does, but
    close what was opened if a bind fails. Port 0: one port the system picks, for all."""
    sockets: list[socket.socket] = []
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        for family, kind, proto, _, address in dict.fromkeys(found):
            sock = socket.socket(family, kind, proto)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:  # the IPv4 address, if any, gets its own socket
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            if port == 0 and sockets:
                address = (address[0], sockets[0].getsockname()[1], *address[2:])
            try:
                sock.bind(address)
            except OSError as exc:
                sock.close()
                if (
                    exc.errno == errno.EADDRNOTAVAIL
                    and host == "localhost"
                    and family == socket.AF_INET6
                ):
                    continue  # ::1 where IPv6 is half disabled (Docker): 127.0.0.1 will do
                raise
            sockets.append(sock)
            sock.listen(128)
            sock.setblocking(False)
        if not sockets:
            raise OSError(errno.EADDRNOTAVAIL, f"{host} has no address to listen on")
    except BaseException:
        for sock in sockets:
            sock.close()
        raise
    return sockets
