"""Is a path on a network drive? A SQLite register must not be (its locks and WAL shared
memory do not work across SMB or NFS: two people writing at once could corrupt it).

Detected where the system tells: on Linux from ``/proc/self/mountinfo`` (the file system of
the mount the path is on), on Windows from the drive type (a mapped network drive) or a UNC
path (``\\\\server\\share``). Elsewhere (macOS) nothing is detected and the README's advice
stands. Local FUSE file systems (e.g. fuse-overlayfs in a container) are not refused; only
FUSE file systems that are network clients by name.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

#: file system types that are network clients (as Linux names them in mountinfo)
NETWORK_TYPES = frozenset({
    "nfs", "nfs4", "cifs", "smb3", "smbfs", "ncpfs", "ncp", "9p", "afs", "ceph", "glusterfs",
    "lustre", "gpfs", "beegfs", "davfs", "coda", "fuse.sshfs", "fuse.rclone", "fuse.s3fs",
    "fuse.gcsfuse", "fuse.davfs", "fuse.glusterfs", "fuse.cephfs", "fuse.smbnetfs",
    "fuse.onedrive", "fuse.goofys", "fuse.juicefs",
})

_MOUNTINFO = Path("/proc/self/mountinfo")


def network_filesystem(path: str | Path, mountinfo: str | None = None) -> str:
    """The file system type when ``path`` (or, for a file not made yet, the nearest folder
    that exists) is on a network drive, else ''. ``mountinfo``: the text of
    ``/proc/self/mountinfo`` (read when None, on Linux)."""
    if sys.platform == "win32":
        return _windows_remote(Path(path))
    if mountinfo is None:
        if not sys.platform.startswith("linux"):
            return ""
        try:
            mountinfo = _MOUNTINFO.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
    target = _existing(Path(path))
    best, kind = "", ""
    for line in mountinfo.splitlines():
        fields = line.split(" - ", 1)
        if len(fields) != 2:
            continue
        before, after = fields[0].split(), fields[1].split()
        if len(before) < 5 or not after:
            continue
        point = _unescape(before[4])
        if _under(target, point) and len(point) >= len(best):
            best, kind = point, after[0]
    return kind if kind in NETWORK_TYPES else ""


def _existing(path: Path) -> str:
    """The absolute path with its links resolved as far as it exists (a register file not
    made yet is on the mount of its folder)."""
    path = Path(os.path.abspath(path))
    for candidate in (path, *path.parents):
        if candidate.exists():
            return str(candidate.resolve() / path.relative_to(candidate))
    return str(path)


def _under(path: str, point: str) -> bool:
    return point == "/" or path == point or path.startswith(point.rstrip("/") + "/")


def _unescape(text: str) -> str:
    # mountinfo writes space, tab, newline and backslash as octal escapes
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        text = text.replace(code, char)
    return text


def _windows_remote(path: Path) -> str:  # pragma: no cover - Windows only
    text = str(Path(os.path.abspath(path)))
    if text.startswith("\\\\"):
        return "UNC"
    import ctypes

    drive = os.path.splitdrive(text)[0]
    if not drive:
        return ""
    remote = 4  # DRIVE_REMOTE
    windll = getattr(ctypes, "windll", None)
    if windll is not None and windll.kernel32.GetDriveTypeW(drive + "\\") == remote:
        return "netwerkschijf"
    return ""
