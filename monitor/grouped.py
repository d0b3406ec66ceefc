"""Grouped statistics over integer group codes with numpy: counts, sums, distinct counts,
quantiles and Kaplan–Meier survival quantiles, for millions of rows at once.

Every function takes ``codes`` (0..n_groups-1, one per row, as from ``pandas.factorize``) and
returns one value per group. Quantiles interpolate linearly between order statistics, as
``numpy.quantile`` and pandas do by default.
"""
from __future__ import annotations

import numpy as np
import pandas as pd


def counts(codes: np.ndarray, n_groups: int) -> np.ndarray:
    return np.bincount(codes, minlength=n_groups)


def sums(codes: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:
    return np.bincount(codes, weights=values, minlength=n_groups)


def _runs(sorted_keys: np.ndarray) -> np.ndarray:
    """Start positions of the runs of equal values in a sorted array."""
    return np.flatnonzero(np.concatenate(([True], sorted_keys[1:] != sorted_keys[:-1]))) if len(sorted_keys) \
        else np.zeros(0, np.int64)


def distinct(codes: np.ndarray, values: np.ndarray, n_groups: int) -> np.ndarray:
    """Distinct non-negative ``values`` per group (e.g. employers); sort-based, which is several
    times faster than hashing here."""
    keep = values >= 0
    shift = int(values.max(initial=0)).bit_length()  # (code, value) packed in one integer: code << shift | value
    pairs = np.sort((codes[keep].astype(np.int64) << shift) | values[keep])
    return np.bincount(pairs[_runs(pairs)] >> shift, minlength=n_groups)


def value_ranks(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(each value's rank among the distinct values, ascending, NaN after all; the distinct values
    in rank order, NaN last): computed once, they let ``quantiles`` sort by group with one integer
    sort. Pay is mostly round numbers, so there are few distinct values and the ranks are small."""
    codes, uniques = pd.factorize(values)  # NaN: −1
    uniques = np.asarray(uniques, dtype=np.float64)
    order = np.argsort(uniques)
    rank_of = np.empty(len(uniques) + 1, np.int64)
    rank_of[order] = np.arange(len(uniques))
    rank_of[-1] = len(uniques)
    return rank_of[codes], np.append(uniques[order], np.nan)


def quantiles(codes: np.ndarray, values: np.ndarray, n_groups: int, qs: tuple[float, ...],
              ranks: np.ndarray | None = None, by_rank: np.ndarray | None = None
              ) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """(n, mean, [quantile q for q in qs]) of the non-NaN ``values`` of each group; NaN where
    a group has none. ``ranks`` and ``by_rank``: ``value_ranks`` of the values (or of a table they
    were taken from) when already known."""
    keep = ~np.isnan(values)
    if ranks is None or by_rank is None:
        ranks, by_rank = value_ranks(values)
    codes, values, ranks = codes[keep].astype(np.int64), values[keep], ranks[keep]
    shift = int(ranks.max(initial=0)).bit_length()
    dtype = np.int32 if int(codes.max(initial=0)).bit_length() + shift < 31 else np.int64
    # by group, then by value, in one integer (int32 when it fits: faster to sort); the low bits give the rank back
    order = np.sort((codes.astype(dtype) << shift) | ranks.astype(dtype))
    n = np.bincount(codes, minlength=n_groups)
    total = np.bincount(codes, weights=values, minlength=n_groups)
    start = np.concatenate(([0], np.cumsum(n)[:-1]))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(n > 0, total / np.maximum(n, 1), np.nan)
    rank_bits = (1 << shift) - 1
    last = len(order) - 1

    def at(position: np.ndarray) -> np.ndarray:  # the value at each group's sorted position
        return by_rank[order[np.minimum(start + position, last)] & rank_bits]

    results = []
    for q in qs:
        position = q * (np.maximum(n, 1) - 1)
        low = np.floor(position).astype(np.int64)
        fraction = position - low
        high = np.minimum(low + 1, np.maximum(n - 1, 0))
        if len(order):
            below, above = at(low), at(high)
            value = below + (above - below) * fraction
        else:
            value = np.zeros(n_groups)
        results.append(np.where(n > 0, value, np.nan))
    return n, mean, results


def kaplan_meier(durations, events) -> tuple[np.ndarray, np.ndarray]:
    """Kaplan–Meier estimate for one sample: (distinct event times, survival just after each).

    ``events`` is 1 where the posting closed at ``durations`` and 0 where it was still open
    then (censored). S(t) = Π over event times tᵢ ≤ t of (1 − dᵢ ÷ nᵢ), with nᵢ the postings still
    open just before tᵢ (censored ones leave the risk set after their time).
    """
    durations, events = np.asarray(durations, dtype=float), np.asarray(events, dtype=bool)
    times = np.unique(durations[events])
    at_risk = np.array([(durations >= t).sum() for t in times])
    closed = np.array([((durations == t) & events).sum() for t in times])
    return times, np.cumprod(1 - closed / at_risk)


def km_quantile(durations, events, q: float) -> float:
    """The smallest time at which the share still open falls to 1 − q or below (q = 0.5: the
    median duration); NaN when the curve never gets there (too many still open)."""
    times, survival = kaplan_meier(durations, events)
    reached = np.nonzero(survival <= 1 - q + 1e-12)[0]
    return float(times[reached[0]]) if len(reached) else float("nan")


def km_quantiles(codes: np.ndarray, durations: np.ndarray, events: np.ndarray, n_groups: int,
                 qs: tuple[float, ...]) -> list[np.ndarray]:
    """``km_quantile`` for every group at once; ``durations`` are whole days (ties grouped)."""
    durations = np.maximum(durations.astype(np.int64), 0)
    shift = int(durations.max(initial=0)).bit_length()
    # (group, duration, closed) packed in one integer, int32 when it fits: half the memory to sort
    bits = int(codes.max(initial=0)).bit_length() + shift + 1
    dtype = np.int32 if bits < 31 else np.int64
    keyed = np.sort((((codes.astype(dtype) << shift) | durations.astype(dtype)) << 1) | events.astype(dtype))
    starts = _runs(keyed)
    count = np.diff(np.concatenate((starts, [len(keyed)])))
    cell_of_run = keyed[starts] >> 1
    cell_starts = _runs(cell_of_run)
    unique_cells = cell_of_run[cell_starts].astype(np.int64)
    total = np.add.reduceat(count, cell_starts) if len(cell_starts) else np.zeros(0, np.int64)
    closed = np.add.reduceat(count * (keyed[starts] & 1), cell_starts) if len(cell_starts) else np.zeros(0, np.int64)
    group, time = unique_cells >> shift, unique_cells & ((1 << shift) - 1)
    # At risk at time t: the group's rows with duration ≥ t (a reverse cumulative sum).
    size = np.bincount(group, weights=total, minlength=n_groups)
    before = np.cumsum(total) - total
    group_start = np.concatenate(([0], np.cumsum(np.bincount(group, weights=total, minlength=n_groups))[:-1]))
    at_risk = size[group] - (before - group_start[group])
    with np.errstate(divide="ignore", invalid="ignore"):
        log_step = np.log1p(-closed / at_risk)
    log_step[np.isneginf(log_step)] = -1e9  # everyone left closed at that time: S drops to 0
    cumulative = np.cumsum(log_step)
    first_of_group = np.concatenate(([True], group[1:] != group[:-1]))
    offset = np.maximum.accumulate(np.where(first_of_group, np.arange(len(group)), 0))
    log_survival = cumulative - (cumulative[offset] - log_step[offset])
    results = []
    for q in qs:
        reached = log_survival <= np.log(1 - q) + 1e-12
        value = np.full(n_groups, np.nan)
        hit_groups, first_index = np.unique(group[reached], return_index=True)
        value[hit_groups] = time[reached][first_index]
        results.append(value)
    return results
