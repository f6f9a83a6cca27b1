"""What the CLI writes to the terminal: control characters made visible, and Typer's usage errors in Dutch.

Two things stand between the commands and the terminal:

- ``say`` and ``say_json``, the one path every command prints through. Text from documents, questions and
  claims may hold C0 or C1 control characters or bidi overrides, which a terminal would obey (move the
  cursor, recolour, reorder a line); here they are made visible instead.
- ``DutchGroup``, the Typer group class of the ``rekenqa`` app. It runs Typer without its standalone
  handling, so a usage error reaches us as an exception, and renders it in Dutch from the exception's
  structured parts (the option, the parameter, its type, the value): "Fout: onbekende optie '--foo'. Zie
  'rekenqa ask --help'." with exit code 2, and no "Usage:", "Try" or "Error" anywhere. It also puts the help
  (``--help``) in Dutch: "Gebruik:", "[OPTIES]", the panels "Argumenten", "Opties", "Opdrachten".

Typer (0.29) ships its own copy of Click as ``typer._click``: its exceptions, not the ``click`` package's, are
the ones raised, so they are imported from there.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Sequence
from difflib import get_close_matches
from types import TracebackType
from typing import Any

import typer
from typer._click import exceptions as click_errors
from typer._click.core import Command, Context
from typer._click.formatting import HelpFormatter
from typer.core import TyperGroup

# ----------------------------------------------------------------------------------------- control characters

# C0 except \t and \n, DEL, C1 (U+0080-U+009F: CSI U+009B starts an escape sequence by itself), and the
# bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) that reorder what a line shows.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match[0])
    if code < 0x20:
        return chr(0x2400 + code)  # the Control Pictures block: ESC -> ␛, NUL -> ␀
    if code == 0x7F:
        return "\u2421"  # ␡
    return f"<U+{code:04X}>"  # C1 and bidi controls have no pictures


def terminal_safe(text: str) -> str:
    """``text`` with every control character a terminal would act on replaced by a visible stand-in."""
    return _UNSAFE.sub(_visible, text.replace("\r\n", "\n"))


def say(text: str = "", *, err: bool = False) -> None:
    """Print ``text`` (to stderr with ``err``) with its control characters made visible."""
    typer.echo(terminal_safe(text), err=err)


def say_json(data: Any) -> None:
    """Print ``data`` as JSON. ``json.dumps`` escapes C0 itself; DEL, C1 and bidi controls are escaped here
    (``\\u009b``), which leaves the JSON's value unchanged: they can only occur inside its strings."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    typer.echo(_UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", text))


# --------------------------------------------------------------------------------------------- Dutch help

HELP_OPTION_HELP = "Toon deze hulp en stop."
_HEADINGS = {"Usage": "Gebruik", "Options": "Opties", "Arguments": "Argumenten", "Commands": "Opdrachten"}
# Typer's rich help takes these texts from module constants: set them, in this process, to Dutch.
_RICH_TEXTS = {
    "ARGUMENTS_PANEL_TITLE": "Argumenten",
    "OPTIONS_PANEL_TITLE": "Opties",
    "COMMANDS_PANEL_TITLE": "Opdrachten",
    "ERRORS_PANEL_TITLE": "Fout",
    "DEFAULT_STRING": "[standaard: {}]",
    "ENVVAR_STRING": "[omgevingsvariabele: {}]",
    "REQUIRED_LONG_STRING": "[verplicht]",
    "DEPRECATED_STRING": "(verouderd) ",
    "ABORTED_TEXT": "Afgebroken.",
    "RICH_HELP": "Zie [blue]'{command_path} {help_option}'[/].",
}


_PLAIN_EXTRA = re.compile(r"\[([^\[\]]*)\]$")
_PLAIN_WORDS = (("default: ", "standaard: "), ("env var: ", "omgevingsvariabele: "), ("required", "verplicht"))


def _dutch_extra(match: re.Match[str]) -> str:
    parts = []
    for part in match[1].split("; "):
        for english, dutch in _PLAIN_WORDS:
            if part.startswith(english):
                part = dutch + part.removeprefix(english)
        parts.append(part)
    return "[" + "; ".join(parts) + "]"


def _dutch_rich_texts() -> None:
    try:
        from typer import rich_utils  # imports rich: only when help is shown
    except ImportError:  # Typer without rich prints plain help, through DutchFormatter
        return
    for name, text in _RICH_TEXTS.items():
        if hasattr(rich_utils, name):
            setattr(rich_utils, name, text)


