"""Duplicate clusters: which postings are the same ad, seen again — re-read, reposted, or
cross-posted on another board. Another ad for the same occupation by the same employer is not
a duplicate: a mass-hiring employer's distinct ads stay distinct and their headcounts add up.

``cluster_postings(records)`` gives every record a cluster id, the smallest row ``id`` of its
cluster (its position when the records carry no ``id``). Three rules join two postings, and
clusters are their transitive closure (union–find):

1. ``source``: the same (source, source_id) — the same page read twice;
2. ``ad``: the same employer (``dedup.company_key``; ``company_norm`` when the records carry it),
   the same title (``dedup.title_key``: without pay, urgency and benefit words, punctuation), the
   same occupation (a missing one takes the one its group has) and the same place, posted within
   ``WINDOW_DAYS`` of each other — a re-scan under a new id, or a repost. The place is the city,
   the district and the place as written (``location_text``: two towns of one district are two
   ads), and the descriptions must not disagree: when both postings have one long enough to
   compare, the two must be near-identical (rule 3's test; a posting without one takes the one
   its group has, if the group has just one). Across boards the place is as precise as the less
   precise board (a missing district takes the one district of the employer's same-titled ads),
   descriptions are not compared (boards cut and reformat them), and the first posting of each
   board joins the group's other boards within ``CROSS_POST_WINDOW_DAYS``: an ad stays online
   for months, so its cross-post may be dated much later, while one board's later round of the
   same ad (a new posting more than ``WINDOW_DAYS`` on) stays apart;
3. ``text``: near-identical descriptions (HTML markup removed; character 4-gram shingles,
   Jaccard similarity ≥ ``TEXT_SIMILARITY`` estimated by one-permutation MinHash with LSH
   banding) of at least ``MIN_TEXT_CHARS`` letters and digits, the same occupation code and the
   same city and district (a posting without one of them takes the one value its near-twins
   have, if they have just one), within the windows of rule 2 — a cross-post whose employer or
   title is written another way ("北京字节跳动科技有限公司" / "字节跳动"), or a repost with an
   edited title. A description one board shows under two ads is a template, not one ad: when
   one source holds postings of such a group under two employers, or under two titles of one
   employer first posted less than ``REPOST_MIN_DAYS`` apart (an employer's ads for several
   shops or roles, an agency's clients), rule 3 joins nothing in that group, and only rules 1
   and 2 apply there.

Postings without a posting date join others only by rule 1. Everything is vectorised (pandas
group codes, numpy MinHash and label propagation): a million postings cluster in seconds.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache

import numpy as np
import pandas as pd

from .dedup import company_key, title_key

WINDOW_DAYS = 60
CROSS_POST_WINDOW_DAYS = 366  # an ad stays online for months: its cross-post may be dated much later
REPOST_MIN_DAYS = 7  # one board's two ads sharing a text less than this apart are two ads, not a repost
MIN_TEXT_CHARS = 60
TEXT_SIMILARITY = 0.75
SHINGLE = 4
MAX_TEXT_CHARS = 1_000  # the start of a long description is enough to tell near-twins
BINS = 32            # MinHash values per description (one-permutation hashing)
BANDS = 8            # LSH bands of BINS // BANDS values each
RULES = ("source", "ad", "text")
_EMPTY_BIN = np.uint32(2**32 - 1)
_COLUMNS = ("source", "source_id", "company", "company_norm", "title", "occupation_code", "city", "district",
            "location_text", "posted_at", "description")
_MARKUP = re.compile(r"<[^<>]{0,80}>|&[a-z]{2,8};|&#\d{1,6};|_x000d_")  # HTML tags, entities, Excel's CR


def cluster_postings(records) -> list[int]:
    """Cluster ids, one per record in order. ``records``: a DataFrame or an iterable of mappings
    with (any of) ``id``, ``source``, ``source_id``, ``company`` or ``company_norm``, ``title``,
    ``occupation_code``, ``city``, ``district``, ``location_text``, ``posted_at``, ``description``."""
    cluster_ids, _ = cluster_details(records)
    return cluster_ids.tolist()


def cluster_details(records) -> tuple[np.ndarray, np.ndarray]:
    """(cluster ids, rule) per record: the rule is the first of ``RULES`` that joined the record
    to another one, or None for a posting alone in its cluster."""
    frame = _frame(records)
    n = len(frame)
    if n == 0:
        return np.zeros(0, np.int64), np.array([], dtype=object)
    ids = _ids(frame)
    days = _days(frame["posted_at"])
    occupation, employer = _codes(frame["occupation_code"]), _employers(frame)
    city, district, location = _codes(frame["city"]), _codes(frame["district"]), _codes(frame["location_text"])
    # a title matters where its employer has another posting in the city (rule 2) or a posting has a text (rule 3)
    text = _text_labels(frame["description"])
    employer_city = _combined(employer, city, valid=employer >= 0)
    wanted = np.zeros(n, bool)
    wanted[_in_groups_of_two(employer_city)] = True
    title = _titles(frame["title"], wanted | (text >= 0))
    source, source_id = _codes(frame["source"]), _codes(frame["source_id"])

    source_codes = _combined(source, source_id, valid=(source >= 0) & (source_id >= 0))
    employer_title = _combined(employer, title, city, valid=(employer >= 0) & (title >= 0))
    # and the same occupation (a missing one takes the group's one): the matcher read the two titles alike
    employer_title = _combined(employer_title, _fill_unique(employer_title, occupation), valid=employer_title >= 0)
    # across boards a place is as precise as the least precise board: a missing district takes the group's one
    # (and its description may be cut or reformatted: across boards the texts are not compared)
    ad = _combined(employer_title, _fill_unique(employer_title, district), valid=employer_title >= 0)
    # within one board, the place as written too: an employer's ads for two towns of a district are two ads
    ad_written = _combined(employer_title, district, location, valid=employer_title >= 0)
    ad_written = _combined(ad_written, _fill_unique(ad_written, text), valid=ad_written >= 0)
    text_key = _text_groups(text, occupation, city, district)
    text_key = _without_templates(text_key, source, employer, title, days)

    sources, targets, rule = [], [], np.full(n, len(RULES), np.int8)
    for number, (near, far) in enumerate(((source_codes, None), (ad_written, ad), (text_key, text_key))):
        u, v = _star_edges(near if far is None else _windowed(near, days))
        if far is not None:  # and the first posting of each source within CROSS_POST_WINDOW_DAYS
            u2, v2 = _cross_source_edges(_windowed(far, days, CROSS_POST_WINDOW_DAYS), source, days)
            u, v = np.concatenate([u, u2]), np.concatenate([v, v2])
        sources.append(u)
        targets.append(v)
        joined = np.zeros(n, bool)
        joined[u] = joined[v] = True
        rule = np.where(joined & (rule == len(RULES)), number, rule)
    label = _components(n, np.concatenate(sources), np.concatenate(targets))
    smallest = np.full(n, np.iinfo(np.int64).max, np.int64)
    np.minimum.at(smallest, label, ids)
    names = np.array([*RULES, None], dtype=object)
    return smallest[label], names[rule]


def _frame(records) -> pd.DataFrame:
    frame = records if isinstance(records, pd.DataFrame) else pd.DataFrame(  # object: any text, even unencodable
        list(records) if isinstance(records, Iterable) and not isinstance(records, Mapping) else [], dtype=object)
    frame = frame.reset_index(drop=True)
    for column in _COLUMNS:
        if column not in frame:
            frame[column] = None
    return frame


def _ids(frame: pd.DataFrame) -> np.ndarray:
    if "id" in frame:
        ids = pd.to_numeric(frame["id"], errors="coerce")
        if ids.notna().all():
            return ids.to_numpy(np.int64)
    return np.arange(len(frame), dtype=np.int64)


def _codes(column: pd.Series) -> np.ndarray:
    """One integer per distinct value; −1 for NaN, None and ''."""
    codes, uniques = pd.factorize(column)
    codes = codes.astype(np.int64)
    blank = np.flatnonzero(uniques.astype(object) == "")
    if blank.size:
        codes[codes == blank[0]] = -1
    return codes


def _days(column: pd.Series) -> np.ndarray:
    """Days since the epoch (float, NaN when missing or unreadable)."""
    codes, uniques = pd.factorize(column)  # each distinct text is read once
    values = pd.Series(uniques, dtype=object)
    dates = pd.to_datetime(values, errors="coerce", format="%Y-%m-%d")
    retry = dates.isna() & values.notna()
    if retry.any():  # timestamps, dates with times: read their first ten characters
        heads = pd.Series([str(v)[:10] for v in values[retry]], index=values.index[retry], dtype=object)
        dates[retry] = pd.to_datetime(heads, errors="coerce", format="%Y-%m-%d")  # object: any text, even broken
    days = np.append((dates - pd.Timestamp("1970-01-01")).dt.days.to_numpy(np.float64), np.nan)
    return days[codes]  # code −1 (missing) takes the NaN at the end


def _employers(frame: pd.DataFrame) -> np.ndarray:
    """Codes of the normalised employer: ``company_norm``, else ``company_key(company)``."""
    employer = frame["company_norm"]
    missing = (employer.isna() | (employer == "")) & frame["company"].notna()
    if not missing.any():  # the usual case: codes straight from the column, without a Python object per row
        return _codes(employer)
    raw = frame.loc[missing, "company"]
    keys = {name: company_key(name) for name in raw.unique()}
    employer = employer.astype(object).where(~missing, pd.Series([keys[name] for name in raw], index=raw.index,
                                                                 dtype=object))
    return _codes(employer)


def _combined(*codes: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """One integer per distinct combination of the code arrays (−1 where ``valid`` is False);
    a missing value (−1) is a value of its own."""
    result, span = np.zeros(len(valid), np.int64), 1
    for column in codes:
        radix = int(column.max(initial=-1)) + 2  # the column's values and −1
        if span * radix >= 2**62:  # re-number what is combined so far, so the numbers stay small
            result, span = pd.factorize(result)[0].astype(np.int64), int(result.size and result.max()) + 1
        result, span = result * radix + column + 1, span * radix
    return np.where(valid, pd.factorize(result)[0].astype(np.int64), -1)


def _windowed(codes: np.ndarray, days: np.ndarray, window: int = WINDOW_DAYS) -> np.ndarray:
    """Split each group where consecutive posting dates are more than ``window`` days apart;
    records without a date leave their group (−1)."""
    missing = np.isnan(days)
    codes = np.where(missing, -1, codes)
    whole_days = np.where(missing, 0, days).astype(np.int64)
    low = int(whole_days.min(initial=0))
    span = int(whole_days.max(initial=0)) - low + 1
    order = np.argsort((codes + 1) * span + whole_days - low)  # by group, then by date: one integer sort
    sorted_codes, sorted_days = codes[order], days[order]
    starts = np.ones(len(codes), bool)
    starts[1:] = (sorted_codes[1:] != sorted_codes[:-1]) | (sorted_days[1:] - sorted_days[:-1] > window)
    segments = np.cumsum(starts) - 1
    result = np.empty(len(codes), np.int64)
    result[order] = np.where(sorted_codes < 0, -1, segments)
    return result


def _star_edges(codes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Edges joining every member of a group (code ≥ 0) to its first member."""
    members = np.flatnonzero(codes >= 0)
    if members.size == 0:
        return members, members
    order = members[np.argsort(codes[members], kind="stable")]
    sorted_codes = codes[order]
    starts = np.ones(order.size, bool)
    starts[1:] = sorted_codes[1:] != sorted_codes[:-1]
    first = order[np.flatnonzero(starts)[np.cumsum(starts) - 1]]
    keep = first != order
    return order[keep], first[keep]


