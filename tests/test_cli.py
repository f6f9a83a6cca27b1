"""The CLI on the real report and index (typer.testing.CliRunner)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rekenqa.cli import app

pytestmark = pytest.mark.model
runner = CliRunner()


@pytest.fixture
def cli_env(real_engine, real_settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REKENQA_INDEX_DIR", str(real_settings.index_dir))
    monkeypatch.setenv("REKENQA_CORPUS_DIR", str(real_settings.corpus_dir))
    monkeypatch.setenv("REKENQA_CACHE_DIR", str(real_settings.cache_dir))


def test_info_and_page(cli_env) -> None:
    result = runner.invoke(app, ["info"])
    assert result.exit_code == 0, result.output
    assert "94 pagina's" in result.output and "e5-small" in result.output
    result = runner.invoke(app, ["page", "rapport", "17"])
    assert result.exit_code == 0
    assert "op een totaal van 162.300 inwoners" in result.output
    assert "Voetnoten op deze pagina" in result.output
    result = runner.invoke(app, ["page", "rapport", "999"])
    assert result.exit_code == 1 and "Fout: Pagina 999 bestaat niet" in result.output


def test_index_is_up_to_date(cli_env) -> None:
    result = runner.invoke(app, ["index"])
    assert result.exit_code == 0 and "actueel" in result.output


@pytest.mark.parametrize("case", ["outdated", "missing"])
def test_index_says_why_it_rebuilds(cli_env, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, case: str) -> None:
    from conftest import FakeEmbedder

    from rekenqa import pipeline

    built: list[str] = []

    def build(settings, *, embedder, **kwargs):  # the real build takes minutes; what it writes is tested elsewhere
        built.append(embedder.id)
        return pipeline.BuildReport(1, 94, 200, 300, 1.0, ())

    monkeypatch.setattr(pipeline, "build_index", build)
    # The real index was built with e5-small, so to the fake embedder it is outdated.
    monkeypatch.setattr(pipeline, "load_embedder", lambda settings: FakeEmbedder())
    if case == "outdated":
        why = "andere embedder"
    else:
        monkeypatch.setenv("REKENQA_INDEX_DIR", str(tmp_path / "leeg"))
        why = "Geen index gevonden"
    result = runner.invoke(app, ["index"])
    assert result.exit_code == 0, result.output
    assert why in result.output and "De index wordt gebouwd." in result.output
    assert "Index gebouwd in 1.0 s" in result.output and len(built) == 1


def test_index_says_when_another_build_wrote_the_index(cli_env, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A build that waited for another one reports that one's index, not "Index gebouwd in 0.0 s"."""
    from conftest import FakeEmbedder

    from rekenqa import pipeline

    monkeypatch.setattr(
        pipeline, "build_index", lambda settings, **kw: pipeline.BuildReport(1, 94, 200, 300, 0.0, (), coalesced=True)
    )
    monkeypatch.setattr(pipeline, "load_embedder", lambda settings: FakeEmbedder())
    result = runner.invoke(app, ["index"])
    assert result.exit_code == 0, result.output
    assert "Een andere opdracht bouwde de index net" in result.output and "Index gebouwd in" not in result.output


