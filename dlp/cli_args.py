"""Command-line plumbing for ``dlp``: one-line Chinese errors, argument types, argv bytes.

Every mistake on the command line ends the same way: one line on stderr in Traditional Chinese,
exit status 2, no traceback (``CliError`` is raised by the commands; ``ChineseArgumentParser``
turns argparse's own complaints into the same shape).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from typing import NoReturn

EXIT_USAGE = 2


class CliError(Exception):
    """A mistake the user can fix; ``str(exc)`` is the one line shown (Traditional Chinese)."""


#: argparse's English complaints -> the same in Chinese (the parts in {} are kept verbatim).
_ARGPARSE_MESSAGES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), text)
    for pattern, text in (
        (r"^the following arguments are required: (?P<x>.+)$", "缺少必要的參數：{x}"),
        (r"^unrecognized arguments: (?P<x>.+)$", "不認得的參數：{x}"),
        (r"^argument (?P<a>[^:]+): invalid choice: (?P<x>\S+) \(choose from (?P<c>.+)\)$", "{a} 的值 {x} 不在可用的選項中（可用：{c}）"),
        (r"^argument (?P<a>[^:]+): invalid (?P<t>\w+) value: (?P<x>.+)$", "{a} 的值 {x} 格式不對（應為 {t}）"),
        (r"^argument (?P<a>[^:]+): expected one argument$", "{a} 後面要接一個值"),
        (r"^argument (?P<a>[^:]+): expected at least one argument$", "{a} 後面至少要接一個值"),
        (r"^argument (?P<a>[^:]+): (?P<x>.+)$", "{a}：{x}"),
    )
)


def translate_argparse_message(message: str) -> str:
    for pattern, text in _ARGPARSE_MESSAGES:
        m = pattern.match(message)
        if m:
            return text.format(**m.groupdict())
    return message


class ChineseArgumentParser(argparse.ArgumentParser):
    """argparse with its errors as one Chinese line (subcommand parsers inherit the class)."""

    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}：參數有誤：{printable(translate_argparse_message(message))}"
              f"（用法見 {self.prog} --help）", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def positive_int(value: str) -> int:
    """An argparse type: an integer of at least 1, with a Chinese complaint otherwise."""
    return _bounded_int(value, 1, "正整數（1 以上）")


def non_negative_int(value: str) -> int:
    """An argparse type: an integer of at least 0."""
    return _bounded_int(value, 0, "0 以上的整數")


def port_number(value: str) -> int:
    """An argparse type: a TCP port (1-65535)."""
    port = _bounded_int(value, 1, "1 到 65535 的連接埠號碼")
    if port > 65535:
        raise argparse.ArgumentTypeError(f"{port} 不行，應為 1 到 65535 的連接埠號碼")
    return port


def _bounded_int(value: str, minimum: int, what: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"「{printable(value)}」不是整數，應為{what}") from None
    if number < minimum:
        raise argparse.ArgumentTypeError(f"{number} 不行，應為{what}")
    return number


def argument_bytes(value: str) -> bytes:
    """The bytes the shell passed: Python decoded argv with surrogateescape, undo that."""
    return os.fsencode(value)


def has_undecodable_bytes(value: str) -> bool:
    """True when an argument carried bytes that were not valid in the locale's encoding."""
    return any("\udc80" <= ch <= "\udcff" for ch in value)


def plain_argument(value: str | None, option: str) -> str | None:
    """An option value that is not content (an address, a group id): must be readable text."""
    if value is not None and has_undecodable_bytes(value):
        raise CliError(f"{option} 的值含有無法解碼的位元組（請使用 UTF-8）：{printable(value)}")
    return value


def unreadable(exc: OSError, name: str, what: str = "檔案") -> CliError:
    """The one line for a file that could not be read."""
    shown = printable(name)
    if isinstance(exc, FileNotFoundError):
        return CliError(f"找不到{what}：{shown}")
    if isinstance(exc, IsADirectoryError):
        return CliError(f"{shown} 是目錄，不是{what}")
    if isinstance(exc, PermissionError):
        return CliError(f"沒有權限讀取{what}：{shown}")
    return CliError(f"無法讀取{what} {shown}：{exc.strerror or exc}")


def printable(text: str) -> str:
    """``text`` safe to print anywhere: undecodable bytes shown as \\xNN, no lone surrogates."""
    try:
        data = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate that did not come from argv bytes
        return text.encode("utf-8", "backslashreplace").decode("utf-8")
    return data.decode("utf-8", "backslashreplace")
