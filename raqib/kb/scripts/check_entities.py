#!/usr/bin/env python3
"""Validate the entity knowledge base: raqib/kb/entities.tsv and raqib/kb/roles.tsv.

Errors (exit status 1):
  entities.tsv  bad header or column count; empty id/type/name_ar/name_en; a bad id (not
                `per:`/`org:`/`loc:` + lowercase slug, or a prefix that disagrees with the type);
                a bad type (PER, ORG, LOC); a duplicate id; an empty alias item ("a||b"), stray
                whitespace or a tab in a field; a wikidata value that is not Q<digits>; an alias
                (Arabic or Latin, compared with `normalize_key` and case-folded) shared by two
                entities or repeated within one; an alias that is a bare common word on the stop
                list (النظام، الدولة، الجيش، الحكومة...); a person alias that is only a title + another
                alias of the same person (titles are stripped by the matcher).
  roles.tsv     bad header or column count; empty role; an unknown or non-PER entity; a date that
                is not YYYY, YYYY-MM or YYYY-MM-DD; `to` not after `from`; a duplicate row; a role
                phrase that is also an entity alias; two different holders of one phrase whose
                terms overlap (terms are half-open [from, to), compared as the loader does:
                a partial date stands for the first day of its month or year).
Warnings (printed, exit status 0): person aliases that begin with a title word (kept on purpose when
the bare name is ambiguous, e.g. الملك سلمان).

Coverage against annotated articles (JSONL lines with `entities: [{name_en, type, mentions}]`):
the share of gold PER/ORG entities with at least one mention that is, after `normalize_key`, a surface
form of some KB entity; reported exactly and with one proclitic stripped from the mention as the
matcher does (و/ف + ب/ل/ك, لل → ال):
  python3 raqib/kb/scripts/check_entities.py --coverage ../shared/eval/train.jsonl ../shared/eval/dev.jsonl [-v]

Usage: python3 raqib/kb/scripts/check_entities.py [--entities PATH] [--roles PATH] [-q] [--coverage JSONL ...] [-v]
"""
from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

try:
    from raqib.text.normalize import normalize_key
except ImportError:  # run as a plain script from anywhere
    sys.path.insert(0, str(Path(__file__).resolve().parents[3]))
    from raqib.text.normalize import normalize_key

KB_DIR = Path(__file__).resolve().parents[1]
ENT_HEADER = ["id", "type", "name_ar", "name_en", "aliases_ar", "aliases_en", "wikidata", "note"]
ROLE_HEADER = ["role_ar", "entity_id", "from", "to", "note"]
TYPES = {"PER": "per", "ORG": "org", "LOC": "loc"}
ID_RE = re.compile(r"^(per|org|loc):[a-z0-9]+(?:-[a-z0-9]+)*$")
QID_RE = re.compile(r"^Q[1-9][0-9]*$")
DATE_RE = re.compile(r"^\d{4}(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$")
LETTER_RE = re.compile(r"[A-Za-z\u0621-\u064A]")

# Bare common words and generic back-references that must never be aliases (compared normalised).
STOP_ALIASES = """
النظام الدولة الجيش الحكومة الوزارة المنظمة الحزب التنظيم المرصد الاتحاد الوكالة التحالف المعارضة
القوات الشرطة البرلمان الرئاسة الصحيفة المجلس الحركة الجماعة اللجنة الهيئة الجبهة الإدارة السلطات
الخارجية الدفاع الداخلية الأمن المخابرات الاستخبارات الوطن العربية الجزيرة الحياة الأخبار النهار
الحرة العالم الثورة المنار الميادين الحدث الشباب الرياض الأحباب سبق الطيف
وزارة_الخارجية وزارة_الدفاع وزارة_الداخلية مجلس_النواب مجلس_الشعب الشرق_الأوسط القوات_الحكومية
القوات_النظامية قوات_الجيش قوات_الحكومة الجيش_الوطني الدفاع_الوطني المجلس_العسكري مجلس_الشورى
الحكومة_المؤقتة_الجديدة المنظمة_الدولية المنظمة_الأممية الجمعية_العامة الوكالة_الدولية
مركز_مكافحة_الإرهاب اللجنة_المدنية أمن_الدولة الأمن_العام الأمن_السياسي حزب_الأمة خالد_بن_الوليد
""".split()
STOP_KEYS = {normalize_key(w.replace("_", " ")) for w in STOP_ALIASES}

