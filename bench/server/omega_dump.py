#!/usr/bin/env python3
"""Writes filmbench records (JSON Lines, .xz or plain) as a scriptindex dump for Omega, the peer
of bench/server/run.sh: one record per blank-line-separated block with the fields of
omega.index (id, caption, text). The text is every string of the record (title, sections,
people...) except identifiers and labels, so both engines search the same words.

Usage: omega_dump.py FILE... > dump
"""
import json
import lzma
import sys

SKIP = {"id", "film_id", "type", "kind", "lang", "url", "source"}


def strings(value, key=None):
    if key in SKIP:
        return
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings(v, k)


def field(name, value):
    # A value spans lines as "name=first" then "=next" (scriptindex's continuation).
    lines = value.replace("\r", "").split("\n")
    return f"{name}={lines[0]}\n" + "".join(f"={line}\n" for line in lines[1:])


def main():
    out = sys.stdout
    for path in sys.argv[1:]:
        opener = lzma.open if path.endswith(".xz") else open
        with opener(path, "rt", encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                text = " ".join(strings(r))
                out.write(field("id", r["id"]))
                out.write(field("caption", r.get("title") or r["id"]))
                out.write(field("text", text))
                out.write("\n")


if __name__ == "__main__":
    main()
