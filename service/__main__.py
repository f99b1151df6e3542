"""``python -m service serve|keys|audit ...``: the same commands as ``dlp serve`` etc."""

from __future__ import annotations

import argparse
import sys

from service.cli_commands import add_service_commands


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m service")
    add_service_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    sys.exit(main())
