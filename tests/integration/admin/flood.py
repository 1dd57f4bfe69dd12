#!/usr/bin/env python3
"""Holds COUNT connections open to 127.0.0.1:PORT, as a hostile local user would: even ones
idle, odd ones trickling one byte of an endless request head every 100 ms; one the server
closes is reopened at once. Prints "open N reopened M" after every round.

    flood.py PORT COUNT
"""
import errno
import resource
import select
import socket
import sys
import time

port, count = int(sys.argv[1]), int(sys.argv[2])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(count + 64, hard), hard))
HEAD = b"GET /v1/whoami HTTP/1.1\r\nHost: x\r\nX-Pad: "


def connect():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setblocking(False)
    try:
        s.connect(("127.0.0.1", port))
    except BlockingIOError:
        pass
    except OSError:
        s.close()
        return None
    return s


socks = [None] * count
sent = [0] * count
reopened = 0
while True:
    # Readable means closed: either the end of the stream or a last answer (408, 503) before it.
    poller = select.poll()
    for s in socks:
        if s is not None:
            poller.register(s, select.POLLIN)
    readable = {fd for fd, _ in poller.poll(0)}
    live = 0
    for i in range(count):
        s = socks[i]
        if s is not None:
            gone = s.fileno() in readable
            if not gone and i % 2 == 1:
                byte = HEAD[sent[i]:sent[i] + 1] or b"a"
                try:
                    if s.send(byte) == 1:
                        sent[i] += 1
                except BlockingIOError:
                    pass
                except OSError as e:
                    gone = e.errno not in (errno.ENOTCONN,)
            if gone:
                s.close()
                socks[i] = None
                reopened += 1
        if socks[i] is None:
            socks[i] = connect()
            sent[i] = 0
        if socks[i] is not None:
            live += 1
    print(f"open {live} reopened {reopened}", flush=True)
    time.sleep(0.1)