# Title words that the matcher strips before person names.
TITLES = ["الرئيس", "الوزير", "وزير", "السيد", "السيدة", "الشيخ", "الأمير", "الأميرة", "الملك", "الملكة",
          "العماد", "اللواء", "العميد", "العقيد", "الجنرال", "المفتي", "آية الله", "الدكتور", "د.",
          "البابا", "الإمام", "السفير", "المستشارة", "المستشار"]
TITLE_KEYS = sorted({normalize_key(t) for t in TITLES}, key=len, reverse=True)


def _key(s: str) -> str:
    return normalize_key(s).casefold()


def _split(s: str) -> list[str]:
    return s.split("|") if s else []


def _read(path: Path, header: list[str], errors: list[str]):
    """Rows (line number, list of fields) after the leading comment lines and the header."""
    rows, seen_header = [], False
    with path.open(encoding="utf-8", newline="") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n").rstrip("\r")
            if not seen_header:
                if line.startswith("#") or not line.strip():
                    continue
                if line.split("\t") != header:
                    errors.append(f"{path.name}:{n}: header must be {' | '.join(header)}")
                    return rows
                seen_header = True
                continue
            if not line.strip():
                continue
            if line.startswith("#"):
                errors.append(f"{path.name}:{n}: comment lines are only allowed before the header")
                continue
            rows.append((n, line.split("\t")))
    if not seen_header:
        errors.append(f"{path.name}: no header line")
    return rows


def _date_lo(d: str) -> str:
    """The first day a partial date stands for (the loader compares ISO strings)."""
    return d + "-01-01" if len(d) == 4 else d + "-01" if len(d) == 7 else d


