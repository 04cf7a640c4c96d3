"""The entity knowledge base (raqib/kb/entities.tsv, raqib/kb/roles.tsv) and its validator."""
from __future__ import annotations

import csv
import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from raqib.text.normalize import normalize_key

ROOT = Path(__file__).resolve().parents[1]
KB = ROOT / "raqib" / "kb"
CHECKER = KB / "scripts" / "check_entities.py"


def _load_checker():
    spec = importlib.util.spec_from_file_location("check_entities", CHECKER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _rows(path: Path):
    with path.open(encoding="utf-8", newline="") as f:
        lines = [l for l in f if l.strip() and not l.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@pytest.fixture(scope="module")
def entities():
    return {r["id"]: r for r in _rows(KB / "entities.tsv")}


@pytest.fixture(scope="module")
def surface(entities):
    """normalize_key(Arabic surface form) -> set of entity ids (name_ar + aliases_ar)."""
    idx: dict[str, set] = {}
    for eid, r in entities.items():
        for a in [r["name_ar"]] + r["aliases_ar"].split("|"):
            if a:
                idx.setdefault(normalize_key(a), set()).add(eid)
    return idx


@pytest.fixture(scope="module")
def roles():
    return _rows(KB / "roles.tsv")


def holder(roles, role: str, date: str):
    """The entity holding `role` on `date` (ISO), as the loader decides: from <= date < to."""
    k = normalize_key(role)
    found = {r["entity_id"] for r in roles
             if normalize_key(r["role_ar"]) == k and r["from"] <= date and (not r["to"] or date < r["to"])}
    assert len(found) <= 1, (role, date, found)
    return found.pop() if found else None


def test_validator_passes_on_shipped_files():
    errors, warnings, stats = _load_checker().check(KB / "entities.tsv", KB / "roles.tsv")
    assert errors == []
    assert stats["entities"] >= 600 and stats["PER"] > 0 and stats["ORG"] > 0
    assert stats["roles"] > 0


def test_validator_cli_exit_status(tmp_path):
    ok = subprocess.run([sys.executable, str(CHECKER), "-q"], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    bad = tmp_path / "entities.tsv"
    bad.write_text(
        "id\ttype\tname_ar\tname_en\taliases_ar\taliases_en\twikidata\tnote\n"
        "org:a\tORG\tهيئة ألف\tAlpha\tألف|النظام\t\t\t\n"
        "org:b\tORG\tهيئة باء\tBeta\tألف\t\tQ12x\t\n"
        "org:b\tORG\tهيئة جيم\tGamma\t\t\t\t\n"
        "per:c\tORG\tجيم\t\t\t\t\t\n"
        "per:d\tPERSON\tدال\tD\t\t\t\t\n",
        encoding="utf-8")
    res = subprocess.run([sys.executable, str(CHECKER), "--entities", str(bad), "--roles", str(tmp_path / "none.tsv")],
                         capture_output=True, text=True)
    assert res.returncode == 1
    out = res.stdout
    for needle in ("also an alias of", "bare common word", "bad wikidata", "duplicate id",
                   "does not match type", "empty name_en", "bad type"):
        assert needle in out, needle


def test_validator_catches_role_problems(tmp_path):
    ents = tmp_path / "entities.tsv"
    ents.write_text(
        "id\ttype\tname_ar\tname_en\taliases_ar\taliases_en\twikidata\tnote\n"
        "per:a\tPER\tألف ألف\tA\t\t\t\t\n"
        "per:b\tPER\tباء باء\tB\t\t\t\t\n"
        "org:c\tORG\tجيم جيم\tC\t\t\t\t\n", encoding="utf-8")
    roles = tmp_path / "roles.tsv"
    roles.write_text(
        "role_ar\tentity_id\tfrom\tto\tnote\n"
        "رئيس الشيء\tper:a\t2010-01-01\t2015-01-01\t\n"
        "رئيس الشيء\tper:b\t2014-06\t\t\n"
        "رئيس الشيء\tper:x\t2016\t\t\n"
        "مدير الشيء\torg:c\t2016\t\t\n"
        "نائب الشيء\tper:a\t2016-13-01\t\t\n"
        "ألف ألف\tper:a\t2000\t1999\t\n", encoding="utf-8")
    errors, _, _ = _load_checker().check(ents, roles)
    text = "\n".join(errors)
    for needle in ("overlaps", "unknown entity", "not a PER entity", "bad from date", "not after from",
                   "also an alias of"):
        assert needle in text, needle


def test_no_alias_shared_by_two_entities(entities):
    owner = {}
    for eid, r in entities.items():
        for a in [r["name_ar"], r["name_en"]] + r["aliases_ar"].split("|") + r["aliases_en"].split("|"):
            if not a:
                continue
            k = normalize_key(a).casefold()
            assert owner.setdefault(k, eid) == eid, (a, eid, owner[k])


def test_types_and_ids(entities):
    assert {r["type"] for r in entities.values()} <= {"PER", "ORG", "LOC"}
    for eid, r in entities.items():
        assert eid.split(":")[0] == r["type"].lower()
        assert r["wikidata"] == "" or r["wikidata"].startswith("Q")


@pytest.mark.parametrize("eid, forms", [
    ("org:ru-mod", ["وزارة الدفاع الروسية", "الدفاع الروسية", "“الدفاع” الروسية"]),
    ("org:white-helmets", ["الخوذ البيضاء", "الدفاع المدني السوري", "الدفاع المدني"]),
    ("org:hts", ["هيئة تحرير الشام"]),
    ("org:tass", ["وكالة تاس", "تاس", "وكالة “تاس” الروسية"]),
    ("org:opcw", ["منظمة حظر الأسلحة الكيماوية", "حظر الأسلحة الكيماوية", "منظمة حظر الأسلحة الكيميائية",
                  "منظمة “حظر الأسلحة الكيماوية”"]),
    ("org:gppi", ["غلوبال بوبليك بولسي", "مؤسسة غلوبال بوبليك بولسي"]),
    ("org:response-coordinators", ["منسقو الاستجابة", "فريق منسقو الاستجابة"]),
    ("org:syrian-government", ["النظام السوري", "الحكومة السورية", "نظام الأسد"]),
    ("org:syrian-arab-army", ["الجيش السوري", "قوات النظام", "قوات النظام السوري", "القوات الحكومية السورية"]),
    ("org:isis", ["تنظيم الدولة", "داعش", "الدولة الإسلامية", "تنظيم الدولة الإسلامية", "تنظيم داعش"]),
    ("org:syrian-opposition", ["المعارضة السورية"]),
    ("per:abu-malik", ["أبو مالك"]),
    ("org:sana", ["وكالة سانا", "سانا", "الوكالة العربية السورية للأنباء"]),
    ("org:reuters", ["رويترز", "وكالة رويترز"]),
    ("org:afp", ["فرانس برس", "وكالة الصحافة الفرنسية", "أ ف ب"]),
    ("per:sergey-lavrov", ["سيرغي لافروف", "لافروف"]),
    ("per:bashar-al-assad", ["بشار الأسد", "الأسد"]),
    ("org:al-watan-syria", ["صحيفة الوطن", "جريدة الوطن"]),
    ("org:al-arabiya", ["قناة العربية"]),
    ("org:al-jazeera", ["قناة الجزيرة"]),
])
def test_sample_article_and_key_actors(surface, eid, forms):
    for f in forms:
        assert surface.get(normalize_key(f)) == {eid}, f


@pytest.mark.parametrize("word", ["النظام", "الدولة", "الجيش", "الحكومة", "دمشق", "الوطن", "العربية",
                                  "الجزيرة", "الوزارة", "المنظمة", "التحالف", "المعارضة"])
def test_common_words_are_not_aliases(surface, word):
    assert normalize_key(word) not in surface


def test_outlets_are_marked_for_the_loader(entities):
    for eid in ("org:tass", "org:sana", "org:reuters", "org:afp", "org:enab-baladi", "org:al-jazeera"):
        assert "outlet" in entities[eid]["note"].lower(), eid
    for eid in ("org:ru-mod", "org:white-helmets", "org:opcw", "org:hts"):
        note = entities[eid]["note"].lower()
        assert "outlet" not in note and not ("agency" in note and "news" in note), eid


def test_role_holders_are_person_entities(entities, roles):
    for r in roles:
        assert entities[r["entity_id"]]["type"] == "PER", r


@pytest.mark.parametrize("role, date, eid", [
    ("الرئيس الأمريكي", "2018-04-14", "per:donald-trump"),
    ("الرئيس الأميركي", "2016-05-01", "per:barack-obama"),
    ("الرئيس الأمريكي", "2022-03-01", "per:joe-biden"),
    ("الرئيس الأمريكي", "2025-03-01", "per:donald-trump"),
    ("الرئيس السوري", "2019-11-26", "per:bashar-al-assad"),
    ("الرئيس السوري", "2025-06-01", "per:ahmed-al-sharaa"),
    ("الرئيس الروسي", "2018-04-14", "per:vladimir-putin"),
    ("الرئيس الروسي", "2010-01-01", "per:dmitry-medvedev"),
    ("الرئيس التركي", "2019-10-09", "per:recep-tayyip-erdogan"),
    ("الرئيس الفرنسي", "2018-04-14", "per:emmanuel-macron"),
    ("رئيسة الوزراء البريطانية", "2018-04-14", "per:theresa-may"),
    ("وزير الخارجية الروسي", "2019-11-26", "per:sergey-lavrov"),
    ("وزير الخارجية الأمريكي", "2018-03-01", "per:rex-tillerson"),
    ("وزير الخارجية الأميركي", "2018-05-01", "per:mike-pompeo"),
    ("وزير الخارجية السوري", "2018-04-14", "per:walid-muallem"),
    ("وزير الدفاع الروسي", "2018-04-14", "per:sergey-shoigu"),
    ("وزير الدفاع الأمريكي", "2018-04-14", "per:james-mattis"),
    ("المبعوث الأممي إلى سوريا", "2018-04-14", "per:staffan-de-mistura"),
    ("المبعوث الأممي إلى سوريا", "2019-11-26", "per:geir-pedersen"),
    ("المتحدثة باسم وزارة الخارجية الروسية", "2018-04-14", "per:maria-zakharova"),
    ("المتحدث باسم الكرملين", "2018-04-14", "per:dmitry-peskov"),
    ("المندوب الروسي لدى الأمم المتحدة", "2018-04-14", "per:vassily-nebenzia"),
    ("المندوبة الأمريكية لدى الأمم المتحدة", "2018-04-14", "per:nikki-haley"),
    ("وزير الخارجية التركي", "2018-04-14", "per:mevlut-cavusoglu"),
    ("وزير الخارجية الإيراني", "2018-04-14", "per:javad-zarif"),
    ("الأمين العام للأمم المتحدة", "2018-04-14", "per:antonio-guterres"),
    ("المستشارة الألمانية", "2018-04-14", "per:angela-merkel"),
])
def test_roles_resolve_by_date(roles, role, date, eid):
    assert holder(roles, role, date) == eid


def test_role_gaps_and_ends(roles):
    assert holder(roles, "وزير الخارجية التركي", "2015-10-01") is None  # Sinirlioğlu's interim term
    assert holder(roles, "المبعوث الأممي إلى سوريا", "2019-01-03") is None  # between de Mistura and Pedersen
    assert holder(roles, "الرئيس السوري", "2025-01-01") is None  # after Assad, before al-Sharaa's presidency
    assert holder(roles, "وزير الدفاع الروسي", "2024-06-01") == "per:andrey-belousov"
