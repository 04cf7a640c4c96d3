"""Sizes of the knowledge base and the gazetteer (`raqib kb stats`).

`kb_stats() -> dict` counts what the runtime loads (`kb.entities.load_kb()`, `kb.gazetteer.load_gazetteer()`):

  entities            KB entities (entities.tsv), total and by type (PER / ORG / LOC)
  names_ar, names_latin   distinct names per entity (canonical name + aliases; Arabic after `normalize_key`,
                      Latin case-folded), summed over entities
  aliases_ar, aliases_latin   the same without the canonical name (the extra spellings and names)
  alias_keys_ar       distinct normalised Arabic names the matcher looks for (over all entities)
  wikidata            entities with a Wikidata id (only where a source file gives one)
  roles, role_phrases, role_holders   role rows of roles.tsv that name a KB entity, distinct role phrases,
                      distinct entities holding a role
  places              gazetteer records, total and by kind (countryside regions "ريف X" are built on the fly
                      and not counted)
  places_by_source    records by source (ocha, geonames, curated …)
  syria_places, syria_places_ar   Syrian records, and those with an Arabic name
  syria_by_kind       Syrian records by kind
  countries           records of kind country
  place_names_ar      Arabic names over all gazetteer records; place_keys_ar distinct normalised ones
  free_places         records with a name that matches in running text without a trigger word
  arabic_names_total  names_ar (KB) + place_names_ar (gazetteer)

`format_stats(d) -> str` prints them as a short table.
"""
from __future__ import annotations

from collections import Counter

from ..text.normalize import normalize_key


def kb_stats() -> dict:
    from .entities import load_kb
    from .gazetteer import load_gazetteer

    kb = load_kb()
    ents = list(kb.entities.values())
    by_type = Counter(e.type for e in ents)
    names_ar = names_lat = 0
    for e in ents:
        names_ar += len({normalize_key(x) for x in [e.name_ar] + list(e.aliases_ar) if x and normalize_key(x)})
        names_lat += len({x.strip().casefold() for x in [e.name_en] + list(e.aliases_en) if x and x.strip()})
    with_ar = sum(1 for e in ents if e.name_ar)
    with_lat = sum(1 for e in ents if e.name_en)
    roles = [r for lst in kb.roles.values() for r in lst]

    g = load_gazetteer()
    places = list(g._by_id.values())
    by_kind = Counter(p.kind for p in places)
    by_source = Counter(p.source.split(";")[0] for p in places)
    sy = [p for p in places if p.country == "SY"]
    free_ids = {p.id for lst in g._free.values() for p in lst}
    place_names = sum(len(p.names) for p in places)
    d = {
        "entities": len(ents),
        "entities_by_type": dict(sorted(by_type.items())),
        "names_ar": names_ar,
        "names_latin": names_lat,
        "aliases_ar": names_ar - with_ar,
        "aliases_latin": names_lat - with_lat,
        "alias_keys_ar": len({w for lst in kb.aliases.values() for w, _ in lst}),
        "wikidata": sum(1 for e in ents if e.wikidata),
        "roles": len(roles),
        "role_phrases": len({r.words for r in roles}),
        "role_holders": len({r.entity for r in roles}),
        "places": len(places),
        "places_by_kind": dict(by_kind.most_common()),
        "places_by_source": dict(by_source.most_common()),
        "syria_places": len(sy),
        "syria_places_ar": sum(1 for p in sy if any(n.strip() for n in p.names)),
        "syria_by_kind": dict(Counter(p.kind for p in sy).most_common()),
        "countries": by_kind.get("country", 0),
        "place_names_ar": place_names,
        "place_keys_ar": len([k for k in g._by_key if k not in g._joined]),
        "free_places": len(free_ids),
    }
    d["arabic_names_total"] = d["names_ar"] + d["place_names_ar"]
    return d


def format_stats(d: dict) -> str:
    def kv(m):
        return ", ".join(f"{k} {v:,}" for k, v in m.items())
    lines = [
        "knowledge base (kb/entities.tsv, kb/roles.tsv)",
        f"  entities            {d['entities']:,} ({kv(d['entities_by_type'])})",
        f"  names, Arabic       {d['names_ar']:,} ({d['aliases_ar']:,} aliases besides the canonical names; "
        f"{d['alias_keys_ar']:,} distinct normalised forms)",
        f"  names, Latin        {d['names_latin']:,} ({d['aliases_latin']:,} aliases)",
        f"  Wikidata ids        {d['wikidata']:,}",
        f"  roles               {d['roles']:,} ({d['role_phrases']:,} role phrases, {d['role_holders']:,} holders)",
        "gazetteer (kb/gazetteer.tsv)",
        f"  places              {d['places']:,}",
        f"    by kind           {kv(d['places_by_kind'])}",
        f"    by source         {kv(d['places_by_source'])}",
        f"  Syrian places       {d['syria_places']:,} ({d['syria_places_ar']:,} with an Arabic name)",
        f"    by kind           {kv(d['syria_by_kind'])}",
        f"  countries           {d['countries']:,}",
        f"  Arabic place names  {d['place_names_ar']:,} ({d['place_keys_ar']:,} distinct normalised)",
        f"  free in running text {d['free_places']:,} places",
        f"Arabic names in all   {d['arabic_names_total']:,}",
    ]
    return "\n".join(lines)
