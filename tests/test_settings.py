"""Settings: REKENQA_* overrides, rejection of unknown settings, and the named scoring weights."""

from __future__ import annotations

import dataclasses

import pytest

from rekenqa.errors import SettingsInvalid
from rekenqa.settings import FactcheckWeights, RetrievalWeights, Settings


def test_salient_zipf_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings.from_env().salient_zipf == 4.8
    monkeypatch.setenv("REKENQA_SALIENT_ZIPF", "4.2")
    assert Settings.from_env().salient_zipf == 4.2
    monkeypatch.setenv("REKENQA_SALIENT_ZIPF", "vaak")
    with pytest.raises(SettingsInvalid, match="REKENQA_SALIENT_ZIPF"):
        Settings.from_env()


def test_existing_overrides_still_work(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REKENQA_TOP_K", "7")
    monkeypatch.setenv("REKENQA_REFUSAL_THRESHOLD", "0.95")
    settings = Settings.from_env(retriever="bm25")
    assert (settings.top_k, settings.refusal_threshold, settings.retriever) == (7, 0.95, "bm25")


def test_unknown_settings_are_refused() -> None:
    with pytest.raises(SettingsInvalid, match="Onbekende instelling"):
        Settings.from_env(salient_zip=4.0)
    with pytest.raises(TypeError):
        RetrievalWeights(overlapp=0.3)  # type: ignore[call-arg]


def test_weights_are_set_as_a_group(monkeypatch: pytest.MonkeyPatch) -> None:
    # A whole group has no REKENQA_ variable: the environment cannot half-set it.
    monkeypatch.setenv("REKENQA_RETRIEVAL", "0.5")
    assert Settings.from_env().retrieval == RetrievalWeights()
    settings = Settings.from_env(retrieval=RetrievalWeights(overlap=0.5), factcheck=FactcheckWeights(near=0.1))
    assert settings.retrieval.overlap == 0.5 and settings.retrieval.dense == 1.0
    assert settings.factcheck.near == 0.1 and settings.factcheck.min_subject == 0.34
    with pytest.raises(SettingsInvalid, match="RetrievalWeights"):
        Settings.from_env(retrieval={"overlap": 0.5})


def test_default_weights_are_the_calibrated_values() -> None:
    retrieval = RetrievalWeights()
    assert (retrieval.overlap, retrieval.passage, retrieval.rank, retrieval.footnote) == (0.35, 0.06, 0.01, 0.04)
    assert (retrieval.judgement, retrieval.national, retrieval.cell) == (0.10, 0.04, 0.08)
    factcheck = FactcheckWeights()
    assert (factcheck.min_subject, factcheck.min_sentence, factcheck.noun) == (0.34, 0.4, 0.2)


def test_every_setting_says_what_it_means() -> None:
    for f in dataclasses.fields(Settings):
        assert f.metadata.get("description"), f.name
