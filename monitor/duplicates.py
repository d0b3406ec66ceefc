"""Keep every posting's duplicate cluster in the store up to date (run before the metrics).

All postings are clustered again each time (``normalize.clusters``), since a new posting can
join two old clusters; only the rows whose cluster changed are written back. Rule 1 (same
source and source id) needs no reading here: the store keeps one row per pair.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import sqlite_utils

from db import reads
from db.writes import store_clusters
from normalize.clusters import MIN_TEXT_CHARS, cluster_details


@dataclass
class Clusters:
    """Every posting's cluster (in the order of the postings read) and what changed in it."""
    ids: np.ndarray            # cluster id of each posting
    posting_ids: np.ndarray    # the postings' row ids
    rules: np.ndarray          # the rule that joined each posting (None: alone)
    changed: np.ndarray        # positions of the postings whose stored cluster_id/cluster_rule differ

    def counts(self, written: int) -> dict[str, int]:
        return {"postings": len(self.ids), "clusters": len(np.unique(self.ids)), "written": written}


def cluster_changes(postings: pd.DataFrame) -> Clusters:
    """Cluster postings read with their stored ``cluster_id`` and ``cluster_rule`` (columns as
    ``reads.cluster_inputs``) and find the rows whose values changed."""
    cluster_ids, rules = cluster_details(postings)
    stored_ids = postings["cluster_id"].to_numpy(dtype="float64")
    stored_rules = postings["cluster_rule"].astype(object).where(postings["cluster_rule"].notna(), None)
    changed = np.flatnonzero((stored_ids != cluster_ids) | (stored_rules.to_numpy(object) != rules))
    return Clusters(cluster_ids, postings["id"].to_numpy(), rules, changed)


def store_changes(db: sqlite_utils.Database, clusters: Clusters) -> dict[str, int]:
    """Write the changed rows; returns counts (postings, clusters, written)."""
    rows = clusters.changed
    written = store_clusters(db, clusters.posting_ids[rows].tolist(), clusters.ids[rows].tolist(),
                             clusters.rules[rows].tolist())
    return clusters.counts(written)


def update_clusters(db: sqlite_utils.Database) -> dict[str, int] | None:
    """Cluster the store's postings and write changed ``cluster_id``/``cluster_rule`` values.
    Returns counts (postings, clusters, written), or None when the store has no cluster columns
    (its schema predates migration 0003)."""
    postings = reads.cluster_inputs(db, MIN_TEXT_CHARS)
    if postings is None:
        return None
    return store_changes(db, cluster_changes(postings))
