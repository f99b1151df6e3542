"""Errors shown to the security team (messages in Traditional Chinese)."""

from __future__ import annotations


class PackError(ValueError):
    """A pattern pack or policy file that cannot be used, and why.

    ``file`` and ``rule`` say where (``line``, 1-based, when the YAML shows it); ``reason``
    says what is wrong, in plain words.
    """

    def __init__(self, file: str, rule: str | None, reason: str, line: int | None = None):
        self.file = file
        self.rule = rule
        self.reason = reason
        self.line = line
        where = f"{file}" + (f" 第 {line} 行" if line else "") + (f"，規則 {rule}" if rule else "")
        super().__init__(f"{where}：{reason}")

    def at_line(self, line: int | None) -> PackError:
        """The same error, saying on which line of the file to look."""
        return self if line is None or line == self.line else PackError(self.file, self.rule, self.reason, line)

    def to_dict(self) -> dict[str, str | int | None]:
        return {"file": self.file, "rule": self.rule, "reason": self.reason, "line": self.line}


class PackErrors(ValueError):
    """Several problems found while loading packs; all are reported at once."""

    def __init__(self, errors: list[PackError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))

    def to_dict(self) -> list[dict[str, str | int | None]]:
        return [e.to_dict() for e in self.errors]
