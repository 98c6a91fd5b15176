"""The guidance's TF-IDF matrices, counted from ids, equal what ``TfidfVectorizer`` fits on
the same documents written out as text, document by document."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from pact_advisor.engine import Engine
from pact_advisor.engine.corpus import Corpus, ItemTerms, Tokens, fit_letters, fit_words
from pact_advisor.engine.features import LETTERS, WORDS
from pact_advisor.engine.layout import example_pool, item_fields
from pact_advisor.engine.text import fold, tokens


def _documents(engine: Engine) -> tuple[list[str], list[int]]:
    items = engine.index.items
    docs = [fold(f) for item in items for f in item_fields(item)]
    owners = [p for p in range(len(items)) for _ in range(4)]
    for p, item in enumerate(items):
        pool = example_pool(item)
        docs += [fold(e) for e in pool]
        owners += [p] * len(pool)
    return docs, owners


@pytest.fixture(scope="module")
def analysed(engine: Engine):
    docs, owners = _documents(engine)
    analyzer = engine.index.space.analyzer
    guess = engine.index.reader.languages
    token_ids = Tokens.of(docs)
    by_ids = token_ids.languages(guess)
    corpus = Corpus.analyse(token_ids, by_ids, analyzer.words, analyzer.stems)
    # The same documents read one by one, as a question is.
    langs = [guess.guess(d.split()) for d in docs]
    words = [analyzer.words(d, lang) for d, lang in zip(docs, langs, strict=True)]
    stems = [analyzer.stems(w, lang) for w, lang in zip(words, langs, strict=True)]
    assert by_ids.tolist() == langs
    return docs, owners, token_ids, corpus, langs, words, stems


def _reference(texts: list[str], weighting, **options) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer=weighting.analyzer,
        ngram_range=weighting.ngram_range,
        lowercase=False,
        sublinear_tf=True,
        max_df=weighting.max_df,
        **options,
    ).fit(texts)


def _same_matrix(fitted, texts, weighting, **options) -> None:
    vectorizer, matrix = fitted
    reference = _reference(texts, weighting, **options)
    assert vectorizer.terms == reference.get_feature_names_out().tolist()
    np.testing.assert_allclose(vectorizer.idf, reference.idf_, rtol=1e-12)
    expected = reference.transform(texts).toarray()
    got = matrix.toarray()
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, atol=1e-6)


def test_languages_and_frequencies_are_those_of_each_document_read_alone(analysed) -> None:
    docs, _, token_ids, _, langs, _, _ = analysed
    assert set(langs) == {"en", "fr", "es"}  # the guidance has examples in all three
    counted = Counter(t for d in docs for t in set(tokens(d)) if len(t) > 1)
    assert token_ids.frequency() == counted


def test_word_matrix_equals_tfidf_vectorizer(analysed) -> None:
    *_, stems = analysed
    corpus = analysed[3]
    _same_matrix(fit_words(corpus, WORDS), stems, WORDS, token_pattern=r"\S+")


def test_letter_matrix_equals_tfidf_vectorizer(analysed) -> None:
    corpus, words = analysed[3], analysed[5]
    _same_matrix(fit_letters(corpus, LETTERS), [" ".join(w) for w in words], LETTERS)


def test_item_term_counts_count_each_document_once(analysed) -> None:
    _, owners, _, corpus, _, words, _ = analysed
    items = max(owners) + 1
    counted = ItemTerms.count(corpus.words, corpus.word_ids, corpus.doc, np.asarray(owners), items)
    expected = [Counter() for _ in range(items)]
    for owner, doc_words in zip(owners, words, strict=True):
        expected[owner].update(set(doc_words))
    assert [counted.row(p) for p in range(items)] == [dict(c) for c in expected]


def test_a_corpus_of_unknown_words_only_has_no_empty_documents_lost() -> None:
    token_ids = Tokens.of(["aa bb", "", "bb cc bb"])
    assert token_ids.documents == 3
    assert token_ids.frequency() == Counter({"aa": 1, "bb": 2, "cc": 1})


def test_folding_many_texts_at_once_equals_folding_each(engine: Engine) -> None:
    from pact_advisor.engine.text import fold_many
    from pact_advisor.evaluation import load_questions
    from pact_advisor.resources import TEST_SPLITS, eval_dir

    items = engine.index.items
    texts = [f for item in items for f in item_fields(item)]
    texts += [e for item in items for e in item.examples]
    for split in TEST_SPLITS:
        texts += [q.q for q in load_questions(eval_dir() / split)]
    texts += ["L'ÉVALUATION\u00a0d’impact…", "Straße  ½ cœur", "x" * 5000 + " tail", ""]
    assert fold_many(texts) == [fold(t) for t in texts]
