"""How long stackshare-scan takes on a repository of 10,000 files (one core).

    .venv/bin/python bench/scan_speed.py [FILES]

Builds a throw-away repository shaped like a large monorepo: mostly source
files in nested folders, with a manifest, Dockerfile, workflow or Kubernetes
manifest every so often (about 3 % of the files, as in the real repositories
of scanner/tests/data/repos), then times ``scanner.scan`` on it, best of
three. The target (issue 21) is under 2 seconds; this is a figure to watch,
not a test.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import scanner

MANIFESTS = {
    "package.json": json.dumps(
        {
            "dependencies": {f"lib-{i}": "^1.0.0" for i in range(40)},
            "devDependencies": {f"dev-{i}": "^2.0.0" for i in range(30)},
        },
        indent=2,
    ),
    "requirements.txt": "".join(f"package-{i}>=1.0\n" for i in range(40)),
    "pyproject.toml": "[project]\ndependencies = [\n"
    + "".join(f'  "dep-{i}>=1",\n' for i in range(40))
    + "]\n[tool.ruff]\nline-length = 88\n",
    "go.mod": "module example.com/x\n\nrequire (\n"
    + "".join(f"\tgithub.com/x/mod{i} v1.{i}.0\n" for i in range(40))
    + ")\n",
    "Dockerfile": "FROM python:3.13-slim AS base\nRUN apt-get update && apt-get install -y nginx\n"
    "RUN pip install gunicorn\nFROM base\n",
    "deploy/app.yaml": "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n"
    "    spec:\n      containers:\n        - image: redis:7\n",
    "Gemfile": "".join(f'gem "gem-{i}", "~> 1.0"\n' for i in range(40)),
    "Cargo.toml": "[dependencies]\n" + "".join(f'crate{i} = "1"\n' for i in range(40)),
}


def build(root: Path, total: int) -> int:
    manifests = 0
    for n in range(total):
        folder = root / f"pkg{n // 400}" / f"mod{n // 40}"
        if n % 33 == 0:
            name, text = list(MANIFESTS.items())[manifests % len(MANIFESTS)]
            path = folder / f"m{n}" / name
            manifests += 1
        else:
            path = folder / f"file{n}.py"
            text = "def f():\n    return 1\n" * 20
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return manifests


def main() -> None:
    total = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    with tempfile.TemporaryDirectory() as directory:
        root = Path(directory)
        manifests = build(root, total)
        files = sum(len(f) for _, _, f in os.walk(root))
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            result = scanner.scan(root)
            timings.append(time.perf_counter() - started)
    print(  # noqa: T201
        f"{files:,} files ({manifests} manifests): {len(result.packages):,} packages, "
        f"{len(result.warnings)} warnings; best of 3: {min(timings):.2f} s "
        f"(target < 2 s on one core)"
    )


if __name__ == "__main__":
    main()
