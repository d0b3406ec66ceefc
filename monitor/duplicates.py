"""Keep every posting's duplicate cluster in the store up to date (run before the metrics).

All postings are clustered again each time (``normalize.clusters``), since a new posting can
join two old clusters; only the rows whose cluster changed are written back. Rule 1 (same
source and source id) needs no reading here: the store keeps one row per pair.
"""
from __future__ import annotations

import numpy as np
import sqlite_utils

from db import reads
from db.writes import store_clusters
from normalize.clusters import MIN_TEXT_CHARS, cluster_details


def update_clusters(db: sqlite_utils.Database) -> dict[str, int] | None:
    """Cluster the store's postings and write changed ``cluster_id``/``cluster_rule`` values.
    Returns counts (postings, clusters, written), or None when the store has no cluster columns
    (its schema predates migration 0003)."""
    postings = reads.cluster_inputs(db, MIN_TEXT_CHARS)
    if postings is None:
        return None
    if postings.empty:
        return {"postings": 0, "clusters": 0, "written": 0}
    cluster_ids, rules = cluster_details(postings)
    stored_ids = postings["cluster_id"].to_numpy(dtype="float64")
    stored_rules = postings["cluster_rule"].astype(object).where(postings["cluster_rule"].notna(), None)
    changed = (stored_ids != cluster_ids) | (stored_rules.to_numpy(object) != rules)
    rows = np.flatnonzero(changed)
    written = store_clusters(db, postings["id"].to_numpy()[rows].tolist(), cluster_ids[rows].tolist(),
                             rules[rows].tolist())
    return {"postings": len(postings), "clusters": len(np.unique(cluster_ids)), "written": written}
