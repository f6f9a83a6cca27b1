"""What the CLI writes to the terminal: control characters made visible, usage errors and help in Dutch."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from typer.testing import CliRunner

import rekenqa
from rekenqa import cli
from rekenqa.cli import app
from rekenqa.settings import PROJECT_ROOT, Settings
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
    citation = SimpleNamespace(doc_id="rapport", first_page=17, also=())
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
    result = runner.invoke(app, ["ask", "--\x1b[2Jfoo", "vraag"])
    assert result.exit_code == 2 and "'--␛[2Jfoo'" in result.output and not RAW_CONTROL.search(result.output)


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


# ================================================================================== usage errors in Dutch

ENGLISH = re.compile(r"\b(Usage|Error|Try|Missing|Invalid|No such|Got unexpected|Options|Commands|Arguments|"
                     r"required|default|Aborted|Traceback|Did you mean|Possible options)\b")

USAGE_ERRORS = [
    ("unknown-option", ["ask", "--foo", "vraag"], "Fout: onbekende optie '--foo'. Zie 'rekenqa ask --help'."),
    ("unknown-short-option", ["ask", "-x", "vraag"], "Fout: onbekende optie '-x'. Zie 'rekenqa ask --help'."),
    ("unknown-option-suggestion", ["ask", "--retr", "x", "vraag"],
     "Fout: onbekende optie '--retr'. Bedoelde je '--retriever'? Zie 'rekenqa ask --help'."),
    ("unknown-group-option", ["--foo"], "Fout: onbekende optie '--foo'. Zie 'rekenqa --help'."),
    ("missing-argument", ["ask"], "Fout: het argument VRAAG ontbreekt. Zie 'rekenqa ask --help'."),
    ("missing-second-argument", ["page", "rapport"], "Fout: het argument PAGINA ontbreekt. Zie 'rekenqa page --help'."),
    ("missing-option", ["eval", "qa", "vragen.jsonl"], "Fout: de optie '--out' ontbreekt. Zie 'rekenqa eval qa --help'."),
    ("option-without-value", ["eval", "qa", "vragen.jsonl", "--out"],
     "Fout: de optie '--out' heeft een waarde nodig. Zie 'rekenqa eval qa --help'."),
    ("flag-with-value", ["ask", "--json=ja", "vraag"], "Fout: de optie '--json' neemt geen waarde. Zie 'rekenqa ask --help'."),
    ("not-an-integer", ["add", "bron.pdf", "--year", "vorig jaar"],
     "Fout: de optie '--year' moet een geheel getal zijn, niet 'vorig jaar'. Zie 'rekenqa add --help'."),
    ("not-an-integer-eval", ["eval", "qa", "v.jsonl", "--out", "o.json", "--k", "vijf"],
     "Fout: de optie '--k' moet een geheel getal zijn, niet 'vijf'. Zie 'rekenqa eval qa --help'."),
    ("below-range", ["app", "--poort", "0"], "Fout: de optie '--poort' moet minstens 1 zijn, niet 0. Zie 'rekenqa app --help'."),
    ("above-range", ["app", "--poort", "70000"],
     "Fout: de optie '--poort' moet hoogstens 65535 zijn, niet 70000. Zie 'rekenqa app --help'."),
    ("extra-argument", ["ask", "Hoeveel", "migranten?"],
     "Fout: onverwacht argument 'migranten?'. Staat er een spatie in je tekst? Zet de tekst dan tussen "
     "aanhalingstekens. Zie 'rekenqa ask --help'."),
    ("extra-arguments", ["page", "rapport", "17", "18", "19"], "Fout: onverwachte argumenten '18' '19'."),
    ("extra-argument-no-arguments", ["info", "alles"], "Fout: onverwacht argument 'alles'. Zie 'rekenqa info --help'."),
    ("unknown-command", ["vraag"], "Fout: onbekende opdracht 'vraag'. Zie 'rekenqa --help'."),
    ("unknown-command-suggestion", ["inf"], "Fout: onbekende opdracht 'inf'. Bedoelde je 'info'? Zie 'rekenqa --help'."),
    ("unknown-subcommand", ["eval", "quote"],
     "Fout: onbekende opdracht 'quote'. Bedoelde je 'quotes'? Zie 'rekenqa eval --help'."),
    ("missing-command", ["-v"], "Fout: geef een opdracht. Zie 'rekenqa --help'."),
]


@pytest.mark.parametrize(("name", "args", "expected"), USAGE_ERRORS, ids=[u[0] for u in USAGE_ERRORS])
def test_usage_errors_are_dutch(name: str, args: list[str], expected: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert result.output.startswith(expected), result.output
    assert not ENGLISH.search(result.output), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_usage_error_from_the_installed_entry_point() -> None:
    """``python -m rekenqa`` (and the console script, which calls the same ``app``): stderr, code 2."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(Path(rekenqa.__file__).parents[1]), os.environ.get("PYTHONPATH", "")]))
    done = subprocess.run([sys.executable, "-m", "rekenqa", "ask", "--foo", "vraag"],
                          capture_output=True, text=True, env=env, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == "Fout: onbekende optie '--foo'. Zie 'rekenqa ask --help'.\n"


def test_ctrl_c_is_a_short_dutch_message(monkeypatch: pytest.MonkeyPatch) -> None:
    def interrupted(**kw: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_engine", interrupted)
    result = runner.invoke(app, ["info"])
    assert result.exit_code == 130 and result.output.strip() == "Afgebroken."


HELP_PATHS = [[], ["index"], ["info"], ["page"], ["sources"], ["add"], ["remove"], ["ask"], ["chat"], ["check"],
              ["quote"], ["app"], ["eval"], ["eval", "qa"], ["eval", "claims"], ["eval", "quotes"]]


@pytest.mark.parametrize("rich", [True, False], ids=["rich", "plain"])
@pytest.mark.parametrize("path", HELP_PATHS, ids=[" ".join(p) or "rekenqa" for p in HELP_PATHS])
def test_help_is_dutch(monkeypatch: pytest.MonkeyPatch, path: list[str], rich: bool) -> None:
    if not rich:
        import typer.core

        monkeypatch.setattr(typer.core, "HAS_RICH", False)  # as with TYPER_USE_RICH=0, or without rich
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Gebruik: rekenqa" in result.output and "Toon deze hulp en stop." in result.output
    assert "Opties" in result.output
    assert not ENGLISH.search(result.output) and "Show this message" not in result.output, result.output


def test_no_arguments_show_the_dutch_help() -> None:
    result = runner.invoke(app, [])
    assert "Gebruik: rekenqa [OPTIES] OPDRACHT [ARGUMENTEN]..." in result.output and "Opdrachten" in result.output
    assert not ENGLISH.search(result.output)


# ================================================================================ Dutch wording in src/

# Neuter nouns take "het", "dit", "dat", "welk", "elk"; "de citaten" (plural) is right.
WRONG_ARTICLE = re.compile(r"\b(de|deze|die|welke|elke|iedere|geen enkele)\s+citaat\b", re.IGNORECASE)


def test_no_message_says_de_citaat() -> None:
    files = [*sorted((PROJECT_ROOT / "src").rglob("*.py")), *sorted((PROJECT_ROOT / "src").rglob("*.md"))]
    files += [PROJECT_ROOT / "app.py"] if (PROJECT_ROOT / "app.py").is_file() else []
    assert len(files) > 20
    found = [
        f"{path.relative_to(PROJECT_ROOT)}:{number}: {line.strip()}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if WRONG_ARTICLE.search(line)
    ]
    assert found == []


def test_the_article_check_itself() -> None:
    assert WRONG_ARTICLE.search("De citaat is te lang") and WRONG_ARTICLE.search("welke citaat bedoelt u?")
    assert not WRONG_ARTICLE.search("Het citaat is te lang; de citaten staan op p. 17; de citaatcontrole")