def test_sources(cli_env) -> None:
    result = runner.invoke(app, ["sources", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert len(data) >= 30 and all("footnote" in s and "urls" in s for s in data)


def test_ask_number_question_cites_page_17(cli_env) -> None:
    result = runner.invoke(app, ["ask", "--json", "Hoeveel migranten woonden er in 2023 in Haarlemmermeer?"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["answered"] and "18.480" in answer["text"]
    assert 17 in [c["first_page"] for c in answer["citations"]]
    text = runner.invoke(app, ["ask", "Hoeveel migranten woonden er in 2023 in Haarlemmermeer?"]).output
    assert "(p. 17)" in text and "Bronvermelding: Rekenkamer Haarlemmermeer (2025), Migratie in Haarlemmermeer" in text


def test_ask_refuses_what_the_report_does_not_say(cli_env) -> None:
    result = runner.invoke(app, ["ask", "Hoeveel woninginbraken waren er in 2024 in Hoofddorp?"])
    assert result.exit_code == 0
    assert result.output.startswith("Het rapport geeft hierover geen informatie.")
    assert "Dichtstbijzijnde passages" in result.output


def test_ask_empty_question_is_a_dutch_error(cli_env) -> None:
    result = runner.invoke(app, ["ask", "   "])
    assert result.exit_code == 1 and "Fout: Lege vraag" in result.output


def test_check_and_quote(cli_env, tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", "Haarlemmermeer had in 2023 ruim 160.000 inwoners."])
    assert result.exit_code == 0 and "KLOPT" in result.output and "162.300" in result.output
    speech = tmp_path / "toespraak.txt"
    speech.write_text("Voorzitter, dank u wel. In 2023 woonden er 18.480 migranten in onze gemeente. Dat is veel.", encoding="utf-8")
    result = runner.invoke(app, ["check", "--file", str(speech), "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [r["verdict"]["status"] for r in rows] == ["supported"]
    result = runner.invoke(app, ["quote", "Migranten vormen daarmee 11,4 procent van de inwoners"])
    assert result.exit_code == 0 and "LETTERLIJK" in result.output and "p. 17" in result.output
    result = runner.invoke(app, ["quote", "Migranten vormen daarmee 14,1 procent van de inwoners"])
    assert "GEWIJZIGD" in result.output and "[-11,4-]" in result.output


def test_eval_commands_write_reports(cli_env, tmp_path: Path) -> None:
    qa = tmp_path / "qa.jsonl"
    qa.write_text(
        "\n".join(
            json.dumps(x, ensure_ascii=False)
            for x in [
                {"id": "q1", "question": "Hoeveel migranten woonden er in 2023 in Haarlemmermeer?", "answer": "18.480",
                 "pages": [17], "evidence": [], "numbers": ["18.480"], "type": "number", "answerable": True},
                {"id": "q2", "question": "Hoeveel woninginbraken waren er in 2024 in Hoofddorp?", "answer": "",
                 "pages": [], "evidence": [], "numbers": [], "type": "unanswerable", "answerable": False},
            ]
        ),
        encoding="utf-8",
    )
    out = tmp_path / "r" / "qa.json"
    result = runner.invoke(app, ["eval", "qa", str(qa), "--out", str(out), "--k", "5"])
    assert result.exit_code == 0, result.output
    report = json.loads(out.read_text())
    for key in ("n", "retrieval_hit_at_1", "retrieval_hit_at_5", "mrr_at_10", "citation_hit", "citation_precision",
                "number_recall", "refusal_accuracy", "false_refusal_rate", "latency_ms_p50", "latency_ms_p95", "per_item"):
        assert key in report
    assert report["n"] == 2 and report["retrieval_hit_at_5"] == 1.0 and report["refusal_accuracy"] == 1.0
    assert (tmp_path / "r" / "qa.hits.png").is_file() and (tmp_path / "r" / "qa.latency.png").is_file()
    claims = tmp_path / "c.jsonl"
    claims.write_text(json.dumps({"id": "c1", "claim": "Haarlemmermeer had in 2023 ruim 160.000 inwoners.",
                                  "verdict": "supported", "pages": [17], "evidence": [], "correct_value": "", "note": ""}), encoding="utf-8")
    result = runner.invoke(app, ["eval", "claims", str(claims), "--out", str(tmp_path / "c.json")])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "c.json").read_text())
    assert {"accuracy", "macro_f1", "f1_per_class", "confusion", "page_hit", "latency_ms_p50", "latency_ms_p95"} <= set(report)
    assert report["accuracy"] == 1.0 and report["page_hit"] == 1.0
    quotes = tmp_path / "q.jsonl"
    quotes.write_text(json.dumps({"id": "x", "quote": "Migranten vormen daarmee 11,4 procent van de inwoners", "verdict": "exact",
                                  "pages": [17], "original": "Migranten vormen daarmee 11,4 procent van de inwoners", "note": ""}), encoding="utf-8")
    result = runner.invoke(app, ["eval", "quotes", str(quotes), "--out", str(tmp_path / "q.json")])
    assert result.exit_code == 0, result.output
    report = json.loads((tmp_path / "q.json").read_text())
    assert report["accuracy"] == 1.0 and report["page_hit"] == 1.0
