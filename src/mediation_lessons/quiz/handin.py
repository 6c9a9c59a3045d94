"""Hand-in on a shared server: the quiz copies every graded attempt into a class folder.

Nothing happens unless an admin names a class folder, in this order:

1. the environment variable ``MEDIATION_LESSONS_CLASS_DIR`` (on JupyterHub:
   ``c.Spawner.environment`` or Zero to JupyterHub's ``singleuser.extraEnv``);
2. a TOML file, ``$MEDIATION_LESSONS_CONFIG`` or else ``/etc/mediation-lessons/config.toml``::

       [handin]
       class_dir = "/srv/class/spring-2026"
       identity = "os-user"        # or "hub-user"

Each learner appends to their own file, ``<class>/<user>/<quiz>.jsonl``, one JSON record
per line (the record the progress store saved). ``<user>`` is the login name (identity
``os-user``, the default: The Littlest JupyterHub and any machine with one account per
student) or ``$JUPYTERHUB_USER`` (identity ``hub-user``, also settable as
``$MEDIATION_LESSONS_HANDIN_ID``: Zero to JupyterHub, where every container runs as the
same ``jovyan`` account). Names are made safe for a file name (other characters are
%-escaped).

Safety, with the folder set up as ``docs/teachers_hub.md`` says (``chmod 3753``: setgid,
sticky, students may create entries but not list or delete them):

* the user folder is created ``0750`` and the file ``0640``; both must be owned by the
  writing account, and are never followed through a symlink (``O_NOFOLLOW``), so a
  student who creates another's folder first only blocks them (the hand-in refuses and
  says so, and ``mediation-lessons results`` leaves a folder owned by the wrong account
  out with a warning); nobody can write into another's folder;
* each record is one ``write`` of one line to a file opened ``O_APPEND``, under an
  exclusive ``flock``: many kernels at once lose nothing and never interleave.

:func:`hand_in` never raises: the quiz must go on if the class folder is unreachable. It
returns ``None`` when the record was handed in or no class folder is set, else a message.
"""

from __future__ import annotations

import json
import logging
import os
import re
import stat
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CLASS_DIR_ENV = "MEDIATION_LESSONS_CLASS_DIR"
CONFIG_ENV = "MEDIATION_LESSONS_CONFIG"
IDENTITY_ENV = "MEDIATION_LESSONS_HANDIN_ID"
SYSTEM_CONFIG = Path("/etc/mediation-lessons/config.toml")
IDENTITIES = ("os-user", "hub-user")
FIELDS = ("learner", "quiz", "question", "attempt", "score", "status", "answer", "time")
SUFFIX = ".jsonl"
_BANK_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_SAFE = re.compile(r"[A-Za-z0-9_@.-]")
log = logging.getLogger(__name__)


class HandInError(Exception):
    """The class folder is set but this record cannot be handed in (the message says why)."""


@dataclass(frozen=True)
class Settings:
    class_dir: Path
    identity: str
    source: str  # where the setting came from, for messages


def _read_config(path: Path) -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except (OSError, ValueError) as exc:
        raise HandInError(f"{path}: cannot read the hand-in settings: {exc}") from None
    section = data.get("handin", {})
    if not isinstance(section, dict):
        raise HandInError(f"{path}: [handin] must be a table")
    return section


def settings(environ: dict | None = None) -> Settings | None:
    """Where and as whom to hand in, or None when no class folder is set."""
    env = os.environ if environ is None else environ
    config_path = Path(env.get(CONFIG_ENV) or SYSTEM_CONFIG)
    section = _read_config(config_path) if config_path.is_file() else {}
    class_dir = env.get(CLASS_DIR_ENV) or section.get("class_dir")
    if not class_dir:
        return None
    source = f"${CLASS_DIR_ENV}" if env.get(CLASS_DIR_ENV) else str(config_path)
    identity = env.get(IDENTITY_ENV) or section.get("identity") or "os-user"
    if not isinstance(class_dir, str) or not os.path.isabs(class_dir):
        raise HandInError(f"{source}: the class folder must be an absolute path, not {class_dir!r}")
    if identity not in IDENTITIES:
        raise HandInError(f"{source}: identity must be one of {', '.join(IDENTITIES)}, not {identity!r}")
    return Settings(Path(class_dir), identity, source)


