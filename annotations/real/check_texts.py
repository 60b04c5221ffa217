#!/usr/bin/env python3
"""check_texts.py DIR — are the page texts in DIR the ones the gold was made on?

Compares DIR/<id>.txt with manifest.jsonl beside this file: sha256 of the text with all
whitespace removed must equal the line's norm_sha256 (a page re-saved with other line breaks
still counts as the same). Prints one line per page missing or changed and a summary; exit 1
when any is. The texts themselves never enter the repository.
"""
import hashlib
import json
import pathlib
import re
import sys

HERE = pathlib.Path(__file__).resolve().parent


def main(folder: str) -> int:
    texts = pathlib.Path(folder).expanduser()
    counts = {"ok": 0, "changed": 0, "missing": 0}
    for line in (HERE / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        page = json.loads(line)
        path = texts / f"{page['id']}.txt"
        if not path.exists():
            counts["missing"] += 1
            print("missing", page["id"])
            continue
        compact = re.sub(r"\s+", "", path.read_text(encoding="utf-8"))
        if hashlib.sha256(compact.encode("utf-8")).hexdigest() == page["norm_sha256"]:
            counts["ok"] += 1
        else:
            counts["changed"] += 1
            print("changed", page["id"], page["url"])
    print("real pages: {ok} ok, {changed} changed, {missing} missing".format(**counts))
    return 0 if counts["changed"] == counts["missing"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "~/.cache/mscmine-real-pages"))