def check(entities_path: Path | str = KB_DIR / "entities.tsv", roles_path: Path | str | None = KB_DIR / "roles.tsv"):
    """Validate the files; returns (errors, warnings, stats)."""
    entities_path = Path(entities_path)
    errors: list[str] = []
    warnings: list[str] = []
    ents: dict[str, dict] = {}
    owner: dict[str, str] = {}
    n_alias = 0
    for n, f in _read(entities_path, ENT_HEADER, errors):
        where = f"{entities_path.name}:{n}"
        if len(f) != len(ENT_HEADER):
            errors.append(f"{where}: {len(f)} columns, expected {len(ENT_HEADER)}")
            continue
        d = dict(zip(ENT_HEADER, f))
        for col in ENT_HEADER:
            v = d[col]
            if v != v.strip() or "  " in v:
                errors.append(f"{where}: stray whitespace in {col}")
        for col in ("id", "type", "name_ar", "name_en"):
            if not d[col].strip():
                errors.append(f"{where}: empty {col}")
        eid, typ = d["id"], d["type"]
        if typ not in TYPES:
            errors.append(f"{where}: bad type {typ!r} (PER, ORG or LOC)")
        if not ID_RE.match(eid):
            errors.append(f"{where}: bad id {eid!r} (per:/org:/loc: + lowercase slug)")
        elif typ in TYPES and not eid.startswith(TYPES[typ] + ":"):
            errors.append(f"{where}: id {eid!r} does not match type {typ}")
        if eid in ents:
            errors.append(f"{where}: duplicate id {eid}")
            continue
        if d["wikidata"] and not QID_RE.match(d["wikidata"]):
            errors.append(f"{where}: bad wikidata {d['wikidata']!r}")
        if d["name_ar"] and not re.search(r"[\u0621-\u064A]", d["name_ar"]):
            errors.append(f"{where}: name_ar has no Arabic letter")
        ents[eid] = d
        forms: list[str] = []
        for col in ("aliases_ar", "aliases_en"):
            items = _split(d[col])
            for a in items:
                if not a.strip() or a != a.strip():
                    errors.append(f"{where}: empty alias item or stray spaces in {col} ({d[col]!r})")
                elif not LETTER_RE.search(a):
                    errors.append(f"{where}: alias {a!r} has no letter")
            forms += [a for a in items if a.strip()]
        own: set[str] = set()
        for a in [d["name_ar"], d["name_en"]] + forms:
            k = _key(a)
            if not k:
                continue
            if k in STOP_KEYS:
                errors.append(f"{where}: {eid}: alias {a!r} is a bare common word (put it in the note)")
            other = owner.get(k)
            if other and other != eid:
                errors.append(f"{where}: alias {a!r} of {eid} is also an alias of {other}")
            owner[k] = eid
            own.add(k)
        n_alias += len(forms)
        # repeated aliases inside one entity (the names themselves may be repeated in the alias lists)
        for col in ("aliases_ar", "aliases_en"):
            keys = [_key(a) for a in _split(d[col]) if a.strip()]
            dup = {k for k in keys if keys.count(k) > 1}
            if dup:
                errors.append(f"{where}: {eid}: repeated alias in {col}: {', '.join(sorted(dup))}")
        if typ == "PER":
            for a in dict.fromkeys([d["name_ar"]] + _split(d["aliases_ar"])):
                k = normalize_key(a)
                for t in TITLE_KEYS:
                    if k.startswith(t + " "):
                        rest = k[len(t) + 1:]
                        if rest in own:
                            errors.append(f"{where}: {eid}: alias {a!r} is a title + the alias {rest!r} "
                                          f"(the matcher strips titles)")
                        else:
                            warnings.append(f"{where}: {eid}: alias {a!r} begins with a title")
                        break
    stats = {"entities": len(ents), "PER": sum(e["type"] == "PER" for e in ents.values()),
             "ORG": sum(e["type"] == "ORG" for e in ents.values()),
             "LOC": sum(e["type"] == "LOC" for e in ents.values()), "aliases": n_alias, "roles": 0}
    if roles_path is None:
        return errors, warnings, stats
    roles_path = Path(roles_path)
    terms: dict[str, list] = {}
    seen_rows = set()
    for n, f in _read(roles_path, ROLE_HEADER, errors):
        where = f"{roles_path.name}:{n}"
        if len(f) != len(ROLE_HEADER):
            errors.append(f"{where}: {len(f)} columns, expected {len(ROLE_HEADER)}")
            continue
        d = dict(zip(ROLE_HEADER, f))
        role, eid, fr, to = d["role_ar"], d["entity_id"], d["from"], d["to"]
        if not role.strip() or role != role.strip():
            errors.append(f"{where}: empty role or stray spaces")
            continue
        if eid not in ents:
            errors.append(f"{where}: unknown entity {eid!r}")
        elif ents[eid]["type"] != "PER":
            errors.append(f"{where}: role holder {eid} is not a PER entity")
        if not fr:
            errors.append(f"{where}: empty from")
        for v, col in ((fr, "from"), (to, "to")):
            if v and not DATE_RE.match(v):
                errors.append(f"{where}: bad {col} date {v!r} (YYYY, YYYY-MM or YYYY-MM-DD)")
        if fr and to and DATE_RE.match(fr) and DATE_RE.match(to) and _date_lo(to) <= _date_lo(fr):
            errors.append(f"{where}: to {to} is not after from {fr}")
        rk = normalize_key(role)
        if (rk, eid, fr) in seen_rows:
            errors.append(f"{where}: duplicate row {role} / {eid} / {fr}")
        seen_rows.add((rk, eid, fr))
        if _key(role) in owner:
            errors.append(f"{where}: role phrase {role!r} is also an alias of {owner[_key(role)]}")
        lo = _date_lo(fr) if fr and DATE_RE.match(fr) else "0000"
        hi = _date_lo(to) if to and DATE_RE.match(to) else "9999"
        for (eid2, lo2, hi2, n2) in terms.get(rk, []):
            if eid2 != eid and max(lo, lo2) < min(hi, hi2):
                errors.append(f"{where}: {role!r}: term of {eid} [{fr}, {to or '…'}) overlaps "
                              f"{eid2} (line {n2})")
        terms.setdefault(rk, []).append((eid, lo, hi, n))
        stats["roles"] += 1
    stats["role_phrases"] = len(terms)
    return errors, warnings, stats


