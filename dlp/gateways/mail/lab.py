"""A private Postfix on loopback, an SMTP sink and a milter process: for the tests, the
benchmark and for trying the gateway on a workstation (root needed: Postfix starts as root).

The Postfix instance is the Debian package's binaries with a configuration and queue of its
own under a temporary directory (``postfix -c DIR``): the system instance is never touched and
nothing is chrooted. It listens on three loopback ports:

* ``gateway`` — smtpd with ``smtpd_milters`` = the milter: what a user's mail client talks to;
* ``plain``   — smtpd without milters (the benchmark's baseline);
* ``relay``   — smtpd without milters whose mail is passed on to ``gateway`` over SMTP
  (``content_filter``): an agency's inner mail server that queues and retries when the gateway
  answers 451.

Everything is relayed to the sink (``relayhost``). Queue retries are 1-2 s apart, not minutes.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

POSTFIX = "/usr/sbin/postfix"
REPO = Path(__file__).resolve().parents[3]


class PostfixUnavailable(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for_port(port: int, timeout: float, alive: Callable[[], bool] = lambda: True) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not alive():
            raise RuntimeError(f"process listening on {port} exited")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listening on 127.0.0.1:{port} after {timeout:g}s")


def require_postfix() -> None:
    """Raise ``PostfixUnavailable`` with what to do when this machine cannot run the lab."""
    if not Path(POSTFIX).exists() or not shutil.which("postqueue", path="/usr/sbin:/usr/bin"):
        raise PostfixUnavailable("Postfix 未安裝（找不到 /usr/sbin/postfix）：以 root 執行 `bash scripts/ci-system-deps.sh`（apt-get install postfix）")
    if os.geteuid() != 0:
        raise PostfixUnavailable("私有的 Postfix 測試環境需要 root（postfix start 以 root 啟動）")


_MAIN_CF = """\
compatibility_level = 3.6
queue_directory = {base}/spool
data_directory = {base}/data
maillog_file = {base}/maillog
maillog_file_prefixes = {base}
myhostname = dlp-lab.localdomain
mydomain = localdomain
myorigin = $myhostname
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relayhost = [127.0.0.1]:{sink}
default_transport = smtp
relay_transport = smtp
smtp_dns_support_level = disabled
smtpd_error_sleep_time = 0
smtpd_soft_error_limit = 1000
smtpd_hard_error_limit = 1000
smtpd_client_connection_count_limit = 0
in_flow_delay = 0
queue_run_delay = 1s
minimal_backoff_time = 1s
maximal_backoff_time = 2s
default_process_limit = 50
milter_default_action = tempfail
milter_protocol = 6
milter_connect_timeout = 5s
milter_command_timeout = 30s
milter_content_timeout = 90s
non_smtpd_milters = {milter}
"""

_MASTER_CF = """\
127.0.0.1:{gateway} inet n - n - - smtpd -o smtpd_milters={milter}
127.0.0.1:{plain} inet n - n - - smtpd -o smtpd_milters=
127.0.0.1:{relay} inet n - n - - smtpd -o smtpd_milters= -o content_filter=smtp:[127.0.0.1]:{gateway}
pickup     unix  n - n 60 1 pickup
cleanup    unix  n - n -  0 cleanup
qmgr       unix  n - n 300 1 qmgr
rewrite    unix  - - n -  - trivial-rewrite
bounce     unix  - - n -  0 bounce
defer      unix  - - n -  0 bounce
trace      unix  - - n -  0 bounce
verify     unix  - - n -  1 verify
flush      unix  n - n 1000? 0 flush
proxymap   unix  - - n -  - proxymap
proxywrite unix  - - n -  1 proxymap
smtp       unix  - - n -  - smtp
relay      unix  - - n -  - smtp
showq      unix  n - n -  - showq
error      unix  - - n -  - error
retry      unix  - - n -  - error
discard    unix  - - n -  - discard
anvil      unix  - - n -  1 anvil
scache     unix  - - n -  1 scache
postlog    unix-dgram n - n - 1 postlogd
"""


@dataclass
class LabPorts:
    gateway: int
    plain: int
    relay: int
    sink: int
    milter: int

    @classmethod
    def pick(cls) -> LabPorts:
        return cls(free_port(), free_port(), free_port(), free_port(), free_port())


class PostfixLab:
    def __init__(self, ports: LabPorts, base: Path | None = None):
        # Postfix's daemons run as user postfix: every directory above the queue must be
        # searchable by it (pytest's tmp_path is not), so the default is a fresh /tmp directory.
        self.base = Path(base) if base else Path(tempfile.mkdtemp(prefix="dlp-postfix-lab-"))
        os.chmod(self.base, 0o755)
        self.ports = ports
        self.config_dir = self.base / "conf"

    @property
    def milter_spec(self) -> str:
        return f"inet:127.0.0.1:{self.ports.milter}"

    def _postfix(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        # Postfix writes its errors to the terminal only; keep them for the failure message.
        done = subprocess.run([POSTFIX, "-c", str(self.config_dir), *args], capture_output=True, text=True, timeout=60)
        if check and done.returncode != 0:
            raise PostfixUnavailable(f"postfix {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}\n{self.log_tail()}")
        return done

    def start(self) -> None:
        require_postfix()
        for sub in ("conf", "spool", "data"):
            (self.base / sub).mkdir(parents=True, exist_ok=True)
        shutil.chown(self.base / "data", user="postfix")
        values = {"base": self.base, "sink": self.ports.sink, "milter": self.milter_spec, "gateway": self.ports.gateway,
                  "plain": self.ports.plain, "relay": self.ports.relay}
        (self.config_dir / "main.cf").write_text(_MAIN_CF.format(**values), encoding="utf-8")
        (self.config_dir / "master.cf").write_text(_MASTER_CF.format(**values), encoding="utf-8")
        self._postfix("check")
        self._postfix("start")
        for port in (self.ports.gateway, self.ports.plain, self.ports.relay):
            try:
                wait_for_port(port, 20)
            except TimeoutError as exc:
                raise PostfixUnavailable(f"Postfix started but does not listen: {exc}\n{self.log_tail()}") from None

    def stop(self) -> None:
        if (self.config_dir / "main.cf").exists():
            self._postfix("stop", check=False)

    def command(self, name: str, *args: str) -> str:
        done = subprocess.run([f"/usr/sbin/{name}", "-c", str(self.config_dir), *args], capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            raise RuntimeError(f"{name} {' '.join(args)}: {done.stderr.strip()}")
        return done.stdout

    def queue(self) -> list[dict]:
        return [json.loads(line) for line in self.command("postqueue", "-j").splitlines() if line.strip()]

    def flush(self) -> None:
        self.command("postqueue", "-f")

    def log_tail(self, lines: int = 30) -> str:
        path = self.base / "maillog"
        if not path.exists():
            return "(no maillog)"
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


@dataclass
class Delivered:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes

    def message(self):  # -> email.message.EmailMessage
        import email
        import email.policy

        return email.message_from_bytes(self.content, policy=email.policy.default)


class SmtpSink:
    """An SMTP server on loopback (aiosmtpd) that keeps every mail Postfix hands it."""

    def __init__(self, port: int):
        self.port = port
        self.mails: list[Delivered] = []
        self._cond = threading.Condition()
        self._controller = None

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd handler hook
        with self._cond:
            self.mails.append(Delivered(envelope.mail_from, list(envelope.rcpt_tos), bytes(envelope.original_content or envelope.content)))
            self._cond.notify_all()
        return "250 2.0.0 kept"

    def start(self) -> None:
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()

    def wait_for(self, predicate: Callable[[Delivered], bool], timeout: float = 30) -> Delivered:
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for mail in self.mails:
                    if predicate(mail):
                        return mail
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("the sink did not receive the expected mail")
                self._cond.wait(left)

    def count(self, predicate: Callable[[Delivered], bool]) -> int:
        with self._cond:
            return sum(1 for m in self.mails if predicate(m))


class MilterProcess:
    """``dlp milter`` as a child process (so a test can kill it like a crash would)."""

    def __init__(self, listen_port: int, args: list[str], log_path: Path, env: dict[str, str] | None = None):
        self.port = listen_port
        self.args = args
        self.log_path = log_path
        self.env = env or {}
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 120) -> None:
        cmd = [sys.executable, "-c", "import sys; from dlp.cli import main; sys.exit(main())", "milter",
               "--listen", f"inet:127.0.0.1:{self.port}", *self.args]
        log = open(self.log_path, "ab")  # noqa: SIM115 - closed with the process
        self.proc = subprocess.Popen(cmd, cwd=REPO, env={**os.environ, **self.env}, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        try:
            wait_for_port(self.port, timeout, alive=lambda: self.proc is not None and self.proc.poll() is None)
        except (RuntimeError, TimeoutError) as exc:
            raise RuntimeError(f"dlp milter did not start: {exc}\n{self.log_tail()}") from None

    def kill(self) -> None:
        """SIGKILL, as a crash: no goodbye to Postfix."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"


@contextlib.contextmanager
def running_lab(base: Path | None = None) -> Iterator[tuple[PostfixLab, SmtpSink]]:
    """Postfix and the sink, started and stopped together (the milter is the caller's)."""
    ports = LabPorts.pick()
    sink = SmtpSink(ports.sink)
    sink.start()
    lab = PostfixLab(ports, base)
    try:
        lab.start()
        yield lab, sink
    finally:
        lab.stop()
        sink.stop()
