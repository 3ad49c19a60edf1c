"""The data every engine serves at a scale: the seed build's dataset.nq plus, for a synthetic scale, the
synthetic stated triples in the stated graph and the synthetic interpretations in the interpreted graph,
written once as one N-Quads file by streaming lines (never a graph in memory)."""

from __future__ import annotations

import random
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.workload import sample_subjects
from ecograph.namespaces import INTERPRETED, STATED
from ecograph.settings import PROJECT_ROOT

PROJECT_PARTS = ("ontology", "shapes", "data", "queries")
_SCALE = re.compile(r"^(\d+(?:\.\d+)?)([kKmM]?)$")


def parse_scale(text: str) -> int:
    """'seed' (no synthetic triples), '2k', '100k', '1M', '10M' or a plain number, as a count of synthetic triples."""
    text = text.strip()
    if text.lower() in ("seed", "0"):
        return 0
    m = _SCALE.match(text)
    if not m:
        raise ValueError(f"a scale is 'seed', a number, or a number with k or M (10k, 1M), not '{text}'")
    return round(float(m.group(1)) * {"": 1, "k": 1_000, "m": 1_000_000}[m.group(2).lower()])


@dataclass
class ScaleData:
    """What one scale serves: the N-Quads file, the project root a build and `ecograph serve` use, its size."""

    label: str
    synthetic: int  # synthetic triples asked for
    root: Path
    nquads: Path
    quads: int
    stated: int = 0  # synthetic stated triples written
    interpreted: int = 0  # synthetic interpreted triples written
    lookups: list[str] = field(default_factory=list)  # IRIs for the point lookups


def copy_project(target: Path) -> Path:
    """The inputs of a build (ontology, shapes, data, queries: never dist/) copied to target."""
    target.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        shutil.copytree(PROJECT_ROOT / part, target / part)
    return target


def _quads(path: Path, graph: str):
    """The lines of an N-Triples file as N-Quads lines in graph."""
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            if not line.endswith("."):
                raise ValueError(f"{path.name}: not an N-Triples line: {line[:120]}")
            yield f"{line[:-1].rstrip()} <{graph}> .\n"


def combine(seed_nq: Path, stated: Path | None, interpreted: Path | None, out: Path, lookups: int,
            rng: random.Random) -> tuple[int, list[str]]:
    """Write seed_nq, then stated and interpreted N-Triples as quads of their graphs, into out; returns the number
    of quads and a sample of subject IRIs (from the synthetic stated triples, or the seed when there are none)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    count = 0

    def lines():
        nonlocal count
        with seed_nq.open(encoding="utf-8") as seed:
            for line in seed:
                if line.strip():
                    count += 1
                    yield "seed", line if line.endswith("\n") else line + "\n"
        for kind, path, graph in (("stated", stated, str(STATED)), ("interpreted", interpreted, str(INTERPRETED))):
            if path is not None and path.exists():
                for line in _quads(path, graph):
                    count += 1
                    yield kind, line

    with out.open("w", encoding="utf-8") as target:
        def written():  # every line is written; the stated ones are also offered to the sample
            for kind, line in lines():
                target.write(line)
                if kind == "stated" or (stated is None and f"<{STATED}>" in line):
                    yield line

        iris = sample_subjects(written(), lookups, rng)
    return count, iris


def seed_scale(root: Path, lookups: int, seed: int) -> ScaleData:
    """The seed build alone (root has been built)."""
    nq = root / "dist" / "dataset.nq"
    count, iris = combine(nq, None, None, root.parent / "seed.nq", lookups, random.Random(seed))
    return ScaleData("seed", 0, root, root.parent / "seed.nq", count, lookups=iris)


def synthetic_scale(label: str, triples: int, seed_nq: Path, work: Path, lookups: int, seed: int) -> ScaleData:
    """`ecograph.tools.synth.synthesize` writes a project root with the synthetic data; its triples join the seed build."""
    try:
        from ecograph.tools.synth import synthesize
    except ImportError as exc:
        raise SystemExit(f"scale {label} needs synthetic data, and ecograph.tools.synth is not available ({exc}); "
                         "use --scales seed") from exc
    root = work / f"root-{label}"
    if root.exists():
        shutil.rmtree(root)
    made = synthesize(PROJECT_ROOT, root, triples, seed=seed)
    stated = root / "data" / "synthetic.nt"
    interpreted = root / "data" / "interpreted" / "synthetic.nt"
    out = work / f"{label}.nq"
    count, iris = combine(seed_nq, stated, interpreted, out, lookups, random.Random(seed))
    return ScaleData(label, triples, root, out, count, _int(getattr(made, "stated", 0)), _int(getattr(made, "interpreted", 0)), iris)


def _int(value) -> int:
    return value if isinstance(value, int) else 0
