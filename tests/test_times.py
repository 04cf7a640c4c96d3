"""Tests for raqib.extract.times (short made-up sentences)."""
import pytest

from raqib.extract.times import extract_times

PUB = "2019-11-26"  # a Tuesday


def values(text, published=PUB):
    return [(t["text"], t["value"]) for t in extract_times(text, published)]


def value_of(text, fragment, published=PUB):
    """Value of the expression that contains `fragment` (must be found)."""
    i = text.index(fragment)
    for t in extract_times(text, published):
        if t["start"] <= i and i + len(fragment) <= t["end"]:
            return t["value"]
    raise AssertionError(f"no expression covers {fragment!r}: {values(text, published)}")


# ----------------------------------------------------------------- the sample-article patterns

def test_today_and_weekday_with_date():
    text = "قال المتحدث اليوم، الثلاثاء 26 من تشرين الثاني، إن الهجوم فشل."
    got = values(text)
    assert ("اليوم", "2019-11-26") in got
    assert ("الثلاثاء 26 من تشرين الثاني", "2019-11-26") in got


@pytest.mark.parametrize("text,fragment,value", [
    ("ارتفعت الأسعار منذ بداية تشرين الثاني الحالي.", "بداية تشرين الثاني الحالي", "2019-11"),
    ("توقفت الرحلات منذ شباط الماضي.", "شباط الماضي", "2019-02"),
    ("افتتح المعبر في حزيران من العام الماضي.", "حزيران من العام الماضي", "2018-06"),
    ("زار الوفد المدينة في نيسان عام 2018.", "نيسان عام 2018", "2018-04"),
    ("بدأ المشروع عام 2013 ثم توقف.", "عام 2013", "2013"),
])
def test_sample_patterns(text, fragment, value):
    assert value_of(text, fragment) == value


# ----------------------------------------------------------------- month names and forms

@pytest.mark.parametrize("text,fragment,value", [
    # Levantine / Egyptian dual forms
    ("وقع الانفجار في 7 نيسان/ أبريل الجاري.", "7 نيسان/ أبريل الجاري", "2019-04-07"),
    ("وقع الانفجار في السابع من نيسان/أبريل.", "السابع من نيسان/أبريل", "2019-04-07"),
    ("صدر التقرير في 15 تشرين الثاني/نوفمبر.", "15 تشرين الثاني/نوفمبر", "2019-11-15"),
    ("عقد الاجتماع في يناير/ كانون الثاني الماضي.", "يناير/ كانون الثاني الماضي", "2019-01"),
    ("انسحبت القوات في أبريل نيسان من العام الماضي.", "أبريل نيسان من العام الماضي", "2018-04"),
    # Egyptian / Gulf
    ("أعلنت الحكومة في 3 مارس 2011 حالة الطوارئ.", "3 مارس 2011", "2011-03-03"),
    ("تأجلت الانتخابات إلى يونيو المقبل.", "يونيو المقبل", "2020-06"),
    ("وصلت الشحنة في اغسطس 2016.", "اغسطس 2016", "2016-08"),
    # Maghrebi
    ("صدر القانون في جانفي 2019.", "جانفي 2019", "2019-01"),
    ("عدل النص في أفريل الماضي.", "أفريل الماضي", "2019-04"),
    ("انطلقت الحملة في جويلية 2017.", "جويلية 2017", "2017-07"),
    ("انتهت الأشغال في 20 أوت 2018.", "20 أوت 2018", "2018-08-20"),
    # parts of a month, ordinal days
    ("تحسن الوضع مطلع فبراير/شباط الجاري.", "مطلع فبراير/شباط الجاري", "2019-02"),
    ("تراجع القتال أواخر أيار/مايو.", "أواخر أيار/مايو", "2019-05"),
    ("جرت المفاوضات منتصف يوليو 2016.", "منتصف يوليو 2016", "2016-07"),
    ("أطلق سراحه في العاشر من أيار/مايو الماضي.", "العاشر من أيار/مايو الماضي", "2019-05-10"),
    ("عقدت القمة في الحادي والعشرين من أيلول 2015.", "الحادي والعشرين من أيلول 2015", "2015-09-21"),
])
def test_month_forms(text, fragment, value):
    assert value_of(text, fragment) == value


