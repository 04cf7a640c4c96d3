#!/usr/bin/env python3
"""Build raqib/lang/ar/first_names.tsv: Arabic-script personal-name words for the name tagger.

Source: the English → Arabic personal-name dictionary shipped in the `arabnamer` wheel (PyPI
`arabnamer` 0.1.3, data file `arabnamer/data/dict_FINAL.json`, CC BY 4.0, © Elsayed Yousef,
https://github.com/sayedyousef/arabnamer). Given names and family names, Arab and foreign.

Kept: single-word Arabic values, normalised with `normalize_key`, at least 2 letters; dropped: a
hand list of function and common news words that the dictionary also holds (ان، كان، خلال…).
The tagger uses the list as one feature ("is a personal-name word"), and the clitic trimmer as a
lexicon of bare name forms.

    pip download --no-deps -d /tmp/an arabnamer==0.1.3
    python3 scripts/build_first_names.py /tmp/an/arabnamer-0.1.3-py3-none-any.whl
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from raqib.text.normalize import normalize_key  # noqa: E402

OUT = os.path.join(ROOT, "raqib", "lang", "ar", "first_names.tsv")

# common words (normalised) that the name dictionary also lists; they would make the feature noisy
DROP = set("""
ان لا خلال كان بان رييس الاحد بيان امام الف دون الان العسكري فان ابريل وان الثاني كبير الاول ريف
نظام اللبناني العربي حرب البيت كامل يناير افضل في من عن الي هذا هذه ذلك التي الذي قد ما او ثم كل
بعد قبل عند منذ حتى مع بين اي هو هي هم نحن انا كما لم لن اذا اما الا غير عام يوم ايام شهر سنه
مايو يونيو يوليو اغسطس سبتمبر اكتوبر نوفمبر ديسمبر فبراير مارس السبت الاثنين الثلاثاء الاربعاء
الخميس الجمعه جديد جديده الجديد كبيره الكبير صغير قال اكد اضاف وقال
""".split())


def read_dict(path: str) -> dict:
    if path.endswith(".whl") or path.endswith(".zip"):
        with zipfile.ZipFile(path) as z:
            name = next(n for n in z.namelist() if n.endswith("data/dict_FINAL.json"))
            return json.loads(z.read(name).decode("utf-8"))
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("source", help="arabnamer wheel (.whl) or its data/dict_FINAL.json")
    ap.add_argument("--out", default=OUT)
    a = ap.parse_args(argv)
    d = read_dict(a.source)
    words = set()
    for v in d.values():
        k = normalize_key(v)
        if " " in k or len(k) < 2 or k in DROP:
            continue
        if not all("\u0621" <= c <= "\u064a" for c in k):
            continue
        words.add(k)
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("# Personal-name words (given and family names), normalised; one a line. Built by\n"
                "# scripts/build_first_names.py from the arabnamer name dictionary (CC BY 4.0, Elsayed Yousef,\n"
                "# https://github.com/sayedyousef/arabnamer), common words removed. See raqib/kb/SOURCES.md.\n")
        for w in sorted(words):
            f.write(w + "\n")
    print(f"{len(words)} names → {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
