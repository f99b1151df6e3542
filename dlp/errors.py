"""Errors shown to the security team (messages in Traditional Chinese)."""

from __future__ import annotations


class PackError(ValueError):
    """A pattern pack or policy file that cannot be used, and why.

    ``file`` and ``rule`` say where; ``reason`` says what is wrong, in plain words.
    """

    def __init__(self, file: str, rule: str | None, reason: str):
        self.file = file
        self.rule = rule
        self.reason = reason
        where = f"{file}" + (f"，規則 {rule}" if rule else "")
        super().__init__(f"{where}：{reason}")

    def to_dict(self) -> dict[str, str | None]:
        return {"file": self.file, "rule": self.rule, "reason": self.reason}


class PackErrors(ValueError):
    """Several problems found while loading packs; all are reported at once."""

    def __init__(self, errors: list[PackError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))

    def to_dict(self) -> list[dict[str, str | None]]:
        return [e.to_dict() for e in self.errors]
