"""The place gazetteer: loads raqib/kb/gazetteer.tsv (built by kb/scripts/build_gazetteer.py).

`load_gazetteer()` (cached) returns a `Gazetteer` with
  .get(id)          → Place or None (also synthesises "rif:<base id>:<dir>" countryside regions)
  .lookup(key)      → [Place] for a normalised key (`normalize_key`)
  .free(key)        → [Place] whose name `key` may match in running text without a trigger word
  .local(key)       → [Place] whose name `key` may match without a trigger in an article about its country
  .fuzzy(key)       → [Place] whose name is at edit distance 1 from key (keys of ≥ 4 letters; a deletion index)
  .fuzzy_keys(key)  → the same as [(name key, [Place])]
  .phrases(word)    → [(tuple of words, key)] of the names starting with `word`, longest first
plus the hand-made lists the place matcher needs (triggers, stop words, country adjectives).
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass
from functools import lru_cache

from ..text.normalize import normalize_key

KB = os.path.dirname(os.path.abspath(__file__))
LANG = os.path.join(os.path.dirname(KB), "lang", "ar")

KINDS = ("country", "governorate", "district", "subdistrict", "city", "town", "village", "neighbourhood",
         "region", "camp", "crossing")

# countryside ("ريف X <direction>") synthesised regions
DIRECTIONS = {
    # direction code: (Arabic adjectives after ريف (masc.), English, dlat, dlon)
    "N": (("الشمالي",), "northern", 1, 0), "S": (("الجنوبي",), "southern", -1, 0),
    "E": (("الشرقي",), "eastern", 0, 1), "W": (("الغربي",), "western", 0, -1),
    "NE": (("الشمالي", "الشرقي"), "northeastern", 0.7, 0.7),
    "NW": (("الشمالي", "الغربي"), "northwestern", 0.7, -0.7),
    "SE": (("الجنوبي", "الشرقي"), "southeastern", -0.7, 0.7),
    "SW": (("الجنوبي", "الغربي"), "southwestern", -0.7, -0.7),
}
DIR_BY_WORDS = {tuple(normalize_key(w) for w in v[0]): k for k, v in DIRECTIONS.items()}


@dataclass(frozen=True, slots=True)
class Place:
    id: str
    name_en: str
    name_ar: str
    country: str
    admin1: str
    kind: str
    lat: float
    lon: float
    population: int
    source: str = ""
    names: tuple = ()


def haversine(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


def _letters(key: str) -> int:
    k = key[2:] if key.startswith("ال") else key
    return len(k.replace(" ", ""))


def _edit1(a: str, b: str) -> bool:
    """True when a and b differ by exactly one insertion, deletion or substitution."""
    la, lb = len(a), len(b)
    if abs(la - lb) > 1 or a == b:
        return False
    if la > lb:
        a, b, la, lb = b, a, lb, la
    i = 0
    while i < la and a[i] == b[i]:
        i += 1
    if la == lb:
        return a[i + 1:] == b[i + 1:]
    return a[i:] == b[i + 1:]


class Gazetteer:
    def __init__(self, path: str | None = None):
        path = path or _data_path()
        self._by_id: dict[str, Place] = {}
        self._by_key: dict[str, list] = {}
        self._free: dict[str, list] = {}
        self._phr: dict[str, list] = {}
        self._del: dict | None = None
        self._synth: dict[str, Place] = {}
        self._joined: set = set()
        self._local: dict[str, list] = {}
        opener = _open(path)
        with opener as f:
            header = f.readline().rstrip("\n").split("\t")
            col = {h: i for i, h in enumerate(header)}
            ifree = col.get("free")
            for line in f:
                c = line.rstrip("\n").split("\t")
                names = tuple(c[2].split("|"))
                p = Place(c[0], c[1], names[0], c[3], c[4], c[5], float(c[6]), float(c[7]),
                          int(c[8] or 0), c[9], names)
                self._by_id[p.id] = p
                keys = [normalize_key(n) for n in names]
                fr = c[ifree] if ifree is not None and ifree < len(c) else ""
                free = set(keys) if fr == "*" else set(fr.split("|")) if fr else set()
                for k in dict.fromkeys(keys):
                    self._by_key.setdefault(k, []).append(p)
                    if k in free:
                        self._free.setdefault(k, []).append(p)
                    elif "~" + k in free:
                        self._local.setdefault(k, []).append(p)
        # social-media spelling of two-word names with the article joined to the first word (حفرالباطن,
        # ديرالزور): a one-word variant of every free name "X الY" (X of ≥ 2 letters, not عبد)
        for k in list(self._free):
            w = k.split(" ")
            if len(w) == 2 and w[1].startswith("ال") and len(w[0]) >= 2 and w[0] != "عبد":
                j = w[0] + w[1]
                if j not in self._by_key:
                    self._by_key[j] = self._by_key[k]
                    self._free[j] = self._free[k]
                    self._joined.add(j)
        for k in self._by_key:
            w = k.split(" ")
            self._phr.setdefault(w[0], []).append((tuple(w), k))
        for v in self._phr.values():
            v.sort(key=lambda e: -len(e[0]))
        self.max_words = max(len(e[0]) for v in self._phr.values() for e in v)
        self.triggers = _load_triggers()
        self.stopwords = _load_words(os.path.join(LANG, "place_stopwords.txt"))
        self.adjectives, self.capitals = self._load_countries()
        self._build_deletions()

    # ------------------------------------------------------------ lookups
    def get(self, id: str) -> Place | None:
        p = self._by_id.get(id)
        if p is None and id.startswith("rif:"):
            p = self._synth.get(id)
            if p is None:
                p = self._make_rif(id)
                if p is not None:
                    self._synth[id] = p
        return p

    def lookup(self, key: str) -> list:
        return self._by_key.get(key, [])

    def free(self, key: str) -> list:
        return self._free.get(key, [])

    def local(self, key: str) -> list:
        """[Place] whose name `key` may match without a trigger in an article about the place's country."""
        return self._local.get(key, [])

    def phrases(self, word: str) -> list:
        return self._phr.get(word, ())

    def fuzzy(self, key: str) -> list:
        """Places whose name is at edit distance 1 from `key` (keys of ≥ 4 letters)."""
        out = []
        for _, ps in self.fuzzy_keys(key):
            out += [p for p in ps if p not in out]
        return out

    def fuzzy_keys(self, key: str) -> list:
        """[(name key, [Place])] for the gazetteer keys at edit distance 1 from `key` (≥ 4 letters)."""
        if _letters(key) < 4:
            return []
        if self._del is None:
            self._build_deletions()
        seen, out = set(), []
        for v in [key] + [key[:i] + key[i + 1:] for i in range(len(key))]:
            for k in self._del.get(v, ()):
                if k not in seen and k != key and _edit1(k, key):
                    seen.add(k)
                    out.append((k, self._by_key[k]))
        return out

    def _build_deletions(self):
        d: dict[str, list] = {}
        for k in self._by_key:
            if _letters(k) < 4 or k in self._joined:
                continue
            d.setdefault(k, []).append(k)
            for i in range(len(k)):
                d.setdefault(k[:i] + k[i + 1:], []).append(k)
        self._del = d

    # ------------------------------------------------------------ countryside regions
    @staticmethod
    def rif_id(base: Place, direction: str = "") -> str:
        return f"rif:{base.id}:{direction}"

    def _make_rif(self, id: str) -> Place | None:
        try:
            _, rest = id.split(":", 1)
            base_id, direction = rest.rsplit(":", 1)
        except ValueError:
            return None
        base = self._by_id.get(base_id)
        if base is None or (direction and direction not in DIRECTIONS):
            return None
        step = 0.25 if base.kind in ("city", "governorate") else 0.1
        lat, lon = base.lat, base.lon
        name_en, name_ar = f"{base.name_en} countryside", "ريف " + _bare(base.name_ar)
        if direction:
            words, en, dlat, dlon = DIRECTIONS[direction]
            lat += dlat * step
            lon += dlon * step
            name_en = f"{en} {base.name_en} countryside"
            name_ar += " " + " ".join(words)
        return Place(id, name_en, name_ar, base.country, base.admin1, "region", round(lat, 5), round(lon, 5),
                     0, "rif", (name_ar,))

    # ------------------------------------------------------------ hand-made lists
    def _load_countries(self):
        adj, caps = {}, {}
        path = os.path.join(KB, "countries.tsv")
        if not os.path.exists(path):
            return adj, caps
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                c = line.rstrip("\n").split("\t")
                iso = c[0]
                cap = None
                if len(c) > 3 and c[3]:
                    k = normalize_key(c[3].split("|")[0])
                    cities = [p for p in self.lookup(k) if p.country == iso and p.kind == "city"]
                    if cities:
                        cap = max(cities, key=lambda p: ("capital" in p.source, p.population))
                        caps[iso] = cap.id
                if len(c) > 2 and c[2]:
                    for a in c[2].split("|"):
                        adj[normalize_key(a)] = iso
        return adj, caps


def _bare(name: str) -> str:
    for p in ("محافظة ", "ناحية ", "منطقة "):
        if name.startswith(p):
            return name[len(p):]
    return name


def _load_words(path: str) -> frozenset:
    out = set()
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.split("#", 1)[0].strip()
                if line:
                    out.add(normalize_key(line))
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class Trigger:
    word: str
    strong: bool
    kinds: tuple
    include: bool


def _load_triggers() -> dict:
    out = {}
    path = os.path.join(LANG, "place_triggers.tsv")
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            c = line.rstrip("\n").split("\t") + ["", "", ""]
            k = normalize_key(c[0])
            out[k] = Trigger(k, c[1] == "strong", tuple(x for x in c[2].split(",") if x), c[3] == "1")
    return out


def _data_path() -> str:
    p = os.path.join(KB, "gazetteer.tsv")
    if os.path.exists(p):
        return p
    return p + ".gz"


def _open(path: str):
    if path.endswith(".gz"):
        import gzip
        return gzip.open(path, "rt", encoding="utf-8")
    return open(path, encoding="utf-8")


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    return Gazetteer()
