"""Arbitrary text never crashes the pipeline, and every offset slices to the text it reports."""
import random

import pytest

from raqib.article import Article
from raqib.pipeline import analyze

ALPHABET = list("ابتثجحخدذرزسشصضطظعغفقكلمنهويءآأإؤئىة ًٌٍَُِّْـ«»“”\"'،؛؟.!:()[]#_-/0123456789٠١٢٣٤٥٦٧٨٩٪%\n\t ") \
    + ["\u200f", "\u200e", "\ufeff", "😀", "a", "Z"]
WORDS = ("قال أكد نفى بحسب وفقا لـ عن إن أن وزارة الدفاع الروسية الخوذ البيضاء إدلب دمشق تشرين الثاني "
         "شباط الماضي 2018 نحو مليون المئات ثلاث ، “ ” : .").split()


def _texts(n=150, seed=7):
    rnd = random.Random(seed)
    for _ in range(n):
        if rnd.random() < 0.5:
            yield "".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, 300)))
        else:
            yield " ".join(rnd.choice(WORDS) for _ in range(rnd.randint(0, 80)))


@pytest.mark.parametrize("published", [None, "2019-11-26", "2018-04-16T10:00:00+03:00"])
def test_random_text_gives_consistent_offsets(published):
    for s in _texts():
        d = analyze(Article(text=s, published=published)).to_dict()
        assert d["text"] == s
        for c in d["claims"]:
            for k in ("cue", "content"):
                assert s[c[k]["start"]:c[k]["end"]] == c[k]["text"]
            if c["speaker"]:
                assert s[c["speaker"]["start"]:c["speaker"]["end"]] == c["speaker"]["text"]
        for layer in ("times", "quantities"):
            for x in d[layer]:
                assert s[x["start"]:x["end"]] == x["text"]
        for e in d["entities"]:
            for m in e["mentions"]:
                assert s[m["start"]:m["end"]] == m["text"]
        ids = {e["id"] for e in d["entities"]}
        assert all(p["entity"] in ids for p in d["places"])