class DutchFormatter(HelpFormatter):
    """Plain (non-rich) help with Dutch headings and "Gebruik:"."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "Gebruik: " if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        super().write_heading(_HEADINGS.get(heading, heading))

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        # Plain help ends an option's text with Click's "[default: 5; required]"; rich help takes these
        # words from _RICH_TEXTS.
        super().write_dl([(term, _PLAIN_EXTRA.sub(_dutch_extra, text)) for term, text in rows], col_max, col_spacing)


class DutchContext(Context):
    """A context whose help is Dutch: the formatter, the texts of rich help, and the --help option's help."""

    formatter_class = DutchFormatter

    def __init__(self, command: Command, *args: Any, **kwargs: Any) -> None:
        super().__init__(command, *args, **kwargs)
        option = command.get_help_option(self)  # created once per command, then cached by it
        if option is not None:
            option.help = HELP_OPTION_HELP

    def get_help(self) -> str:
        _dutch_rich_texts()
        return super().get_help()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc_value: BaseException | None, tb: TracebackType | None
    ) -> bool | None:
        # Click's parser raises NoSuchOption and BadOptionUsage without the context; the innermost context
        # they pass through is the command's, which says which options it has and where its help is.
        if isinstance(exc_value, click_errors.UsageError) and exc_value.ctx is None:
            exc_value.ctx, exc_value.cmd = self, self.command
        return super().__exit__(exc_type, exc_value, tb)


def localize(command: Command) -> None:
    """Dutch usage line and help for ``command`` and, for a group, every command under it."""
    command.context_class = DutchContext  # per instance: Typer builds the commands
    command.options_metavar = "[OPTIES]"
    if isinstance(command, TyperGroup):
        command.subcommand_metavar = "OPDRACHT [ARGUMENTEN]..."
        for sub in command.commands.values():
            localize(sub)


# ------------------------------------------------------------------------------------- Dutch usage errors

_ARGS_KEY = "rekenqa.command_args"  # in ctx.meta (shared by the contexts of one call): the command's args


class UnknownCommand(click_errors.UsageError):
    """``rekenqa NAME`` where no command is called NAME."""

    def __init__(self, name: str, known: Sequence[str], ctx: Context) -> None:
        super().__init__(f"No such command {name!r}.", ctx)
        self.command_name = name
        self.possibilities = get_close_matches(name, known)