def test_past_month_after_publication_month_is_last_year():
    # published in November: "كانون الأول الماضي" can only be last December
    assert value_of("وصلت المساعدات في كانون الأول الماضي.", "كانون الأول الماضي") == "2018-12"
    assert value_of("وصلت المساعدات في كانون الأول الماضي.", "كانون الأول الماضي",
                    "2019-03-01") == "2018-12"


def test_future_month_in_future_sentence():
    assert value_of("ستجري الانتخابات المرتقبة في ديسمبر.", "ديسمبر") == "2019-12"


def test_ambiguous_month_words_need_date_context():
    # "مارس" is also a verb, "آب" also "father", "باب" a door: none is a month here
    assert values("مارس الجيش ضغوطا على سكان باب الهوى.") == []
    assert value_of("عاد اللاجئون في آب الماضي.", "آب الماضي") == "2019-08"


def test_split_day_range():
    got = values("ستعقد القمة يومي 8 و9 حزيران/يونيو في كيبيك.", "2018-04-24")
    assert ("يومي 8", "2018-06-08") in got
    assert ("9 حزيران/يونيو", "2018-06-09") in got


# ----------------------------------------------------------------- digits

def test_arabic_indic_digits():
    text = "وقع الهجوم في ٢٦ تشرين الثاني ٢٠١٨ وبدأت الحرب عام ٢٠١١."
    got = values(text)
    assert ("٢٦ تشرين الثاني ٢٠١٨", "2018-11-26") in got
    assert ("عام ٢٠١١", "2011") in got


def test_years_and_quantities():
    got = values("انتشر نحو 2000 جندي في المنطقة منذ 2015، وقتل 1500 شخص.")
    assert got == [("2015", "2015")]
    got = values("زار البلاد بين عامي 2014 و2016.")
    assert ("عامي 2014", "2014") in got and ("2016", "2016") in got
    assert value_of("تأسس الحزب عام 1992م.", "عام 1992م") == "1992"


# ----------------------------------------------------------------- weekdays and relative days

@pytest.mark.parametrize("text,fragment,value", [
    ("قال الوزير الثلاثاء إن المفاوضات مستمرة.", "الثلاثاء", "2019-11-26"),
    ("قال الوزير الأحد إن المفاوضات مستمرة.", "الأحد", "2019-11-24"),
    ("قصفت الطائرات القرية فجر السبت.", "فجر السبت", "2019-11-23"),
    ("وصل الفريق ظهر السبت.", "ظهر السبت", "2019-11-23"),
    ("أعلنت الرئاسة مساء الأحد عن الاتفاق.", "مساء الأحد", "2019-11-24"),
    ("اندلعت الاشتباكات ليل الجمعة.", "ليل الجمعة", "2019-11-22"),
    ("اجتمع المجلس الثلاثاء الماضي.", "الثلاثاء الماضي", "2019-11-19"),
    ("تجري الانتخابات السبت المقبل.", "السبت المقبل", "2019-11-30"),
    ("وذكرت الوكالة أمس الاثنين أن القافلة وصلت.", "أمس الاثنين", "2019-11-25"),
    ("حذرت الوزارة يوم أمس من التصعيد.", "يوم أمس", "2019-11-25"),
    ("وأضاف في وقت مبكر من صباح الأحد أن الوضع هادئ.", "صباح الأحد", "2019-11-24"),
])
def test_weekdays(text, fragment, value):
    assert value_of(text, fragment) == value


def test_weekday_uses_utc_date_of_timestamp():
    # 03:41 at +04:00 is still the previous day (a Thursday) in UTC
    assert value_of("أعلنت الحكومة اليوم الخميس طرد الدبلوماسيين.", "اليوم الخميس",
                    "2018-03-30T03:41:26+04:00") == "2018-03-29"


