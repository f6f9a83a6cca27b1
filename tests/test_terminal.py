"""What the CLI writes to the terminal: control characters made visible."""

from __future__ import annotations

import json
import re
from types import SimpleNamespace
from typing import Any

import pytest
from typer.testing import CliRunner

from rekenqa import cli
from rekenqa.cli import app
from rekenqa.settings import Settings
from rekenqa.terminal import say_json, terminal_safe

runner = CliRunner()

# Every character a terminal could act on, checked independently of terminal.py's own pattern.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

# (name, hostile text, what must show instead)
HOSTILE = [
    ("esc-csi", "\x1b[2J\x1b[31mrood", "␛[2J␛[31mrood"),
    ("esc-osc-title", "\x1b]0;gehackt\x07", "␛]0;gehackt␇"),
    ("c1-csi", "\x9b31mrood", "<U+009B>31mrood"),
    ("c1-nel-osc", "a\x85b\x9d0;x\x9c", "a<U+0085>b<U+009D>0;x<U+009C>"),
    ("nul", "nul\x00byte", "nul␀byte"),
    ("backspace-del", "ab\x08\x08\x7fcd", "ab␈␈␡cd"),
    ("carriage-return", "echt\rnep", "echt␍nep"),
    ("bidi-override", "\u202eTFEL\u202c", "<U+202E>TFEL<U+202C>"),
    ("bidi-isolate", "\u2066x\u2069\u2067y\u2068", "<U+2066>x<U+2069><U+2067>y<U+2068>"),
]


# ============================================================================ control characters: the echo path


