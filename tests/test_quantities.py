"""Tests for raqib.extract.quantities (short made-up sentences)."""
import time

import pytest

from raqib.extract.quantities import extract_quantities


def values(text):
    return [(q["value"], q["approx"]) for q in extract_quantities(text)]


def one(text):
    qs = extract_quantities(text)
    assert len(qs) == 1, qs
    return qs[0]


@pytest.mark.parametrize("text, value, approx", [
    ("أفاد التقرير بوصول ثلاث شاحنات إلى المدينة", 3, False),
    ("وشهدت سوريا 336 هجمة بالسلاح الكيماوي", 336, False),
    ("حمّل البيان النظام المسؤولية عن 98% منها", 98, False),
    ("مع مشاركة التنظيم بـ 2% من الهجمات", 2, False),
    ("سببت الحملة نزوح نحو مليون شخص من المنطقة", 1000000, True),
    ("أدى القصف إلى مقتل المئات في البلدة", 100, True),
    ("قتل أربعة مدنيين في القصف", 4, False),
    ("استمرت المعارك خمس عشرة دقيقة", 15, False),
    ("انتشر ثلاثة آلاف جندي على الحدود", 3000, False),
    ("قتل خمسة وعشرين شخصا في الهجوم", 25, False),
    ("يعيش في المخيمات نحو مليون ونصف لاجئ", 1500000, True),
    ("نزح 1.5 مليون شخص خلال الحملة", 1500000, False),
    ("هجّر القصف ستة ملايين سوري", 6000000, False),
    ("أرسلت الوزارة ألفي جندي", 2000, False),
    ("وزعت المنظمة مئتي سلة غذائية", 200, False),
    ("وصل مائتي لاجئ إلى الحدود", 200, False),
    ("اعتقلت القوات ثلاثمائة رجل", 300, False),
    ("يقطن المدينة نصف مليون نسمة", 500000, False),
    ("أحصى المرصد ٣٣٦ غارة جوية", 336, False),
    ("تراجعت المساعدات بنسبة ٩٨٪ خلال الشتاء", 98, False),
    ("وصل عدد النازحين إلى 1,000 شخص", 1000, False),
    ("سجلت المنظمة 1٬200 حالة", 1200, False),
    ("يعيش نحو 1,4 مليون شخص في المحافظة", 1400000, True),
    ("ارتفعت الأسعار 25 في المئة", 25, False),
    ("انخفض الإنتاج نحو 15 بالمئة", 15, True),
    ("نزح عشرات الآلاف من سكان الريف", 10000, True),
    ("فر مئات الآلاف من المدنيين", 100000, True),
    ("دمرت الغارات عشرات المنازل", 10, True),
    ("أنفقت الحكومة ملايين الدولارات", 1000000, True),
    ("قتل 25 مدنيا على الأقل في الغارة", 25, True),
    ("اعتقل ما يزيد على 700 شخص", 700, True),
    ("أصيب ما لا يقل عن 46 مدنيا", 46, True),
    ("تضم القائمة أكثر من 400 ألف اسم", 400000, True),
    ("قدرت الخسائر بنحو 50 مليون يورو", 50000000, True),
    ("أعلنت الدول الثلاث موقفا موحدا", 3, False),
    ("شارك في الاجتماع ممثلو الدول الـ10", 10, False),
    ("قتل نحو 135 الفا من السكان", 135000, True),
])
def test_single_values(text, value, approx):
    q = one(text)
    assert q["value"] == pytest.approx(value, rel=0.01)
    assert q["approx"] is approx
    assert q["text"] == text[q["start"]:q["end"]]


@pytest.mark.parametrize("text, unit", [
    ("استمرت الهدنة يومين فقط", "day"),
    ("أطلقت الدفاعات صاروخين على الطائرة", "missile"),
    ("قتل شخصين في الانفجار", "person"),
    ("أسقطت طائرتين مروحيتين", "aircraft"),
    ("اجتمع الرئيسان في أنقرة", "president"),
])
def test_duals(text, unit):
    q = extract_quantities(text)[0]
    assert q["value"] == 2 and q["approx"] is False
    assert q["unit"] == unit


def test_dual_with_explicit_two_is_one_quantity():
    q = one("انتشلت فرق الإنقاذ جثتين اثنتين")
    assert q["value"] == 2 and q["text"] == "جثتين اثنتين"


def test_range_gives_two():
    qs = extract_quantities("تراوحت أعمارهم بين 10 و20 عاما")
    assert [q["value"] for q in qs] == [10, 20]


def test_approximate_range_gives_two_approximate():
    qs = extract_quantities("أطلقت السفن ما بين 100 إلى 120 صاروخا")
    assert [(q["value"], q["approx"]) for q in qs] == [(100, True), (120, True)]


def test_range_shares_scale():
    qs = extract_quantities("يتقاضى المقاتل من 5 إلى 10 آلاف ليرة")
    assert [q["value"] for q in qs] == [5000, 10000]


def test_sample_sentence_offsets():
    text = "وشهدت سوريا 336 هجمة، مع مشاركة التنظيم بـ 2% من الهجمات"
    qs = extract_quantities(text)
    assert [q["value"] for q in qs] == [336, 2]
    for q in qs:
        assert text[q["start"]:q["end"]] == q["text"]
    assert qs[0]["start"] < qs[0]["end"] <= qs[1]["start"]


@pytest.mark.parametrize("text", [
    "احتلت المدينة المركز الثالث في القائمة",
    "وقع الهجوم عام 2018 في دوما",
    "اتهمت الوزارة الثلاثاء 26 من تشرين الثاني المقاتلين بالتحضير لهجوم",
    "صدر التقرير في 12 أغسطس الماضي",
    "اعتقلت القوات عدة أشخاص",
    "فر بضع عائلات من القرية",
    "دعا القرار 2401 إلى وقف إطلاق النار",
    "نشرت روسيا منظومة إس-400 في قاعدة حميميم",
    "وقع الانفجار الساعة 10:30 صباحا",
    "اتصلوا على الرقم 0933123456",
    "قال الوزير الاثنين إن الاتفاق صامد",
    "هذه واحدة من أكبر الهجمات",
    "جرى ذلك في الخامس عشر من آذار",
])
def test_not_quantities(text):
    assert extract_quantities(text) == []


def test_ordinal_and_year_beside_a_quantity():
    qs = extract_quantities("قتل 15 شخصا في 3 آذار 2019 في الهجوم الثالث")
    assert [q["value"] for q in qs] == [15]


def test_output_shape_sorted_non_overlapping():
    text = "قتل 3 مدنيين وأصيب عشرات آخرون، ونزح نحو 50 ألف شخص خلال يومين"
    qs = extract_quantities(text)
    assert [q["value"] for q in qs] == [3, 10, 50000, 2]
    last = -1
    for q in qs:
        assert set(q) == {"start", "end", "text", "value", "approx", "unit"}
        assert q["start"] >= last and q["start"] < q["end"]
        last = q["end"]


def test_speed():
    text = ("وشهدت سوريا 336 هجمة بالسلاح الكيماوي، وسببت الحملة مقتل المئات ونزوح نحو مليون شخص "
            "في الثلاثاء 26 من تشرين الثاني عام 2018. ") * 20
    extract_quantities(text)
    t0 = time.perf_counter()
    for _ in range(20):
        extract_quantities(text[:2000])
    assert (time.perf_counter() - t0) / 20 < 0.01