def test_relative_units():
    assert value_of("قال المسؤول العام الماضي إن الخطة فشلت.", "العام الماضي") == "2018"
    assert value_of("وصل الوفد الأسبوع الماضي.", "الأسبوع الماضي") == "2019-11"
    assert value_of("سيعود الوفد الشهر المقبل.", "الشهر المقبل") == "2019-12"
    assert value_of("بدأت العملية منذ نحو شهرين.", "منذ نحو شهرين") == "2019-09"
    assert value_of("اندلعت الحرب منذ سبعة أعوام.", "منذ سبعة أعوام") == "2012"
    assert value_of("وقع الانفجار قبل ستة أيام.", "قبل ستة أيام") == "2019-11-20"


# ----------------------------------------------------------------- vague references

@pytest.mark.parametrize("text,fragment,value", [
    ("ويعيش حاليا في دمشق.", "حاليا", "PRESENT_REF"),
    ("لم يصدر أي تعليق حتى الآن.", "حتى الآن", "PRESENT_REF"),
    ("وكان الوضع هادئا وقتها.", "وقتها", "PAST_REF"),
    ("ورفض الوزير حينها التعليق.", "حينها", "PAST_REF"),
    ("تصاعد العنف خلال السنوات الماضية.", "السنوات الماضية", "PAST_REF"),
    ("نزح الآلاف في الأيام القليلة الماضية.", "الأيام القليلة الماضية", "PAST_REF"),
    ("وسيصل الوفد في الأيام المقبلة.", "الأيام المقبلة", "FUTURE_REF"),
    ("وتراجعت الهجمات مؤخرا.", "مؤخرا", "PAST_REF"),
    ("وهو ما نفته الوزارة منذ أكثر من عام.", "منذ أكثر من عام", "PAST_REF"),
])
def test_vague_refs(text, fragment, value):
    assert value_of(text, fragment) == value


def test_durations_are_not_times():
    assert values("عاش اللاجئون لسنوات في المخيمات، وبعد ساعات وصلت المساعدات.") == []
    # "من قبل" as the passive agent ("by") is not a time
    assert values("استهدفت القافلة من قبل مسلحين.") == []


def test_bare_past_word_is_not_a_time():
    assert values("لا يجب تكرار أخطاء الماضي.") == []


def test_clock_time_takes_the_last_date():
    got = values("بدأت الضربات فجر السبت عند الساعة الرابعة والنصف فجرا بتوقيت دمشق.")
    assert ("الساعة الرابعة والنصف فجرا بتوقيت دمشق", "2019-11-23") in got


# ----------------------------------------------------------------- contract

def test_offsets_slice_to_text_sorted_non_overlapping():
    text = ("وقالت الوزارةُ، يوم الأربعاء 25 تموز/يوليو، إن الهجوم الذي وقع في آذار/مارس "
            "الماضي أدى إلى مقتل 20 شخصا، وإنها ستنشر تقريرها الأسبوع المقبل، وحتى الآن لم يرد أحد.")
    got = extract_times(text, "2018-07-27T13:41:49+00:00")
    assert got, "expected some times"
    prev_end = -1
    for t in got:
        assert set(t) == {"start", "end", "text", "value"}
        assert text[t["start"]:t["end"]] == t["text"]
        assert t["start"] >= prev_end
        prev_end = t["end"]
    vals = {t["text"]: t["value"] for t in got}
    assert vals["يوم الأربعاء 25 تموز/يوليو"] == "2018-07-25"
    assert value_of(text, "آذار/مارس", "2018-07-27") == "2018-03"
    assert vals["الأسبوع المقبل"] == "2018-08"
    assert vals["حتى الآن"] == "PRESENT_REF"


def test_diacritics_and_clitics():
    text = "وَصَلَ الوفدُ وفي مطلعِ العامِ الجاري عادَ، وبالأمس غادر."
    assert value_of(text, "مطلعِ العامِ الجاري") == "2019"
    assert value_of(text, "الأمس") == "2019-11-25"


def test_no_publication_date():
    got = values("وصل الوفد أمس، وكان قد زار المدينة في 3 آذار 2018 والعام الماضي.", None)
    assert ("أمس", "PAST_REF") in got
    assert ("3 آذار 2018", "2018-03-03") in got
    assert ("العام الماضي", "PAST_REF") in got
    assert extract_times("", None) == []
