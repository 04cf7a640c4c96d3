#!/usr/bin/env python3
"""Sanity check for levant.geojson (stdlib only): python3 raqib/web/static/geo/check_boundaries.py"""
import json
import os

PATH = os.path.join(os.path.dirname(os.path.abspath(__file__)), "levant.geojson")


def polygons(geom):
    return [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]


def in_ring(x, y, ring):
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def contains(feature, lat, lon):
    return any(in_ring(lon, lat, p[0]) and not any(in_ring(lon, lat, h) for h in p[1:])
               for p in polygons(feature["geometry"]))


def main():
    assert os.path.getsize(PATH) < 400 * 1024, "levant.geojson must stay under 400 KB"
    fc = json.load(open(PATH, encoding="utf-8"))
    countries = {f["properties"]["iso_a2"]: f for f in fc["features"]
                 if f["properties"]["kind"] == "country"}
    govs = {f["properties"]["pcode"]: f for f in fc["features"]
            if f["properties"]["kind"] == "governorate"}
    assert set(countries) == {"SY", "TR", "IQ", "JO", "LB", "IL", "PS", "CY", "EG", "SA", "IR"}
    assert all(f["properties"]["name_ar"] and f["properties"]["name_en"] for f in fc["features"])
    # Damascus (33.51N, 36.29E) lies in Syria and in no other country
    assert contains(countries["SY"], 33.51, 36.29), "Syria must contain Damascus"
    assert [c for c, f in countries.items() if contains(f, 33.51, 36.29)] == ["SY"]
    for lat, lon, iso in [(33.89, 35.50, "LB"), (31.95, 35.93, "JO"), (33.31, 44.36, "IQ"),
                          (39.93, 32.86, "TR"), (35.17, 33.36, "CY"), (30.04, 31.24, "EG")]:
        assert contains(countries[iso], lat, lon), (iso, lat, lon)
    if govs:
        assert len(govs) == 14, sorted(govs)
        assert contains(govs["SY01"], 33.51, 36.29), "Damascus governorate must contain Damascus"
        assert contains(govs["SY02"], 36.20, 37.16), "Aleppo governorate must contain Aleppo"
    print("levant.geojson OK: %d features (%d countries, %d governorates)"
          % (len(fc["features"]), len(countries), len(govs)))


if __name__ == "__main__":
    main()