def surface_index(entities_path: Path | str = KB_DIR / "entities.tsv") -> dict[str, set[str]]:
    """normalize_key(surface form) -> entity ids, over name_ar, aliases_ar, name_en and aliases_en."""
    idx: dict[str, set[str]] = {}
    for _, f in _read(Path(entities_path), ENT_HEADER, []):
        d = dict(zip(ENT_HEADER, f))
        for a in [d.get("name_ar", ""), d.get("name_en", "")] + _split(d.get("aliases_ar", "")) + _split(d.get("aliases_en", "")):
            if a.strip():
                idx.setdefault(normalize_key(a), set()).add(d["id"])
    return idx


def mention_keys(mention: str, clitics: bool) -> list[str]:
    """Lookup keys for a gold mention: the normalised form, plus forms without one proclitic."""
    k = normalize_key(mention)
    out = [k]
    if not clitics:
        return out
    heads = [k] + ([k[1:]] if k[:1] in "وف" and len(k) > 3 else [])
    for h in heads:
        out.append(h)
        if h.startswith("لل") and len(h) > 3:
            out.append("ال" + h[2:])
        if h[:1] in "بلك" and len(h) > 3:
            out.append(h[1:])
    return out


def coverage(paths, entities_path: Path | str = KB_DIR / "entities.tsv", verbose: bool = False) -> None:
    import json

    idx = surface_index(entities_path)
    for path in paths:
        for clitics in (False, True):
            tot = hit = 0
            misses = []
            with open(path, encoding="utf-8") as f:
                for line in f:
                    if not line.strip():
                        continue
                    for e in json.loads(line).get("entities", []):
                        if e.get("type") not in ("PER", "ORG"):
                            continue
                        tot += 1
                        if any(k in idx for m in e.get("mentions", []) for k in mention_keys(m, clitics)):
                            hit += 1
                        else:
                            misses.append(f"{e.get('type')} {e.get('name_en')}: {' | '.join(e.get('mentions', []))}")
            mode = "one proclitic stripped" if clitics else "exact"
            print(f"{path}: {hit}/{tot} = {hit / max(tot, 1):.1%} gold PER/ORG entities found ({mode})")
            if verbose and clitics:
                for m in misses:
                    print("   miss:", m)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entities", default=KB_DIR / "entities.tsv", type=Path)
    ap.add_argument("--roles", default=KB_DIR / "roles.tsv", type=Path)
    ap.add_argument("-q", "--quiet", action="store_true", help="do not print warnings")
    ap.add_argument("--coverage", nargs="+", metavar="JSONL", help="also report gold PER/ORG coverage")
    ap.add_argument("-v", "--verbose", action="store_true", help="list coverage misses")
    args = ap.parse_args(argv)
    if args.coverage:
        coverage(args.coverage, args.entities, args.verbose)
    errors, warnings, stats = check(args.entities, args.roles if args.roles.exists() else None)
    if not args.quiet:
        for w in warnings:
            print("warning:", w)
    for e in errors:
        print("error:", e)
    print(", ".join(f"{k} {v}" for k, v in stats.items()), f"| {len(errors)} errors, {len(warnings)} warnings")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