@pytest.mark.parametrize(("name", "text", "shown"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_terminal_safe_makes_controls_visible(name: str, text: str, shown: str) -> None:
    assert terminal_safe(text) == shown
    assert not RAW_CONTROL.search(terminal_safe(text))


def test_terminal_safe_keeps_text_newlines_tabs_and_dutch() -> None:
    text = "Één café\tp. 17\n  – “18.480” migranten € 1,4 mln\n"
    assert terminal_safe(text) == text
    assert terminal_safe("regel 1\r\nregel 2") == "regel 1\nregel 2"


def test_say_json_escapes_controls_and_keeps_the_value(capsys: pytest.CaptureFixture[str]) -> None:
    data = {"tekst": "".join(h[1] for h in HOSTILE), "lijst": ["\u202e", "\x9b"]}
    say_json(data)
    out = capsys.readouterr().out
    assert not RAW_CONTROL.search(out.replace("\n", ""))
    assert "\\u009b" in out and "\\u202e" in out
    assert json.loads(out) == data


def _stub_engine(text: str) -> SimpleNamespace:
    """An engine whose every printed field carries ``text``: the CLI's echo path, command by command."""
    citation = SimpleNamespace(doc_id="rapport", first_page=17)
    evidence = SimpleNamespace(label=f"p. 17 {text}", sentence=f"zin {text}", doc_id="rapport", page=17)
    verdict = SimpleNamespace(
        status="contradicted", reason=f"reden {text}", report_value=f"18.480 {text}", difference=f"1 {text}",
        evidence=(evidence,), notes=(f"noot {text}",),
    )
    quote = SimpleNamespace(
        status="altered", reason=f"reden {text}", original=f"origineel {text}", page_names=("17",), pages=(17,),
        diff=(SimpleNamespace(op="equal", text=f"gelijk {text}"), SimpleNamespace(op="added", text=text)),
        citation=f"Rekenkamer {text}",
    )
    view = SimpleNamespace(
        document=SimpleNamespace(id="bron", title=f"Titel {text}"), first=1, last=2,
        page=SimpleNamespace(name="1", text=f"Paginatekst {text}"),
        footnotes=(SimpleNamespace(number=1, text=f"voetnoot {text}"),),
    )
    info = {
        "index": f"index {text}", "created": "2025-09-01", "embedder": {"id": f"e5 {text}", "dim": 384},
        "query_encoder": f"numpy {text}", "counts": {"documents": 1, "pages": 2, "chunks": 3, "facts": 4},
        "documents": [{"id": "bron", "kind": "source", "title": f"Titel {text}", "pages": 2, "chunks": 3}],
        "skipped": [f"kapot.pdf {text}"],
    }
    return SimpleNamespace(
        info=lambda: info,
        page=lambda doc, number: view,
        page_name=lambda doc_id, number: str(number),
        ask=lambda question, **kw: SimpleNamespace(text=f"Antwoord {text}", answered=True, citations=(citation,)),
        citation=lambda doc_id, pages: f"Rekenkamer Haarlemmermeer {text}",
        check_claim=lambda claim, **kw: verdict,
        check_quote=lambda q, **kw: quote,
    )


COMMANDS = [
    ("ask", ["ask", "Hoeveel migranten?"]),
    ("check", ["check", "Er wonen 18.000 migranten."]),
    ("quote", ["quote", "Migranten vormen 11,4 procent."]),
    ("page", ["page", "bron", "1"]),
    ("info", ["info"]),
    ("info-json", ["info", "--json"]),
]


@pytest.mark.parametrize(("command", "args"), COMMANDS, ids=[c[0] for c in COMMANDS])
@pytest.mark.parametrize(("name", "text", "shown"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_cli_output_carries_no_control_characters(
    monkeypatch: pytest.MonkeyPatch, command: str, args: list[str], name: str, text: str, shown: str
) -> None:
    monkeypatch.setattr(cli, "_engine", lambda **kw: _stub_engine(text))
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert not RAW_CONTROL.search(result.output), repr(result.output)
    if command == "info-json":
        assert json.loads(result.output)["documents"][0]["title"] == f"Titel {text}"  # the value is intact
    else:
        assert shown in result.output


def test_error_messages_carry_no_control_characters(monkeypatch: pytest.MonkeyPatch) -> None:
    from rekenqa.errors import NotFound

    def fail(**kw: Any) -> None:
        raise NotFound("Onbekend document '\x1b[31mrood\x9b0m'.")

    monkeypatch.setattr(cli, "_engine", fail)
    result = runner.invoke(app, ["page", "x", "1"])
    assert result.exit_code == 1 and "Fout: Onbekend document '␛[31mrood<U+009B>0m'." in result.output


@pytest.fixture
def hostile_engine(report_copy: Settings) -> object:
    """The real report plus a source whose title and text hold control characters, through the real loader
    and index (the fake embedder): whatever the stages keep, the terminal must not obey."""
    from conftest import FakeEmbedder

    from rekenqa.pipeline import Engine

    bad = "\x1b[2J\x1b[31m \x9b31m \x85 \u202eTFEL\u202c \u2066x\u2069"  # a NUL would make it no text file
    source = report_copy.corpus_dir / "vijandig.txt"
    source.write_text(f"Vijandige bron\n\nDe gemeente telde {bad} 18.480 migranten in 2023.\n", encoding="utf-8")
    meta = {"id": "vijandig", "title": f"Vijandig {bad}", "publisher": f"Uitgever {bad}", "year": 2025, "kind": "source"}
    (report_copy.corpus_dir / "vijandig.txt.meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return Engine.open(report_copy, embedder=FakeEmbedder())


@pytest.mark.parametrize(
    "args",
    [
        ["info"],
        ["page", "vijandig", "1"],
        ["ask", "--bronnen", "Hoeveel migranten telde de gemeente \x9b31m in 2023 \u202e?"],
        ["check", "--bronnen", "De gemeente telde 18.480 \x1b[31m migranten in 2023."],
        ["quote", "De gemeente telde \x9b2J 18.480 migranten \u2066 in 2023."],
    ],
    ids=["info", "page", "ask", "check", "quote"],
)
def test_a_hostile_document_or_question_does_not_reach_the_terminal(
    monkeypatch: pytest.MonkeyPatch, hostile_engine: object, args: list[str]
) -> None:
    monkeypatch.setattr(cli, "_engine", lambda **kw: hostile_engine)
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert not RAW_CONTROL.search(result.output), repr(result.output)
    if args[0] in ("info", "page"):  # the loader and the catalog keep them: the title and the page text show them
        assert "Vijandig ␛[2J␛[31m <U+009B>31m <U+0085> <U+202E>TFEL<U+202C> <U+2066>x<U+2069>" in result.output