def _in_groups_of_two(codes: np.ndarray) -> np.ndarray:
    """Positions of the records whose group (code ≥ 0) has at least two members."""
    member = np.flatnonzero(codes >= 0)
    if member.size == 0:
        return member
    return member[np.bincount(codes[member])[codes[member]] >= 2]


def _cross_source_edges(codes: np.ndarray, source: np.ndarray, days: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Edges joining, within each group, the first posting of every source to the group's first
    posting of another source: a cross-post joins the ad, but one board's later round of the
    same ad (a new posting months later) does not join its earlier one through it."""
    member = _in_groups_of_two(codes)
    if member.size == 0:
        return member, member
    frame = pd.DataFrame({"group": codes[member], "source": source[member], "day": days[member], "row": member})
    firsts = frame.sort_values(["group", "source", "day", "row"], kind="stable").drop_duplicates(["group", "source"])
    several = firsts["group"].duplicated(keep=False).to_numpy()
    representatives = np.full(len(codes), -1, np.int64)
    representatives[firsts["row"].to_numpy()[several]] = firsts["group"].to_numpy()[several]
    return _star_edges(representatives)


def _components(n: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Connected components by min-label propagation with pointer jumping: each record's
    label is the smallest position in its component."""
    label = np.arange(n, dtype=np.int64)
    if u.size == 0:
        return label
    while True:
        low = np.minimum(label[u], label[v])
        before = label.copy()
        np.minimum.at(label, label[u], low)
        np.minimum.at(label, label[v], low)
        while True:  # pointer jumping: point every label at its root
            jumped = label[label]
            if np.array_equal(jumped, label):
                break
            label = jumped
        if np.array_equal(label, before):
            return label


def _titles(column: pd.Series, wanted: np.ndarray) -> np.ndarray:
    """Codes of ``dedup.title_key`` of the titles of the ``wanted`` records (−1 elsewhere and
    where a title has no key). Each distinct title is read once."""
    result = np.full(len(column), -1, np.int64)
    rows = np.flatnonzero(wanted)
    if rows.size == 0:
        return result
    codes, uniques = pd.factorize(column.iloc[rows])
    if len(uniques) == 0:
        return result
    keys = pd.Series([title_key(t) if isinstance(t, str) else None for t in uniques], dtype=object)
    key_codes = np.append(pd.factorize(keys)[0].astype(np.int64), -1)
    result[rows] = key_codes[codes]  # code −1 (missing) takes the −1 at the end
    return result


def _text_labels(description: pd.Series) -> np.ndarray:
    """Per posting, the smallest index of the distinct near-identical descriptions its own
    belongs to (−1 when it has none long enough to compare)."""
    n = len(description)
    raw_codes, raw_texts = pd.factorize(description.astype(object).where(description.notna(), None))
    if len(raw_texts) == 0:
        return np.full(n, -1, np.int64)
    lengths = np.fromiter((len(t) if isinstance(t, str) else 0 for t in raw_texts), np.int64, len(raw_texts))
    candidates = np.flatnonzero(lengths >= MIN_TEXT_CHARS)
    text_label = np.full(len(raw_texts), -1, np.int64)
    if candidates.size:  # markup removed: one board shows "<br />" where another shows a line break
        labels, kept = _near_duplicate_labels([_without_markup(raw_texts[i]) for i in candidates])
        text_label[candidates[kept]] = candidates[labels[kept]]
    return np.where(raw_codes >= 0, text_label[np.maximum(raw_codes, 0)], -1)


def _without_markup(text: str) -> str:
    head = text[:2 * MAX_TEXT_CHARS]
    return _MARKUP.sub(" ", head) if "<" in head or "&" in head or "_x" in head else head


def _text_groups(text: np.ndarray, occupation: np.ndarray, city: np.ndarray, district: np.ndarray) -> np.ndarray:
    """Group codes of rule 3 before the date windows (−1 for postings without a comparable description)."""
    has_text = text >= 0
    if not has_text.any():
        return np.full(len(text), -1, np.int64)
    occupation = _fill_unique(text, occupation)
    city = _fill_unique(_combined(text, occupation, valid=has_text), city)
    district = _fill_unique(_combined(text, occupation, city, valid=has_text), district)
    return _combined(text, occupation, city, district, valid=has_text)


def _fill_unique(groups: np.ndarray, values: np.ndarray) -> np.ndarray:
    """A missing value (−1) of a member of a group (code ≥ 0) takes the one value the rest of its
    group has, if there is just one (a cross-post without a district, or whose title matched no
    occupation; a re-scan whose description was not read)."""
    known = (groups >= 0) & (values >= 0)
    missing = (groups >= 0) & (values < 0)
    if not known.any() or not missing.any():
        return values
    stats = pd.DataFrame({"group": groups[known], "value": values[known]}).groupby("group")["value"].agg(
        ["min", "max"])
    only = stats["min"].where(stats["min"] == stats["max"], -1)
    filled = values.copy()
    filled[missing] = only.reindex(groups[missing], fill_value=-1).to_numpy(np.int64)
    return filled


def _without_templates(codes: np.ndarray, source: np.ndarray, employer: np.ndarray, title: np.ndarray,
                       days: np.ndarray) -> np.ndarray:
    """Rule 3's groups, less those that hold a template: one source with two employers, or with
    two titles of one employer first posted less than REPOST_MIN_DAYS apart — concurrent ads, not
    one ad seen again (a repost under an edited title comes later)."""
    member = _in_groups_of_two(codes)
    if member.size == 0:
        return codes
    frame = pd.DataFrame({"group": codes[member], "source": source[member], "employer": employer[member],
                          "title": title[member], "day": days[member]})
    units = frame.groupby(["group", "source", "employer", "title"], sort=False)["day"].min().reset_index()
    units = units.sort_values(["group", "source", "day"], kind="stable")
    group, unit_source, unit_employer, day = (units[c].to_numpy() for c in ("group", "source", "employer", "day"))
    close = (group[1:] == group[:-1]) & (unit_source[1:] == unit_source[:-1]) & (
        (day[1:] - day[:-1] < REPOST_MIN_DAYS) | (unit_employer[1:] != unit_employer[:-1]))
    if not close.any():
        return codes
    return np.where(np.isin(codes, np.unique(group[1:][close])), -1, codes)


def _near_duplicate_labels(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """For distinct texts: the smallest index of the near-identical texts each belongs to, and
    whether the text is long enough (≥ MIN_TEXT_CHARS letters and digits) to be compared."""
    signatures, kept = _minhash(texts)
    count = len(texts)
    rows = BINS // BANDS
    u_all, v_all = [], []
    for band in range(BANDS):
        block = signatures[:, band * rows:(band + 1) * rows]
        keys = np.zeros(count, np.uint64)
        for column in range(rows):  # combine the band's values into one bucket key
            keys = keys * np.uint64(1_000_003) ^ block[:, column].astype(np.uint64)
        keys[~kept] = np.arange((~kept).sum(), dtype=np.uint64)  # short texts share no bucket
        order = np.argsort(keys, kind="stable")
        same = keys[order][1:] == keys[order][:-1]
        u_all.append(order[1:][same])  # each bucket member with the one before it
        v_all.append(order[:-1][same])
    u, v = np.concatenate(u_all), np.concatenate(v_all)
    u, v = u[kept[u] & kept[v]], v[kept[u] & kept[v]]
    if u.size:
        pairs = np.unique(np.minimum(u, v).astype(np.int64) * count + np.maximum(u, v))
        u, v = pairs // count, pairs % count
        a, b = signatures[u], signatures[v]
        filled = (a != _EMPTY_BIN) | (b != _EMPTY_BIN)
        similarity = ((a == b) & filled).sum(axis=1) / np.maximum(filled.sum(axis=1), 1)
        keep = similarity >= TEXT_SIMILARITY
        u, v = u[keep], v[keep]
    return _components(count, u, v), kept


@cache
def _letters_and_digits() -> np.ndarray:
    """Which code points count in a description (letters, digits, CJK): a lookup table. Beyond
    the Basic Multilingual Plane everything counts (rare CJK, emoji), to build it fast."""
    table = np.ones(0x110000, bool)
    table[:0x10000] = [chr(c).isalnum() for c in range(0x10000)]
    return table


def _minhash(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """One-permutation MinHash of each text's character 4-grams (letters and digits only, lower
    case, the first MAX_TEXT_CHARS characters): each 4-gram is hashed once, its hash picks one
    of BINS bins and the bin keeps its smallest hash. Returns the (len(texts), BINS) uint32
    signatures and which texts have ≥ MIN_TEXT_CHARS letters and digits."""
    joined = "".join(t[:MAX_TEXT_CHARS] for t in texts).lower()
    points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    lengths = np.fromiter((min(len(t), MAX_TEXT_CHARS) for t in texts), np.int64, len(texts))
    if len(points) != lengths.sum():  # lower() changed a length (rare letters such as 'İ'): one by one
        lengths = np.fromiter((len(t[:MAX_TEXT_CHARS].lower()) for t in texts), np.int64, len(texts))
    doc = np.repeat(np.arange(len(texts), dtype=np.int32), lengths)
    keep = _letters_and_digits()[points]
    points, doc = points[keep], doc[keep]
    kept = np.bincount(doc, minlength=len(texts)) >= MIN_TEXT_CHARS
    signatures = np.full(len(texts) * BINS, _EMPTY_BIN, np.uint32)
    if points.size >= SHINGLE:
        # A 32-bit polynomial hash of each 4-gram, then a 32-bit mix so bins and minima look random.
        prime = np.uint32(0x01000193)
        grams = ((points[:-3] * prime + points[1:-2]) * prime + points[2:-1]) * prime + points[3:]
        inside = doc[:-3] == doc[3:]  # 4-grams crossing from one text into the next are not shingles
        grams, owner = grams[inside], doc[:-3][inside]
        grams ^= grams >> np.uint32(16)
        grams *= np.uint32(0x45D9F3B)
        grams ^= grams >> np.uint32(16)
        slot = owner.astype(np.int64) * BINS + (grams & np.uint32(BINS - 1))
        np.minimum.at(signatures, slot, grams)
    return signatures.reshape(len(texts), BINS), kept
