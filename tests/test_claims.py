"""Claims: cue, speaker, content, via, stance and targets on short constructed Arabic sentences."""
from __future__ import annotations

import pytest

from raqib.article import Article
from raqib.pipeline import analyze


def claims_of(text, published="2018-04-16"):
    a = analyze(Article(text=text, published=published))
    ents = {e["id"]: e for e in a.entities}
    out = []
    for c in a.claims:
        sp = c["speaker"] or {}
        out.append({
            "cue": c["cue"]["text"],
            "speaker": sp.get("text"),
            "speaker_en": (ents.get(sp.get("entity")) or {}).get("name_en"),
            "content": c["content"]["text"],
            "stance": c["stance"],
            "via": [v["text"] for v in c["via"]],
            "direct": c["direct_quote"],
            "targets": [(ents.get(t) or {}).get("name_en") for t in c["targets"]],
        })
        for k in ("cue", "content"):
            assert a.text[c[k]["start"]:c[k]["end"]] == c[k]["text"]
    return out


def test_verb_subject_complement():
    (c,) = claims_of("قال وزير الخارجية الروسي سيرغي لافروف، الخميس، إن موسكو لن تسمح بهجوم جديد.")
    assert c["cue"] == "قال"
    assert c["speaker_en"] == "Sergey Lavrov"
    assert c["content"] == "موسكو لن تسمح بهجوم جديد"
    assert c["stance"] == "warn"


def test_role_resolves_by_publication_date():
    (c,) = claims_of("قال الرئيس الأمريكي إن الضربات انتهت.", published="2018-04-14")
    assert c["speaker_en"] == "Donald Trump"
    (c,) = claims_of("قال الرئيس الأمريكي إن الضربات انتهت.", published="2015-04-14")
    assert c["speaker_en"] == "Barack Obama"


def test_direct_quote_and_continuation_keeps_speaker():
    cs = claims_of('وقالت وزارة الخارجية السورية في بيان: "سوريا تدين العدوان التركي على عفرين". '
                   'وأضافت أن القوات التركية يجب أن تنسحب فورا.')
    assert len(cs) == 2
    assert cs[0]["direct"] is True and cs[0]["content"] == "سوريا تدين العدوان التركي على عفرين"
    assert cs[0]["stance"] == "accuse"
    assert cs[1]["cue"] == "أضافت"
    assert cs[1]["speaker_en"] == cs[0]["speaker_en"] == "Syrian Ministry of Foreign Affairs and Expatriates"
    assert cs[1]["stance"] == "demand"


def test_relay_chain_gives_speaker_and_via():
    (c,) = claims_of("ونقلت وكالة رويترز عن مصدر عسكري قوله إن الطائرات قصفت مواقع في ريف حماة.")
    assert c["speaker"] == "مصدر عسكري"
    assert c["via"] == ["رويترز"] or c["via"] == ["وكالة رويترز"]


def test_trailing_attribution_is_a_claim_with_that_speaker():
    (c,) = claims_of("قتل عشرة مدنيين في قصف على بلدة سراقب، بحسب المرصد السوري لحقوق الإنسان.")
    assert c["cue"] == "بحسب"
    assert c["speaker_en"] == "Syrian Observatory for Human Rights"
    assert c["content"].startswith("قتل عشرة مدنيين")


def test_outlet_after_a_claim_becomes_its_via():
    cs = claims_of('وقالت الخارجية السورية إن "الاحتلال التركي غير شرعي"، وفق ما ذكرت وكالة سانا.')
    assert len(cs) == 1
    assert cs[0]["via"] and "سانا" in cs[0]["via"][0]


def test_deny_and_participle_claims():
    cs = claims_of("ونفت روسيا الاتهامات، مؤكدة أن الهجوم الكيماوي مفبرك.")
    assert [c["stance"] for c in cs] == ["deny", "deny"]  # calling a report fabricated is a denial
    assert cs[1]["cue"] == "مؤكدة"
    assert cs[1]["speaker"] == "روسيا"


def test_accusation_targets():
    (c,) = claims_of("اتهمت وزارة الدفاع الروسية الخوذ البيضاء وهيئة تحرير الشام بالتحضير لهجوم كيماوي.")
    assert c["stance"] == "accuse"
    assert "Hay'at Tahrir al-Sham" in c["targets"]
    assert any("Civil Defence" in (t or "") for t in c["targets"])


def test_subject_before_verb():
    (c,) = claims_of("وكانت تقارير إسرائيلية قالت في وقت سابق إن إيران أطلقت صواريخ على الجولان.")
    assert c["speaker"] == "تقارير إسرائيلية"


def test_demand_without_complementizer():
    (c,) = claims_of("ودعا الأمين العام للأمم المتحدة إلى وقف فوري لإطلاق النار في الغوطة الشرقية.")
    assert c["stance"] == "demand"
    assert "وقف فوري لإطلاق النار" in c["content"]


@pytest.mark.parametrize("text", [
    "يذكر أن الهجوم وقع في نيسان الماضي.",           # the article's own formula
    "ورفضت الوزارة التعليق على الحادث.",            # a refusal to comment
    "وصل الوفد إلى دمشق أمس لبحث الملف الإنساني.",  # narration
])
def test_not_claims(text):
    assert claims_of(text) == []


def test_outlet_told_is_via_not_speaker():
    (c,) = claims_of("وقال متحدث باسم وحدات حماية الشعب الكردية لرويترز إن القصف التركي طال قرية في عفرين.")
    assert c["speaker"].startswith("متحدث باسم")
    assert c["via"] == ["رويترز"]


def test_statement_carried_by_an_agency():
    cs = claims_of("وأعلنت الوزارة، في بيان أوردته وكالة “تاس” الروسية، أن “مروحية تحطمت خلال رحلة روتينية”. "
                   "وأضافت الوزارة أن الطيارين قتلا.")
    assert [c["via"] for c in cs] == [["تاس"], ["تاس"]]
    assert cs[0]["direct"] is True


def test_a_person_named_again_by_surname_is_one_entity():
    a = analyze(Article(text="قال رجل الدين سامر الخطيبي إن الوضع صعب. وأضاف الخطيبي أن المساعدات لم تصل.",
                        published="2018-05-11"))
    pers = [e for e in a.entities if e["type"] == "PER"]
    forms = [sorted(m["text"] for m in e["mentions"]) for e in pers]
    assert ["الخطيبي", "سامر الخطيبي"] in forms