def _quoted(names: Sequence[str]) -> str:
    quoted = [f"'{name}'" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " of " + quoted[-1]


def _param_name(param: Any) -> str:
    """How the help names a parameter: "de optie '--year'" or "het argument PAGINA"."""
    if getattr(param, "param_type_name", "") == "option":
        opts = list(getattr(param, "opts", ())) or [str(param.name)]
        return f"de optie '{max(opts, key=len)}'"
    return f"het argument {getattr(param, 'metavar', None) or str(param.name).upper()}"


def _choices(param: Any) -> list[str]:
    descriptor = getattr(param, "type_descriptor", None)
    choices = getattr(descriptor, "choices", None) or ()
    return [str(getattr(choice, "value", choice)) for choice in choices]


def _bad_value(err: click_errors.BadParameter) -> str:
    """What is wrong with the value, from Typer's validation error (pydantic's, with a type and context)."""
    param = err.param
    errors: list[dict[str, Any]] = []
    details = getattr(err.__cause__, "errors", None)  # pydantic's ValidationError.errors()
    if callable(details):
        errors = [e for e in details() if e.get("type") != "none_required"]  # `int | None`: the None arm
    if not errors:
        return f"ongeldige waarde voor {_param_name(param)}."
    first = errors[0]
    kind, limits = str(first.get("type", "")), first.get("ctx") or {}
    given = first.get("input")
    value = f"'{given}'" if isinstance(given, str) and not re.fullmatch(r"-?\d+(?:[.,]\d+)?", given) else str(given)
    what = _param_name(param)
    if kind in ("int_parsing", "int_type", "int_from_float"):
        need = "een geheel getal"
    elif kind in ("float_parsing", "float_type", "decimal_parsing"):
        need = "een getal"
    elif kind in ("bool_parsing", "bool_type"):
        need = "ja of nee (true of false)"
    elif kind in ("greater_than_equal", "greater_than", "less_than_equal", "less_than"):
        bound = {"greater_than_equal": ("minstens", "ge"), "greater_than": ("groter dan", "gt"),
                 "less_than_equal": ("hoogstens", "le"), "less_than": ("kleiner dan", "lt")}[kind]
        need = f"{bound[0]} {limits.get(bound[1])}"
    elif kind in ("enum", "literal_error") or _choices(param):
        choices = _choices(param)
        need = _quoted(choices).replace("'", "") if choices else "een van de toegestane waarden"
    else:
        return f"ongeldige waarde {value} voor {what}."
    return f"{what} moet {need} zijn, niet {value}."


def _extra_args(ctx: Context) -> list[str]:
    """The arguments a command was given but has no place for (Click only puts them in its message)."""
    args = ctx.meta.get(_ARGS_KEY)
    if not isinstance(args, list):
        return []
    try:
        _, rest, _ = ctx.command.make_parser(ctx).parse_args(args=list(args))
    except click_errors.UsageError:
        return []
    return [str(arg) for arg in rest]


def _has_arguments(command: Command) -> bool:
    return any(getattr(p, "param_type_name", "") == "argument" for p in command.params)


def usage_message(err: click_errors.UsageError) -> str:
    """The Dutch message for a usage error: what is wrong, then where the help is."""
    ctx = err.ctx
    if isinstance(err, UnknownCommand):
        text = f"onbekende opdracht '{err.command_name}'."
        if err.possibilities:
            text += f" Bedoelde je {_quoted(err.possibilities)}?"
    elif isinstance(err, click_errors.NoSuchOption):
        text = f"onbekende optie '{err.option_name}'."
        if err.possibilities:
            text += f" Bedoelde je {_quoted(list(err.possibilities))}?"
    elif isinstance(err, click_errors.MissingParameter):
        param = err.param
        text = f"{_param_name(param)} ontbreekt." if param is not None else "er ontbreekt een waarde."
        if param is not None and _choices(param):
            text += f" Kies uit {_quoted(_choices(param))}."
    elif isinstance(err, click_errors.BadParameter):
        text = _bad_value(err)
    elif isinstance(err, click_errors.BadOptionUsage):
        option = next((p for p in (ctx.command.params if ctx else ()) if err.option_name in getattr(p, "opts", ())), None)
        if option is not None and (getattr(option, "is_flag", False) or getattr(option, "count", False)):
            text = f"de optie '{err.option_name}' neemt geen waarde."
        else:
            nargs = getattr(option, "nargs", 1) or 1
            text = f"de optie '{err.option_name}' heeft {'een waarde' if nargs == 1 else f'{nargs} waarden'} nodig."
    elif isinstance(err, click_errors.BadArgumentUsage):
        text = "een argument heeft een verkeerd aantal waarden."
    elif ctx is not None and isinstance(ctx.command, TyperGroup):
        text = "geef een opdracht."  # Click's only other usage error for a group: "Missing command."
    elif ctx is not None:
        # Click's only other usage error for a command: "Got unexpected extra argument(s)".
        extra = _extra_args(ctx)
        if len(extra) == 1:
            text = f"onverwacht argument '{extra[0]}'."
        elif extra:
            text = f"onverwachte argumenten {' '.join(repr(a) for a in extra)}."
        else:
            text = "te veel argumenten."
        if _has_arguments(ctx.command):
            text += " Staat er een spatie in je tekst? Zet de tekst dan tussen aanhalingstekens."
    else:
        text = "ongeldig gebruik."
    if ctx is not None:
        help_option = ctx.help_option_names[0] if ctx.help_option_names else "--help"
        text += f" Zie '{ctx.command_path} {help_option}'."
    return f"Fout: {text}"


def _click_message(err: click_errors.ClickException) -> str:
    if isinstance(err, click_errors.FileError):
        return f"Fout: het bestand '{err.ui_filename}' kan niet worden geopend."
    return f"Fout: {err.message}"


class DutchGroup(TyperGroup):
    """The ``rekenqa`` group: Dutch help, Dutch usage errors (exit code 2), no traceback."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        localize(self)

    def resolve_command(self, ctx: Context, args: list[str]) -> tuple[str | None, Command | None, list[str]]:
        try:
            name, command, rest = super().resolve_command(ctx, args)
        except click_errors.UsageError as err:
            if type(err) is not click_errors.UsageError:
                raise  # an option where a command was expected: Click's NoSuchOption
            raise UnknownCommand(args[0], self.list_commands(ctx), ctx) from None
        ctx.meta[_ARGS_KEY] = list(rest)
        return name, command, rest

    def main(  # as Typer's, but it returns the exit code
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        windows_expand_args: bool = True,
        **extra: Any,
    ) -> int:
        code = self._run(args, prog_name, complete_var, windows_expand_args, **extra)
        if standalone_mode:
            sys.exit(code)
        return code

    def _run(
        self,
        args: Sequence[str] | None,
        prog_name: str | None,
        complete_var: str | None,
        windows_expand_args: bool,
        **extra: Any,
    ) -> int:
        try:
            result = super().main(
                args,
                prog_name,
                complete_var,
                standalone_mode=False,
                windows_expand_args=windows_expand_args,
                **extra,
            )
        except click_errors.NoArgsIsHelpError as err:
            if err.message:  # plain help comes as the message; rich help was printed while it was made
                say(err.message)
            return err.exit_code
        except click_errors.UsageError as err:
            say(usage_message(err), err=True)
            return err.exit_code
        except click_errors.ClickException as err:
            say(_click_message(err), err=True)
            return err.exit_code
        except (typer.Abort, EOFError, KeyboardInterrupt):
            say("\nAfgebroken.", err=True)
            return 1
        # Without standalone handling Typer returns the code of typer.Exit(code), and the command's own
        # result otherwise (None for every rekenqa command). 130: Typer's code for Ctrl+C.
        code = result if isinstance(result, int) and not isinstance(result, bool) else 0
        if code == 130:
            say("\nAfgebroken.", err=True)
        return code

