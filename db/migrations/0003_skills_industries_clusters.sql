-- 0003: skills and key industries of each posting (normalize/skills.py, normalize/industry.py),
-- and its duplicate cluster (normalize/clusters.py, stored by the monitor before each compute).
ALTER TABLE postings ADD COLUMN skills TEXT;
ALTER TABLE postings ADD COLUMN industries TEXT;
ALTER TABLE postings ADD COLUMN cluster_id INTEGER;
ALTER TABLE postings ADD COLUMN cluster_rule TEXT;
CREATE INDEX postings_cluster ON postings(cluster_id);
