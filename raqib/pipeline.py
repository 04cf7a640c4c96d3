"""Composes the stages. Each stage reads the layers it needs from the Article and adds its own."""
from __future__ import annotations

from .article import Article
from .text.segment import sentences, tokenize


def analyze(article: Article) -> Article:
    from .extract import claims, entities, events, places, quantities, times

    text = article.text
    article.sentences = [{"start": s, "end": e} for s, e in sentences(text)]
    article.tokens = tokenize(text)
    entities.extract_entities(article)      # KB aliases + gazetteer place names → article.entities
    places.resolve_places(article)          # LOC entities → article.places (coordinates)
    article.times = times.extract_times(text, article.published)
    article.quantities = quantities.extract_quantities(text)
    claims.extract_claims(article)          # cues, speakers, content, via, stance, targets
    events.extract_events(article)          # typed incidents: trigger, actor, target, place, date, figures
    return article


def analyze_all(paths, published=None, id=None):
    """Read and analyse every input; yields Articles, or ReadError for inputs that cannot be read."""
    from .read import read_path

    for path in paths:
        for item in read_path(path, published=published, id=id):
            if isinstance(item, Exception):
                yield item
            else:
                yield analyze(item)
