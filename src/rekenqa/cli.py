"""The ``rekenqa`` command line: thin, Dutch, and only calls the pipeline."""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from rekenqa.errors import RekenQAError

if TYPE_CHECKING:
    from rekenqa.pipeline import Engine
    from rekenqa.settings import Settings
    from rekenqa.types import Answer, Verdict

app = typer.Typer(
    help="rekenqa: vraag, check en citeer het rekenkamerrapport 'Migratie in Haarlemmermeer' (offline).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
eval_app = typer.Typer(help="Evalueer het systeem op een JSONL-testset (zie EVAL.md).", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

F = TypeVar("F", bound=Callable[..., Any])


def friendly(func: F) -> F:
    """Turn RekenQAError into 'Fout: …' on stderr and exit code 1; anything else is a bug."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except RekenQAError as err:
            typer.echo(f"Fout: {err}", err=True)
            raise typer.Exit(1) from err

    return wrapper  # type: ignore[return-value]


@app.callback()
def main(verbose: Annotated[int, typer.Option("-v", "--verbose", count=True, help="Meer uitvoer (-v, -vv).")] = 0) -> None:
    level = logging.WARNING - 10 * min(verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)


def _settings(**overrides: Any) -> Settings:
    from rekenqa.settings import Settings

    return Settings.from_env(**overrides)


def _progress() -> Callable[[float, str], None]:
    last = {"message": ""}

    def show(fraction: float, message: str) -> None:
        if message != last["message"]:
            typer.echo(f"[{fraction * 100:3.0f}%] {message}", err=True)
            last["message"] = message

    return show


def _engine(**overrides: Any) -> Engine:
    from rekenqa.pipeline import Engine

    engine = Engine.open(_settings(**overrides), progress=_progress())
    if engine.rebuilt_because:
        typer.echo(f"Index opnieuw opgebouwd: {engine.rebuilt_because}", err=True)
    return engine


@app.command("index")
@friendly
def index_cmd(
    force: Annotated[bool, typer.Option("--force", help="Ook opnieuw bouwen als de index actueel is.")] = False,
) -> None:
    """Lees alles in corpus/ en bouw de index in index/."""
    from rekenqa import pipeline

    settings = _settings()
    embedder = pipeline.load_embedder(settings)
    if not force:
        # The manifest only: a damaged index file shows when the index is opened, which rebuilds it.
        status = pipeline.index_status(settings, embedder.id, deep=False)
        if status.problem is None:
            typer.echo(f"De index in {settings.index_dir} is actueel. Gebruik --force om toch opnieuw te bouwen.")
            return
        typer.echo(f"{status.problem.message} De index wordt gebouwd.", err=True)
    report = pipeline.build_index(settings, embedder=embedder, progress=_progress(), show_progress=True)
    typer.echo(
        f"Index gebouwd in {report.seconds:.1f} s: {report.documents} document(en), {report.pages} pagina's, "
        f"{report.chunks} passages, {report.facts} getallen."
    )
    for line in report.skipped:
        typer.echo(f"Overgeslagen: {line}", err=True)


@app.command("info")
@friendly
def info_cmd(as_json: Annotated[bool, typer.Option("--json", help="Uitvoer als JSON.")] = False) -> None:
    """Toon wat er geïndexeerd is."""
    info = _engine().info()
    if as_json:
        typer.echo(json.dumps(info, ensure_ascii=False, indent=2))
        return
    counts = info["counts"]
    typer.echo(f"Index:     {info['index']} (gebouwd {info['created']})")
    typer.echo(f"Embedder:  {info['embedder']['id']} ({info['embedder']['dim']} dimensies)")
    typer.echo(
        f"Inhoud:    {counts['documents']} document(en), {counts['pages']} pagina's, "
        f"{counts['chunks']} passages, {counts['facts']} getallen"
    )
    for doc in info["documents"]:
        kind = "rapport" if doc["kind"] == "report" else "bron"
        typer.echo(f"  - {doc['id']} ({kind}): {doc['title']} — {doc['pages']} pagina's, {doc['chunks']} passages")
    for line in info["skipped"]:
        typer.echo(f"  ! overgeslagen: {line}")


@app.command("page")
@friendly
def page_cmd(
    doc: Annotated[str, typer.Argument(help="Document-id, of 'rapport' voor het rapport.")],
    number: Annotated[int, typer.Argument(help="Gedrukt paginanummer.")],
) -> None:
    """Toon de herstelde tekst van een pagina, met de voetnoten."""
    view = _engine().page(doc, number)
    typer.echo(f"{view.document.title} — pagina {view.page.number} (van {view.first}–{view.last})")
    typer.echo("=" * 72)
    typer.echo(view.page.text.strip("\n"))
    if view.footnotes:
        typer.echo("-" * 72)
        typer.echo("Voetnoten op deze pagina:")
        for note in view.footnotes:
            typer.echo(f"  [{note.number}] {note.text}")


@app.command("sources")
@friendly
def sources_cmd(as_json: Annotated[bool, typer.Option("--json", help="Uitvoer als JSON.")] = False) -> None:
    """Lijst de bronnen die het rapport citeert, en welke in corpus/ staan."""
    from rekenqa.index import to_json

    sources = _engine().sources()
    if as_json:
        typer.echo(json.dumps(to_json(sources), ensure_ascii=False, indent=2))
        return
    typer.echo(f"{len(sources)} geciteerde bronnen (voetnoot, pagina, in corpus, tekst, URL):")
    for src in sources:
        mark = "✔ " + src.in_corpus_doc if src.in_corpus_doc else "—"
        text = src.text if len(src.text) <= 160 else src.text[:157] + "…"
        typer.echo(f"[{src.footnote:>3}] p. {src.page:<3} {mark:<3} {text}")
        for url in src.urls:
            typer.echo(f"              {url}")


def _answer_json(answer: Answer) -> dict[str, Any]:
    from rekenqa.index import to_json

    data = to_json(answer)
    for citation, out in zip(answer.citations, data["citations"], strict=True):
        out["label"] = citation.label  # "p. 17" or "voetnoot 32 (p. 33)"
    data["passages"] = [
        {"chunk_id": p["chunk"]["id"], "pages": [p["chunk"]["first_page"], p["chunk"]["last_page"]], "score": p["score"]}
        for p in data["passages"]
    ]
    return dict(data)


@app.command("ask")
@friendly
def ask_cmd(
    question: Annotated[str, typer.Argument(help="Je vraag, in gewone taal.")],
    as_json: Annotated[bool, typer.Option("--json", help="Uitvoer als JSON.")] = False,
    retriever: Annotated[str | None, typer.Option("--retriever", help="hybrid, dense of bm25.")] = None,
) -> None:
    """Stel een vraag over het rapport; het antwoord citeert het rapport met paginanummers."""
    engine = _engine()
    answer = engine.ask(question, mode=retriever)
    if as_json:
        typer.echo(json.dumps(_answer_json(answer), ensure_ascii=False, indent=2))
        return
    typer.echo(answer.text)
    if answer.answered:
        pages = sorted({c.first_page for c in answer.citations})
        typer.echo("")
        typer.echo("Bronvermelding: " + engine.citation(answer.citations[0].doc_id, pages))


@app.command("chat")
@friendly
def chat_cmd() -> None:
    """Een gesprek in de terminal: vervolgvragen ('En in 2019?') gebruiken de vorige vraag."""
    from rekenqa.errors import InputInvalid

    engine = _engine()
    history: list[str] = []
    typer.echo("Stel je vraag over het rapport (leeg of 'stop' om te stoppen).")
    while True:
        try:
            question = input("vraag> ")
        except EOFError:
            break
        if question.strip().lower() in ("", "stop", "exit", "quit"):
            break
        try:
            answer = engine.ask(question, history=history)
        except InputInvalid as err:
            typer.echo(f"Fout: {err}", err=True)
            continue
        typer.echo(answer.text + "\n")
        history.append(question)


_VERDICT_NL = {"supported": "KLOPT", "contradicted": "KLOPT NIET", "not_in_report": "STAAT NIET IN HET RAPPORT"}
_QUOTE_NL = {"exact": "LETTERLIJK", "harmless": "ONSCHULDIG AFWIJKEND", "altered": "GEWIJZIGD", "not_found": "NIET GEVONDEN"}


def _verdict_lines(verdict: Verdict) -> list[str]:
    lines = [f"Oordeel: {_VERDICT_NL[verdict.status]} — {verdict.reason}"]
    if verdict.report_value:
        lines.append(f"Waarde in het rapport: {verdict.report_value}" + (f" (verschil: {verdict.difference})" if verdict.difference else ""))
    for ev in verdict.evidence:
        lines.append(f"Bron (p. {ev.page}): “{ev.sentence}”")
    lines.extend(verdict.notes)
    return lines


@app.command("check")
@friendly
def check_cmd(
    claim: Annotated[str | None, typer.Argument(help="De bewering die je wilt controleren.")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Een toespraak of motie (tekstbestand): elke checkwaardige zin.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Uitvoer als JSON.")] = False,
) -> None:
    """Vergelijk een bewering (of een hele toespraak) met de cijfers en zinnen van het rapport."""
    from rekenqa.errors import InputInvalid
    from rekenqa.index import to_json
    from rekenqa.load import read_text_file

    if (claim is None) == (file is None):
        raise InputInvalid("Geef één bewering op, of een bestand met --file.")
    engine = _engine()
    if file is not None:
        results = engine.check_speech(read_text_file(_path_arg(file)))
        if as_json:
            typer.echo(json.dumps([{"sentence": s, "verdict": to_json(v)} for s, v in results], ensure_ascii=False, indent=2))
            return
        if not results:
            typer.echo("Geen checkwaardige zinnen gevonden (zinnen met getallen, vergelijkingen of verwijzingen naar het rapport).")
        for number, (sentence, verdict) in enumerate(results, start=1):
            typer.echo(f"{number:>2}. {sentence}")
            for line in _verdict_lines(verdict):
                typer.echo(f"    {line}")
        return
    verdict = engine.check_claim(claim or "")
    if as_json:
        typer.echo(json.dumps(to_json(verdict), ensure_ascii=False, indent=2))
        return
    for line in _verdict_lines(verdict):
        typer.echo(line)
    if verdict.evidence and verdict.status != "not_in_report":
        typer.echo("Bronvermelding: " + engine.citation(verdict.evidence[0].doc_id, [verdict.evidence[0].page]))


@app.command("quote")
@friendly
def quote_cmd(
    quote: Annotated[str, typer.Argument(help="Het citaat zoals het in het debat werd gebruikt.")],
    as_json: Annotated[bool, typer.Option("--json", help="Uitvoer als JSON.")] = False,
) -> None:
    """Controleer of een citaat letterlijk in het rapport staat, en op welke pagina."""
    from rekenqa.index import to_json

    verdict = _engine().check_quote(quote)
    if as_json:
        typer.echo(json.dumps(to_json(verdict), ensure_ascii=False, indent=2))
        return
    typer.echo(f"Oordeel: {_QUOTE_NL[verdict.status]} — {verdict.reason}")
    if verdict.original:
        pages = ", ".join(str(p) for p in verdict.pages)
        typer.echo(f"Origineel (p. {pages}): “{verdict.original}”")
    if verdict.status in ("harmless", "altered"):
        diff = " ".join(
            op.text if op.op == "equal" else f"[-{op.text}-]" if op.op == "removed" else f"{{+{op.text}+}}"
            for op in verdict.diff
        )
        typer.echo(f"Verschil: {diff}")
    if verdict.citation:
        typer.echo(f"Bronvermelding: {verdict.citation}")


@eval_app.command("qa")
@friendly
def eval_qa(
    file: Annotated[Path, typer.Argument(help="JSONL-testset met vragen.")],
    out: Annotated[Path, typer.Option("--out", help="Waar het JSON-rapport komt.")],
    retriever: Annotated[str, typer.Option("--retriever", help="hybrid, dense of bm25.")] = "hybrid",
    k: Annotated[int, typer.Option("--k", help="Aantal passages voor hit@k.")] = 5,
) -> None:
    """Scoor vraag-en-antwoord (retrieval, citaties, getallen, weigeringen, latentie)."""
    from rekenqa import evaluate

    items = evaluate.read_jsonl(_path_arg(file), ["id", "question", "answerable"])
    engine = _engine(retriever=retriever)
    for example in engine.profile.examples[:1]:
        engine.ask(example)  # warm up
    report = evaluate.run_qa(items, lambda q: engine.ask(q, mode=retriever), k=k)
    report["retriever"] = retriever
    evaluate.write_report(report, out)
    plots = evaluate.qa_plots(report, out)
    typer.echo(evaluate.qa_table(report))
    typer.echo(f"\nRapport: {out}; grafieken: {', '.join(str(p) for p in plots)}")


@eval_app.command("claims")
@friendly
def eval_claims(
    file: Annotated[Path, typer.Argument(help="JSONL-testset met beweringen.")],
    out: Annotated[Path, typer.Option("--out", help="Waar het JSON-rapport komt.")],
) -> None:
    """Scoor de feitencheck (supported / contradicted / not_in_report)."""
    from rekenqa import evaluate

    items = evaluate.read_jsonl(_path_arg(file), ["id", "claim", "verdict"])
    engine = _engine()
    for example in engine.profile.examples[:1]:
        engine.check_claim(example)  # warm up: embedder, retrieval and facts
    _write_classification(evaluate.run_claims(items, engine.check_claim), out, evaluate.CLAIM_LABELS)


@eval_app.command("quotes")
@friendly
def eval_quotes(
    file: Annotated[Path, typer.Argument(help="JSONL-testset met citaten.")],
    out: Annotated[Path, typer.Option("--out", help="Waar het JSON-rapport komt.")],
) -> None:
    """Scoor de citaatcontrole (exact / harmless / altered / not_found)."""
    from rekenqa import evaluate

    items = evaluate.read_jsonl(_path_arg(file), ["id", "quote", "verdict"])
    engine = _engine()
    engine.quote_matcher()  # warm up: the matcher is built on first use
    _write_classification(evaluate.run_quotes(items, engine.check_quote), out, evaluate.QUOTE_LABELS)


def _write_classification(report: dict[str, Any], out: Path, labels: tuple[str, ...]) -> None:
    """Write a claims or quotes report and print its confusion table."""
    from rekenqa import evaluate

    evaluate.write_report(report, out)
    typer.echo(evaluate.classification_table(report, labels))
    typer.echo(f"\nRapport: {out}")


def _path_arg(path: Path) -> Path:
    if not path.is_file():
        from rekenqa.errors import InputInvalid

        raise InputInvalid(f"Bestand niet gevonden: {path}.")
    return path
