"""The published reading of the CiCLE status columns is the only one the figures allow.

The extraction of slide 8 dropped the blank cells, so a status row such as `1 2 4` does not say which of the five
columns (目標達成, 目標未達, 推進中, 中止, その他) hold its figures. This test takes the rows as the source text writes
them (../shared/seed/000_fa29c3d7c180337a.txt, the CiCLE table), tries every placement of each row's figures into
the five columns that keeps their left-to-right order, and keeps the placements in which every row adds up to its
adopted count and every column to the total row, for the plain figures and the bracketed (ViCLE) figures alike.
Exactly one placement survives, and it is the one data/cicle.ttl publishes.
"""

from __future__ import annotations

from itertools import combinations

from rdflib import Graph, URIRef

from ecograph.namespaces import ECO
from ecograph.settings import PROJECT_ROOT

COLUMNS = ("achieved", "notAchieved", "inProgress", "discontinued", "otherStatus")
VICLE_COLUMNS = ("achievedViCLE", "notAchievedViCLE", "inProgressViCLE", "discontinuedViCLE", None)  # その他 has no ViCLE figure

# (row, adopted, ViCLE adopted, status figures as written). A figure is (count, ViCLE count); None where the text has
# no bracketed figure: rounds 1 and 2 precede ViCLE, and `1（※2）` is a count with a footnote mark. `2（）` is (2, 0).
ROWS = [
    ("cicle-1", 7, None, [1, 2, 4]),  # 48 7 333 1 2 4
    ("cicle-2", 10, None, [3, 1, 3, 3]),  # 64 10 216 3 １ ３ 3
    ("cicle-3", 14, 4, [(3, 3), (5, 0), (6, 1)]),  # 52 (28) 14 (4) 320 3 (3) 5 (0) 6 (１)
    ("cicle-4", 9, 2, [(1, 1), (2, 1), (4, 0), (2, 0)]),  # 49 (28) 9 (2) 162 1 (1) 2 (1) 4 (0) 2（）
    ("cicle-5", 17, 11, [(11, 8), (5, 3), (1, None)]),  # 72 (54) 17 (11) 321 １１（８） 5 (3) 1（※2）
    ("cicle-6", 5, 3, [(3, 2), (2, 1)]),  # 57 (38) 5 (3) 49 ３（２） ２ (１)
    ("cicle-7", 5, 4, [(5, 4)]),  # 42 (37) 5 (4) 40 5(4）
]
# 合計(第１～７回): 384 (185) 67 (24) 1,442 ８(４) ３（１） ３３ (1４) 2２ (5) 1
TOTAL = ("cicle-total", 67, 24, [(8, 4), (3, 1), (33, 14), (22, 5), (1, None)])

CALL = "https://w3id.org/ecograph/id/call/"


def _pairs(figures) -> list[tuple[int, int]]:
    return [(f, 0) if isinstance(f, int) else (f[0], f[1] or 0) for f in figures]


def _placements(figures, adopted: int, adopted_vicle: int | None) -> list[tuple]:
    """Every order-preserving placement of a row's figures into the five columns, if the row adds up."""
    pairs = _pairs(figures)
    if sum(p for p, _ in pairs) != adopted or sum(v for _, v in pairs) != (adopted_vicle or 0):
        return []
    placements = []
    for columns in combinations(range(len(COLUMNS)), len(pairs)):
        row = [(0, 0)] * len(COLUMNS)
        for column, pair in zip(columns, pairs):
            row[column] = pair
        placements.append(tuple(row))
    return placements


def _extend(options: list, total: tuple, chosen: tuple, sums: list, readings: list) -> None:
    """Choose a placement for the next row, dropping a branch as soon as a column passes its total."""
    if any(p > tp or v > tv for (p, v), (tp, tv) in zip(sums, total)):
        return  # figures are never negative, so a column past its total cannot come back
    if len(chosen) == len(options):
        if sums == list(total):
            readings.append(chosen + (total,))
        return
    for row in options[len(chosen)]:
        _extend(options, total, chosen + (row,), [(p + rp, v + rv) for (p, v), (rp, rv) in zip(sums, row)], readings)


def _readings() -> list[tuple]:
    """Every combination of row placements whose columns add up to a placement of the total row."""
    options = [_placements(figures, adopted, vicle) for _, adopted, vicle, figures in ROWS]
    readings: list[tuple] = []
    for total in _placements(TOTAL[3], TOTAL[1], TOTAL[2]):
        _extend(options, total, (), [(0, 0)] * len(COLUMNS), readings)
    return readings


def _published() -> tuple:
    data = Graph().parse(PROJECT_ROOT / "data" / "cicle.ttl", format="turtle")
    rows = []
    for key, *_ in ROWS + [TOTAL]:
        observation = next(data.subjects(ECO.call, URIRef(CALL + key)))
        row = []
        for column, vicle in zip(COLUMNS, VICLE_COLUMNS):
            plain = data.value(observation, ECO[column])
            bracketed = data.value(observation, ECO[vicle]) if vicle else None
            row.append((int(plain) if plain is not None else 0, int(bracketed) if bracketed is not None else 0))
        rows.append(tuple(row))
    return tuple(rows)


def test_the_rows_as_written_add_up() -> None:
    for key, adopted, vicle, figures in ROWS + [TOTAL]:
        assert _placements(figures, adopted, vicle), f"{key}: the figures {figures} do not add up to {adopted} ({vicle})"


def test_exactly_one_reading_satisfies_every_sum() -> None:
    readings = _readings()
    assert len(readings) == 1, f"{len(readings)} readings satisfy every row and column sum"


def test_the_published_reading_is_the_only_one() -> None:
    (reading,) = _readings()
    assert reading == _published()
