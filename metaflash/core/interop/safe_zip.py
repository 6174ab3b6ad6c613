"""Reading untrusted zip archives (Anki packages) without trusting them.

- Every member name is checked, even the ones never extracted: absolute paths, drive letters,
  backslashes, ``..`` components and control characters are refused (zip slip).
- Declared sizes, the number of members and the compression ratio are checked first, then
  every member is streamed with a hard byte limit that counts the real bytes: a header that
  lies about its size cannot make the reader write more than the limit.
- Nothing is ever extracted by member name: callers choose the destination file.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import IO, Self

from metaflash.core.interop.import_result import (
    CancelCheck,
    ImportAborted,
    ImportCancelled,
    ImportLimits,
    fail,
)

_CHUNK = 1 << 20
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_DAMAGED = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    NotImplementedError,
    ValueError,
)


def unsafe_member_reason(name: str) -> str | None:
    """Why a member name could write outside a folder (or ``None`` when it is harmless)."""
    if not name:
        return "an empty name"
    if name.startswith(("/", "\\")) or _DRIVE.match(name):
        return "an absolute path"
    if "\\" in name:
        return "a backslash"
    if _CONTROL.search(name):
        return "a control character"
    if ".." in PurePosixPath(name).parts:
        return "a '..' component"
    return None


class SafeArchive:
    """An open zip archive whose members were checked against ``limits``."""

    def __init__(self, path: Path, limits: ImportLimits, cancelled: CancelCheck) -> None:
        self.path = path
        self.limits = limits
        self._cancelled = cancelled
        self._written = 0
        try:
            self._zip = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise fail(path, "file not found", "check the path") from None
        except IsADirectoryError:
            raise fail(
                path, "is a folder, not a package", "give the path of an .apkg or .colpkg file"
            ) from None
        except (zipfile.BadZipFile, OSError, *_DAMAGED):
            raise fail(
                path,
                "not a zip archive, so not an Anki package",
                "export the deck again from Anki (File > Export, Anki Deck Package)",
            ) from None
        try:
            self._infos = self._check_members()
        except ImportAborted:
            self._zip.close()
            raise

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_members(self) -> dict[str, zipfile.ZipInfo]:
        infos = self._zip.infolist()
        limits = self.limits
        if len(infos) > limits.max_members:
            raise fail(
                self.path,
                f"the archive has {len(infos)} members (at most {limits.max_members})",
                "this is not a package metaflash can import safely",
            )
        by_name: dict[str, zipfile.ZipInfo] = {}
        total = 0
        for info in infos:
            reason = unsafe_member_reason(info.filename)
            if reason is not None:
                raise fail(
                    self.path,
                    f"unsafe path {info.filename!r} in the archive ({reason})",
                    "the package is damaged or hostile; nothing was written",
                )
            if info.filename in by_name:
                raise fail(
                    self.path,
                    f"the archive holds {info.filename!r} twice",
                    "the package is damaged or hostile; nothing was written",
                )
            if info.flag_bits & 0x1:
                raise fail(
                    self.path,
                    f"{info.filename!r} is encrypted",
                    "export the package again without a password",
                )
            if info.file_size > limits.max_member_bytes:
                raise fail(
                    self.path,
                    f"{info.filename!r} expands to {info.file_size} bytes "
                    f"(at most {limits.max_member_bytes})",
                    "this package is too large to import",
                )
            if info.file_size > limits.ratio_floor and info.file_size > limits.max_ratio * max(
                info.compress_size, 1
            ):
                raise fail(
                    self.path,
                    f"{info.filename!r} expands {info.file_size // max(info.compress_size, 1)} "
                    f"times (a zip bomb?)",
                    "the package is damaged or hostile; nothing was written",
                )
            total += info.file_size
            by_name[info.filename] = info
        if total > limits.max_total_bytes:
            raise fail(
                self.path,
                f"the archive expands to {total:,} bytes (at most {limits.max_total_bytes:,})",
                "this package is too large to import; nothing was written",
            )
        packed = max(self.path.stat().st_size, 1)
        if total > limits.ratio_floor and total > limits.max_ratio * packed:
            raise fail(
                self.path,
                f"its {len(infos)} members together expand {total // packed} times, to "
                f"{total:,} bytes (a zip bomb?)",
                "the package is damaged or hostile; nothing was written",
            )
        return by_name

    def names(self) -> frozenset[str]:
        return frozenset(self._infos)

    def size(self, name: str) -> int:
        return self._infos[name].file_size

    @contextmanager
    def _open(self, name: str) -> Iterator[IO[bytes]]:
        info = self._infos.get(name)
        if info is None:
            raise fail(self.path, f"{name!r} is missing from the archive")
        try:
            with self._zip.open(info) as stream:
                yield stream
        except _DAMAGED as error:
            raise fail(
                self.path, f"{name!r} is damaged ({error})", "export the package again"
            ) from None

    def _chunks(self, name: str, max_bytes: int) -> Iterator[bytes]:
        """The member's bytes in chunks, stopping hard at the limits whatever the header says."""
        declared = self._infos[name].file_size if name in self._infos else 0
        seen = 0
        with self._open(name) as stream:
            while True:
                if self._cancelled():
                    raise ImportCancelled()
                try:
                    chunk = stream.read(_CHUNK)
                except _DAMAGED as error:
                    raise fail(
                        self.path, f"{name!r} is damaged ({error})", "export the package again"
                    ) from None
                if not chunk:
                    return
                seen += len(chunk)
                self._written += len(chunk)
                if seen > min(max_bytes, declared) or self._written > self.limits.max_total_bytes:
                    raise fail(
                        self.path,
                        f"{name!r} expands beyond {min(max_bytes, declared)} bytes",
                        "the package is damaged or hostile; nothing was written",
                    )
                yield chunk

    def same_bytes(self, name: str, existing: Path) -> bool:
        """Whether member ``name`` holds exactly the bytes of the file ``existing``."""
        try:
            if existing.stat().st_size != self.size(name):
                return False
            with open(existing, "rb") as stream, self._open(name) as member:
                while True:
                    chunk = member.read(_CHUNK)
                    if chunk != stream.read(len(chunk) or 1):
                        return False
                    if not chunk:
                        return True
        except (OSError, *_DAMAGED):
            return False

    def read(self, name: str, max_bytes: int) -> bytes:
        return b"".join(self._chunks(name, max_bytes))

    def extract_to(self, name: str, destination: Path) -> int:
        """Stream member ``name`` into the file ``destination`` (chosen by the caller)."""
        written = 0
        with open(destination, "xb") as out:
            for chunk in self._chunks(name, self.limits.max_member_bytes):
                out.write(chunk)
                written += len(chunk)
        return written