def login_name() -> str:
    """The account this kernel runs as."""
    try:
        import pwd

        return pwd.getpwuid(os.geteuid()).pw_name
    except (ImportError, KeyError):
        import getpass

        return getpass.getuser()


def user_name(identity: str, environ: dict | None = None) -> str:
    """The name of this learner's folder in the class folder (see the module's docstring)."""
    env = os.environ if environ is None else environ
    if identity == "hub-user":
        name = env.get("JUPYTERHUB_USER")
        if not name:
            raise HandInError("identity is hub-user but $JUPYTERHUB_USER is not set (not running under JupyterHub?)")
    else:
        name = login_name()
    return folder_name(name)


def folder_name(name: str) -> str:
    """``name`` as one safe path component: letters, digits and ``_ @ . -`` kept, every
    other character %-escaped (UTF-8), a leading dot escaped too. Never empty."""
    out = "".join(ch if _SAFE.fullmatch(ch) else "".join(f"%{b:02X}" for b in ch.encode("utf-8")) for ch in name)
    if out.startswith("."):
        out = "%2E" + out[1:]
    return out[:200] or "%00"


def _own_dir(path: Path) -> None:
    """Create ``path`` (0750) unless it exists; it must be a real folder owned by us."""
    try:
        os.mkdir(path, 0o750)
    except FileExistsError:
        pass
    st = os.lstat(path)
    if not stat.S_ISDIR(st.st_mode):
        raise HandInError(f"{path} is not a folder: ask your teacher")
    if hasattr(os, "geteuid") and st.st_uid != os.geteuid():
        raise HandInError(f"{path} belongs to another account (uid {st.st_uid}): your answers cannot be handed "
                          "in there; ask your teacher")
    if st.st_mode & 0o022 and os.name == "posix":
        os.chmod(path, stat.S_IMODE(st.st_mode) & ~0o022)


def append_record(class_dir: Path, user: str, record: dict) -> Path:
    """Append ``record`` as one line to ``<class_dir>/<user>/<quiz>.jsonl``; returns the file.
    Raises :class:`HandInError` (or ``OSError``) when it cannot."""
    quiz = record.get("quiz")
    if not isinstance(quiz, str) or not _BANK_ID.fullmatch(quiz):
        raise HandInError(f"not a quiz id: {quiz!r}")
    if folder_name(user) != user:
        raise HandInError(f"not a safe folder name: {user!r}")
    if not class_dir.is_dir():
        raise HandInError(f"the class folder {class_dir} does not exist: ask your teacher")
    folder = class_dir / user
    _own_dir(folder)
    path = folder / f"{quiz}{SUFFIX}"
    line = (json.dumps({k: record[k] for k in FIELDS}, ensure_ascii=False, allow_nan=False) + "\n").encode("utf-8")
    flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(path, flags, 0o640)
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or (hasattr(os, "geteuid") and st.st_uid != os.geteuid()):
            raise HandInError(f"{path} belongs to another account: your answers cannot be handed in there")
        if st.st_mode & 0o022 and hasattr(os, "fchmod"):
            os.fchmod(fd, stat.S_IMODE(st.st_mode) & ~0o022)
        _lock(fd)
        view = memoryview(line)
        while view:
            view = view[os.write(fd, view):]
        os.fsync(fd)
    finally:
        os.close(fd)  # closing releases the lock
    return path


def _lock(fd: int) -> None:
    if sys.platform == "win32":
        return
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_EX)


def hand_in(record: dict[str, Any], environ: dict | None = None) -> str | None:
    """Hand one graded attempt in, when a class folder is set. Never raises: returns
    None (handed in, or nothing to do) or a message saying why it was not handed in."""
    try:
        found = settings(environ)
        if found is None:
            return None
        append_record(found.class_dir, user_name(found.identity, environ), record)
        return None
    except Exception as exc:  # noqa: BLE001 - whatever goes wrong here, the learner's quiz goes on
        message = f"not handed in to the class folder: {exc}"
        log.warning(message)
        return message
