"""The Article and its layers: the JSON contract v1 of `raqib analyze`.

An Article holds the analysed `text` and layers of spans over it. Spans are Python string offsets
into `text`, end exclusive. Layers are plain dicts/lists so that the record *is* the JSON contract;
`to_dict`/`from_dict` keep the field names stable.
"""
from __future__ import annotations

from dataclasses import dataclass, field

CONTRACT_VERSION = 1
LAYERS = ("sentences", "entities", "places", "times", "quantities", "claims", "events")


@dataclass
class Article:
    text: str
    id: str | None = None
    title: str | None = None
    published: str | None = None
    source: str | None = None
    url: str | None = None
    lang: str = "ar"
    boilerplate: list = field(default_factory=list)
    sentences: list = field(default_factory=list)
    entities: list = field(default_factory=list)
    places: list = field(default_factory=list)
    times: list = field(default_factory=list)
    quantities: list = field(default_factory=list)
    claims: list = field(default_factory=list)
    events: list = field(default_factory=list)
    # working state for stages (not serialised)
    tokens: list = field(default_factory=list, repr=False)
    mentions: list = field(default_factory=list, repr=False)

    def span(self, start: int, end: int) -> dict:
        return {"start": start, "end": end, "text": self.text[start:end]}

    def to_dict(self) -> dict:
        return {
            "raqib": CONTRACT_VERSION,
            "id": self.id, "title": self.title, "published": self.published,
            "source": self.source, "url": self.url, "lang": self.lang,
            "text": self.text, "boilerplate": list(self.boilerplate),
            **{k: getattr(self, k) for k in LAYERS},
        }

    @classmethod
    def from_dict(cls, d: dict) -> "Article":
        a = cls(text=d["text"])
        for k in ("id", "title", "published", "source", "url", "lang"):
            if d.get(k) is not None:
                setattr(a, k, d[k])
        a.boilerplate = list(d.get("boilerplate", []))
        for k in LAYERS:
            setattr(a, k, list(d.get(k, [])))
        return a
