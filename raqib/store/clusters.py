"""Tables for claim clusters, on both back ends (created on first use, beside the store's own).

    claim_vectors            claim_id, model, vec         a claim's sentence vector (float16 bytes),
                                                          kept so reruns embed only new claims
    claim_clusters           id, label, first_claim, size, polarity, updated
    claim_cluster_members    claim_id (unique), cluster_id, score
    claim_cluster_relations  cluster_a, cluster_b, type (contradicts | corroborates), score;
                             stored once per pair with cluster_a < cluster_b

Everything goes through the store's own connection and helpers (`_all`, `_write`, `_many`), so
SQL is written once with '?' placeholders.
"""
from __future__ import annotations

_TABLES = """
CREATE TABLE IF NOT EXISTS claim_vectors (
  claim_id {big} PRIMARY KEY REFERENCES claims(id) ON DELETE CASCADE,
  model TEXT NOT NULL, vec {blob} NOT NULL
);
CREATE TABLE IF NOT EXISTS claim_clusters (
  id {big} PRIMARY KEY, label TEXT, first_claim {big}, size INTEGER NOT NULL, polarity INTEGER,
  updated TEXT
);
CREATE TABLE IF NOT EXISTS claim_cluster_members (
  claim_id {big} PRIMARY KEY REFERENCES claims(id) ON DELETE CASCADE,
  cluster_id {big} NOT NULL REFERENCES claim_clusters(id) ON DELETE CASCADE,
  score REAL
);
CREATE INDEX IF NOT EXISTS claim_cluster_members_cluster ON claim_cluster_members(cluster_id);
CREATE TABLE IF NOT EXISTS claim_cluster_relations (
  cluster_a {big} NOT NULL REFERENCES claim_clusters(id) ON DELETE CASCADE,
  cluster_b {big} NOT NULL REFERENCES claim_clusters(id) ON DELETE CASCADE,
  type TEXT NOT NULL, score REAL,
  PRIMARY KEY (cluster_a, cluster_b)
);
CREATE INDEX IF NOT EXISTS claim_cluster_relations_b ON claim_cluster_relations(cluster_b)
"""


def is_postgres(store) -> bool:
    return str(getattr(store, "url", "")).startswith("postgres")


def ensure_tables(store) -> None:
    pg = is_postgres(store)
    ddl = _TABLES.format(big="BIGINT" if pg else "INTEGER", blob="BYTEA" if pg else "BLOB")
    with store._write() as cur:
        for stmt in ddl.split(";\n"):
            if stmt.strip():
                cur.execute(stmt.strip())


def load_claims(store) -> list[dict]:
    """Every stored claim with what clustering needs, oldest first."""
    rows = store._all(
        "SELECT c.id, c.article_id, c.local_id, c.cue_text, c.content_start, c.content_end, c.content_text, c.stance, "
        "c.speaker_text, se.name AS speaker_name, se.kb AS speaker_kb, a.ext_id, a.pub_date, a.published, "
        "a.source FROM claims c JOIN articles a ON a.id = c.article_id "
        "LEFT JOIN entities se ON se.id = c.speaker_entity "
        "ORDER BY COALESCE(a.pub_date, '9999'), c.article_id, c.id")
    targets: dict = {}
    for r in store._all("SELECT t.claim_id, e.kb, e.name FROM claim_targets t JOIN entities e ON e.id = t.entity_id"):
        targets.setdefault(r["claim_id"], []).append((r["kb"], r["name"]))
    via: dict = {}
    for r in store._all("SELECT v.claim_id, v.pos, v.text, e.name, e.kb FROM claim_via v "
                        "LEFT JOIN entities e ON e.id = v.entity_id ORDER BY v.claim_id, v.pos"):
        via.setdefault(r["claim_id"], []).append(r["name"] or r["text"])
    for r in rows:
        r["targets"] = targets.get(r["id"], [])
        r["via"] = via.get(r["id"], [])
    return rows


def load_vectors(store, model: str) -> dict:
    return {r["claim_id"]: r["vec"] for r in store._all("SELECT claim_id, vec FROM claim_vectors WHERE model = ?",
                                                        (model,))}


def save_vectors(store, model: str, items: list) -> None:
    """items: (claim_id, bytes)."""
    with store._write() as cur:
        store._ex(cur, "DELETE FROM claim_vectors WHERE model <> ?", (model,))
        store._many(cur, "INSERT INTO claim_vectors (claim_id, model, vec) VALUES (?, ?, ?) "
                         "ON CONFLICT (claim_id) DO UPDATE SET model = excluded.model, vec = excluded.vec",
                    [(cid, model, b) for cid, b in items])


def load_members(store) -> dict:
    return {r["claim_id"]: (r["cluster_id"], r["score"])
            for r in store._all("SELECT claim_id, cluster_id, score FROM claim_cluster_members")}


def clear(store) -> None:
    with store._write() as cur:
        for t in ("claim_cluster_relations", "claim_cluster_members", "claim_clusters"):
            store._ex(cur, f"DELETE FROM {t}")


def save(store, clusters: list[dict], new_members: list, relations: list, now: str) -> None:
    """One transaction: cluster rows (upserted), new memberships, all relations replaced."""
    with store._write() as cur:
        store._many(cur, "INSERT INTO claim_clusters (id, label, first_claim, size, polarity, updated) "
                         "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET label = excluded.label, "
                         "first_claim = excluded.first_claim, size = excluded.size, "
                         "polarity = excluded.polarity, updated = excluded.updated",
                    [(c["id"], c["label"], c["first_claim"], c["size"], c["polarity"], now) for c in clusters])
        store._many(cur, "INSERT INTO claim_cluster_members (claim_id, cluster_id, score) VALUES (?, ?, ?) "
                         "ON CONFLICT (claim_id) DO UPDATE SET cluster_id = excluded.cluster_id, "
                         "score = excluded.score", new_members)
        store._ex(cur, "DELETE FROM claim_cluster_relations")
        store._many(cur, "INSERT INTO claim_cluster_relations (cluster_a, cluster_b, type, score) VALUES (?, ?, ?, ?)",
                    relations)


def relations(store) -> list[dict]:
    return store._all("SELECT cluster_a, cluster_b, type, score FROM claim_cluster_relations")
