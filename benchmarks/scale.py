"""How the costs grow with the guidance: the bundled guidance copied F times.

    python -m benchmarks.scale [--factors 1 10 100 250] [--lines 500]

Each factor writes a guidance folder whose collections are the bundled ones repeated F times
(ids and titles numbered, the text unchanged), then times, exit to exit, in fresh processes:
``validate``; the first start (``ask`` with an empty start-up cache: parse, validate, fit,
write the cache); the warm start (``ask`` again, median of three once the new entry has
settled, so that one start has checked it in full and stamped it); ``ask --json -`` per question,
(T(N) - T(1)) / (N - 1); and the peak RSS of each.

Writes ``results/scale.md`` and ``.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from benchmarks.commands import exit_to_exit, pact_command
from benchmarks.common import ROOT, repeat_to
from benchmarks.machine import cpu_model
from pact_advisor.engine.cache import SETTLED_NS

GUIDANCE = ROOT / "guidance"
RESULTS = ROOT / "benchmarks" / "results"
QUESTION = "how do we keep employers on board in a talent partnership?"


def grown(factor: int, target: Path) -> tuple[int, int]:
    """Write the guidance repeated ``factor`` times into ``target``; (items, examples)."""
    target.mkdir(parents=True)
    for folder in (p for p in GUIDANCE.iterdir() if p.is_dir()):  # the source documents
        shutil.copytree(folder, target / folder.name)
    items = examples = 0
    for path in sorted(GUIDANCE.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or "collection" not in data:
            shutil.copy(path, target / path.name)
            continue
        for copy in range(factor):
            if copy == 0:
                shutil.copy(path, target / path.name)
                part = data
            else:
                part = _numbered(data, copy)
                text = yaml.safe_dump(part, allow_unicode=True, sort_keys=False, width=100)
                (target / f"{path.stem}-{copy}.yaml").write_text(text, encoding="utf-8")
            items += len(part["items"])
            examples += sum(len(it.get("examples", ())) for it in part["items"])
    return items, examples


def _numbered(data: dict, copy: int) -> dict:
    old = data["collection"]["id"]
    new = f"{old}-{copy}"
    collection = {**data["collection"], "id": new, "title": f"{data['collection']['title']} {copy}"}
    collection["order"] = collection.get("order", 0) + 100 * copy
    items = [
        {**item, "id": new + item["id"][len(old) :], "title": f"{item['title']} {copy}"}
        for item in data["items"]
    ]
    return {**data, "collection": collection, "items": items}


def measure(factor: int, lines: int, pact: list[str], work: Path) -> dict[str, Any]:
    folder = work / f"guidance-x{factor}"
    items, examples = grown(factor, folder)
    cache = work / f"cache-x{factor}"
    env = {**os.environ, "PACT_ADVISOR_CACHE": str(cache)}
    ask = [*pact, "ask", "--guidance", str(folder), QUESTION]
    row: dict[str, Any] = {"factor": factor, "items": items, "examples": examples}
    row["validate_s"], _, row["validate_rss_mb"] = exit_to_exit(
        [*pact, "validate", "--guidance", str(folder)], env
    )
    row["first_s"], _, row["first_rss_mb"] = exit_to_exit(ask, env)
    # A new entry is read in full by the first start that finds it once it has settled (see
    # SETTLED_NS), which then stamps it; the median of three is a start after that.
    time.sleep(SETTLED_NS / 1e9 + 0.5)
    warm = [exit_to_exit(ask, env) for _ in range(3)]
    row["warm_s"] = sorted(w[0] for w in warm)[1]
    row["warm_rss_mb"] = sorted(w[2] for w in warm)[1]
    qs = repeat_to(
        [QUESTION, "what are the success factors?", "how do we involve diaspora?"], lines
    )
    batch = [*pact, "ask", "--guidance", str(folder), "--json", "-"]
    one, _, _ = exit_to_exit(batch, env, (qs[0] + "\n").encode())
    many, _, row["batch_rss_mb"] = exit_to_exit(batch, env, ("\n".join(qs) + "\n").encode())
    row["ms_per_question"] = (many - one) / (lines - 1) * 1000
    shutil.rmtree(folder)
    shutil.rmtree(cache, ignore_errors=True)
    return row


def report(rows: list[dict[str, Any]], machine: str) -> str:
    out = [
        "# Scale: the bundled guidance repeated",
        "",
        f"Machine: {machine}. One run per figure (warm start: median of 3), exit to exit.",
        "",
        "| factor | items | examples | validate | first start | warm start | per question "
        "| peak RSS: first start / batch |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in rows:
        head = f"| {r['factor']}× | {r['items']:,} | {r['examples']:,} |"
        out.append(
            f"{head} {r['validate_s']:.2f} s | {r['first_s']:.1f} s | {r['warm_s']:.2f} s "
            f"| {r['ms_per_question']:.2f} ms | {r['first_rss_mb']:.0f} / "
            f"{r['batch_rss_mb']:.0f} MB |"
        )
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.scale", description=__doc__)
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 10, 100, 250])
    parser.add_argument("--lines", type=int, default=500)
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    parser.add_argument("--out", type=Path, default=RESULTS / "scale.md")
    args = parser.parse_args(argv)
    pact, _ = pact_command()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for factor in args.factors:
            print(f"scale: {factor}x", file=sys.stderr)
            rows.append(measure(factor, args.lines, pact, Path(tmp)))
    machine = f"{cpu_model()}, {os.cpu_count()} cores, {total:.0f} GiB"
    text = report(rows, machine)
    args.out.write_text(text, encoding="utf-8")
    args.out.with_suffix(".json").write_text(json.dumps(rows, indent=2), encoding="utf-8")
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
