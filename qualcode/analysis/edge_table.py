"""A co-occurrence network's edges as columns, counted in numpy.

:meth:`Cooccurrence.edges` builds one dict per pair in Python, which is most of the
time of writing an edge list of tens of thousands of pairs. Here the same measures
(count, Jaccard, the c-coefficient and the frequency-ratio flag, by the rules of
:mod:`qualcode.analysis.cooccurrence`) are computed for every pair at once; the values
are the same floats, since each is one IEEE division of the same integers.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .cooccurrence import Cooccurrence


def _lookup(counts: Mapping[int, int], top: int) -> Any:
    """A dense array of ``top`` counts indexed by code id (0 where a code has none)."""
    import numpy as np

    table = np.zeros(top, dtype=np.int64)
    if counts:
        table[np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))] = np.fromiter(
            counts.values(), dtype=np.int64, count=len(counts))
    return table


def edge_columns(result: Cooccurrence, measure: str, minimum: float = 0) -> dict[str, Any]:
    """The edges :meth:`Cooccurrence.edges` gives, as numpy columns in the order of the
    sorted pairs: ``source``, ``target`` (code ids, source < target), ``weight`` (the
    measure), ``count``, ``jaccard``, ``c`` and ``freq_ratio_flag``. The units (turns,
    transcripts or, in the overlap scope, characters) must be counted already."""
    import numpy as np

    from ..errors import QualcodeError
    from .cooccurrence import FREQ_RATIO, MEASURES

    if measure not in MEASURES:
        raise QualcodeError(f"measure {measure!r} is not one of {', '.join(MEASURES)}")
    assert result.units is not None
    n_pairs = len(result.pairs)
    pairs = np.array(list(result.pairs), dtype=np.int64).reshape(-1, 2)
    values = np.array([v[:2] for v in result.pairs.values()], dtype=np.int64).reshape(-1, 2)
    in_order = np.lexsort((pairs[:, 1], pairs[:, 0]))  # the order of sorted(result.pairs)
    pairs, values = pairs[in_order], values[in_order]
    a, b = pairs[:, 0], pairs[:, 1]
    n12, shared = values[:, 0], values[:, 1]
    top = 1 + max([0, *result.freq, *result.units, int(pairs.max()) if n_pairs else 0])
    units = _lookup(result.units, top)
    # n: passages in the overlap scope, else the units with the code (Cooccurrence.n)
    n = _lookup(result.freq, top) if result.scope == "overlap" else units
    n1, n2 = n[a], n[b]
    either = units[a] + units[b] - shared
    jaccard = np.divide(shared, either, out=np.zeros(n_pairs), where=either > 0)
    denominator = n1 + n2 - n12
    c = np.where(n12 > 0, 1.0, 0.0)
    np.divide(n12, denominator, out=c, where=denominator > 0)
    c = np.minimum(c, 1.0)
    low, high = np.minimum(n1, n2), np.maximum(n1, n2)
    flag = (low > 0) & (high > FREQ_RATIO * low)
    weight = {"count": n12.astype(np.float64), "jaccard": jaccard, "c": c}[measure]
    keep = (n12 > 0) & (weight >= minimum)
    columns = {"source": a, "target": b, "weight": weight, "count": n12, "jaccard": jaccard,
               "c": c, "freq_ratio_flag": flag}
    return {name: column[keep] for name, column in columns.items()}
