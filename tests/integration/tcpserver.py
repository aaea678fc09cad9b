"""Loopback TCP peers for the guest's TCP tests (reached from the guest as
10.0.2.2:PORT). Each runs one connection in a thread and records what it
saw; close() stops it. Modes:
    source   sends `size` bytes of pattern(), then closes (FIN)
    sink     reads until EOF, records byte count and SHA-256
    reset    sends `size` bytes, then aborts with a RST (SO_LINGER 0)
`delay` seconds are waited after accept before reading/sending (a slow peer)."""
import hashlib, socket, struct, threading, time


def _periodic(block, n):
    return (block * (n // 256 + 1))[:n]


def pattern(n):
    """What the source sends: byte i is (7i + 3) & 0xff (period 256)."""
    return _periodic(bytes((i * 7 + 3) & 0xFF for i in range(256)), n)


def upload_pattern(n):
    """What tcpput= sends: byte i is i & 0xff."""
    return _periodic(bytes(range(256)), n)


class TCPServer:
    def __init__(self, mode, size=0, delay=0.0, rcvbuf=None):
        self.mode, self.size, self.delay = mode, size, delay
        self.data = pattern(size) if mode in ("source", "reset") else b""
        self.received = 0
        self.sha256 = None
        self.error = None
        self.done = threading.Event()
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if rcvbuf:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.sock.listen(1)
        self.sock.settimeout(0.2)
        self._stop = False
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        while not self._stop:
            try:
                c, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            try:
                c.settimeout(900)       # Python: a bound on the whole sendall()
                if self.delay:
                    time.sleep(self.delay)
                if self.mode == "source":
                    c.sendall(self.data)
                elif self.mode == "reset":
                    c.sendall(self.data)
                    time.sleep(0.5)
                    c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                elif self.mode == "sink":
                    h = hashlib.sha256()
                    while True:
                        d = c.recv(65536)
                        if not d:
                            break
                        h.update(d)
                        self.received += len(d)
                    self.sha256 = h.hexdigest()
            except Exception as e:          # recorded for the assertion message
                self.error = repr(e)
            finally:
                c.close()
                self.done.set()
            return

    def close(self):
        self._stop = True
        self.sock.close()
        self.thread.join(timeout=5)
