"""A readable terminal summary of an analysed article: who claims what, then the other layers."""
from __future__ import annotations

import shutil
import textwrap


def _clip(s: str, n: int) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


def render_text(rec: dict) -> str:
    ents = {e["id"]: e for e in rec.get("entities", [])}
    width = max(80, min(shutil.get_terminal_size((120, 20)).columns, 160))
    out = []
    title = rec.get("title") or ""
    out.append(f"■ {rec.get('id') or ''}  {rec.get('published') or ''}  {rec.get('source') or ''}".rstrip())
    if title:
        out.append(f"  {title}")
    out.append(f"  {len(rec.get('text', ''))} characters, {len(rec.get('sentences', []))} sentences, "
               f"{len(rec.get('claims', []))} claims, {len(rec.get('entities', []))} entities, "
               f"{len(rec.get('places', []))} places, {len(rec.get('times', []))} times, "
               f"{len(rec.get('quantities', []))} quantities")
    out.append("")
    out.append("CLAIMS  (speaker · stance · cue · via → content)   [offsets into text]")
    cw = max(30, width - 70)
    for c in rec.get("claims", []):
        sp = c.get("speaker") or {}
        ent = ents.get(sp.get("entity")) if sp else None
        who = (ent or {}).get("name_en") or (ent or {}).get("name") or sp.get("text") or "?"
        via = " / ".join(v["text"] for v in c.get("via", [])) or "-"
        qo, qc = ("“", "”") if c.get("direct_quote") else ("", "")
        targets = ", ".join((ents.get(t) or {}).get("name_en") or (ents.get(t) or {}).get("name") or t
                            for t in c.get("targets", []))
        out.append(f"{c['id']:>4} {_clip(who, 32):32} {c.get('stance', ''):8} {_clip(c['cue']['text'], 12):12} "
                   f"via {_clip(via, 14)}")
        body = _clip(c["content"]["text"], cw * 3)
        for line in textwrap.wrap(f"{qo}{body}{qc} [{c['content']['start']}:{c['content']['end']}]", cw):
            out.append(f"       {line}")
        if targets:
            out.append(f"       targets: {_clip(targets, cw)}")
    out.append("")
    out.append("ENTITIES")
    for e in rec.get("entities", []):
        forms = sorted({m["text"] for m in e.get("mentions", [])})
        out.append(f"  {e['id']:>4} {e['type']:3} {_clip(e.get('name_en') or '', 34):34} {_clip(' | '.join(forms), 60)}"
                   f"  ×{len(e.get('mentions', []))}")
    if rec.get("places"):
        out.append("")
        out.append("PLACES")
        for p in rec["places"]:
            e = ents.get(p.get("entity")) or {}
            out.append(f"  {_clip(e.get('name') or '', 24):24} {_clip(p.get('name_en') or e.get('name_en') or '', 24):24} "
                       f"{p.get('country') or '--':3} {p.get('kind') or '':12} {p.get('lat', 0):.3f},{p.get('lon', 0):.3f}")
    if rec.get("times"):
        out.append("")
        out.append("TIMES")
        for t in rec["times"]:
            out.append(f"  {t['value']:12} {_clip(t['text'], 60)}  [{t['start']}:{t['end']}]")
    if rec.get("quantities"):
        out.append("")
        out.append("QUANTITIES")
        for q in rec["quantities"]:
            approx = "≈" if q.get("approx") else " "
            out.append(f"  {approx}{q['value']!s:>10} {_clip(q.get('unit') or '', 16):16} {_clip(q['text'], 50)}"
                       f"  [{q['start']}:{q['end']}]")
    if rec.get("boilerplate"):
        out.append("")
        out.append(f"BOILERPLATE (cut from text): {len(rec['boilerplate'])} lines")
    return "\n".join(out) + "\n"
