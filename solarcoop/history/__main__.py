"""``python -m solarcoop.history rehash NAME``: write a history file's new checksum after
adding rows; ``python -m solarcoop.history check``: verify every file."""

from __future__ import annotations

import sys

from solarcoop.history import SERIES, read, rehash


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "rehash":
        print(f"{argv[1]}.csv sha256 {rehash(argv[1])}")
        return 0
    if argv == ["check"]:
        for name in SERIES:
            read(name)
            print(f"{name}.csv: checksum matches")
        return 0
    print("usage: python -m solarcoop.history rehash NAME | check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
