-- 0002: title review. Aliases an analyst accepted with `jobmon review accept TITLE CODE`; the
-- matcher uses them on top of the shipped dictionary, and `jobmon review export` ships them.
CREATE TABLE title_aliases (
    alias_key             TEXT PRIMARY KEY,
    alias                 TEXT NOT NULL,
    code                  TEXT NOT NULL,
    level_name            TEXT NOT NULL,
    note                  TEXT,
    accepted_at           TEXT NOT NULL,
    matcher_version       TEXT NOT NULL,
    postings_renormalized INTEGER NOT NULL DEFAULT 0,
    seekers_renormalized  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX postings_title_clean ON postings(title_clean);
CREATE INDEX seekers_title_clean ON seekers(title_clean);
