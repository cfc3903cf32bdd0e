"""Reports: the report data (the JSON contract) and its rendering with Jinja (Markdown, HTML).

Templates come from the user's template folder first, then the bundled ones. ``StrictUndefined``
turns a template typo into an error; autoescape covers ``*.html.j2`` (Jinja's default list does
not); a user-supplied template renders in a sandbox with plain data. Every piece of text passes
through :func:`appraise.core.text.visible` on output, so control characters never reach a terminal.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from pathlib import Path
from typing import Any

import jinja2

from appraise import __version__
from appraise.core.assessment import Assessment, Entry
from appraise.core.checklist import NOT_APPLICABLE, Checklist, Section
from appraise.core.labels import answer_label, judgement_label
from appraise.core.palette import CONCERNS, style
from appraise.core.text import visible
from appraise.files import paths
from appraise.files.store import LoadedAppraisal
from appraise.reports.evidence import add_evidence

FORMATS = ("md", "html", "json")
TEMPLATES = {"md": "report.md.j2", "html": "report.html.j2"}

CONCERN_STYLE = {concern: style(concern) for concern in CONCERNS}
"""The report's look: robvis "cochrane" colours, each paired with a glyph and a word."""


class ReportError(Exception):
    """A template could not be found or rendered; the message says which and where."""


# --- data -------------------------------------------------------------------------------------


def judgement_view(section: Section, code: str | None, state: str = "judged") -> dict[str, Any]:
    """Label, concern level, glyph and colour for a judgement code of a section."""
    words = judgement_label(section, code, state)
    return {"code": code, "label": words.label, "concern": words.concern, **CONCERN_STYLE[words.concern]}


def build_report(loaded: LoadedAppraisal, *, today: _dt.date | None = None) -> dict[str, Any]:
    """The report as plain data: the JSON report, and the context every template receives."""
    appraisal, checklist = loaded.appraisal, loaded.checklist
    assessment = Assessment(appraisal, checklist)
    sections = [_section_entry(assessment, entry) for entry in assessment.entries()]
    overall = [_overall_entry(assessment, entry) for entry in assessment.overall()]
    progress = assessment.progress
    evidence = add_evidence(loaded, sections)
    return {
        "report": {
            "generated": (today or _dt.date.today()).isoformat(),
            "appraise_version": __version__,
            "file": str(loaded.path),
        },
        "checklist": {
            "id": checklist.id,
            "version": checklist.version,
            "title": checklist.title,
            "citation": checklist.citation,
            "notice": checklist.notice,
        },
        "study": {**appraisal.study.model_dump(mode="json"), "label": appraisal.study.label},
        "reviewer": appraisal.reviewer,
        **evidence,
        "outcomes": [
            {
                **o.model_dump(mode="json"),
                "label": o.label,
                "type_label": _vocabulary_label(checklist, "types", o.type),
                "finding_label": _vocabulary_label(checklist, "findings", o.finding),
            }
            for o in appraisal.outcomes
        ],
        "sections": sections,
        "overall": overall,
        "interpretation": [
            {"section": s["id"], "message": m} for s in sections if s["outcome"] is None for m in s["messages"]
        ],
        "progress": {"answered": progress.answered, "total": progress.total},
        "problems": [str(p) for p in loaded.problems],
        "glossary": _terms_used(sections),
    }


def _terms_used(sections: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The glossary terms the report's questions use, for an appendix (none if there is no glossary)."""
    from appraise.learning.glossary import try_load_glossary

    glossary = try_load_glossary()
    texts = [q["text"] for s in sections for q in s["questions"]]
    terms = sorted(glossary.terms_in(*texts), key=lambda t: t.term.lower())
    return [{"term": t.term, "abbreviation": t.abbreviation, "definition": t.definition} for t in terms]


def _vocabulary_label(checklist: Checklist, kind: str, code: str | None) -> str | None:
    if code is None or checklist.outcomes is None:
        return code
    options = getattr(checklist.outcomes, kind)
    return next((o.label for o in options if o.code == code), code)


def _section_entry(assessment: Assessment, entry: Entry) -> dict[str, Any]:
    section, result = entry.section, entry.result
    outcome_id = entry.outcome_id
    questions = []
    for question in section.questions:
        record = assessment.appraisal.answer_record(question.id, outcome_id if section.per_outcome else None)
        code = assessment.code(question, outcome_id)
        questions.append(
            {
                "id": question.id,
                "text": question.text,
                "short": question.short,
                "critical": question.critical,
                "asked": assessment.reached(question, outcome_id) is not False,
                "answer": code,
                "answer_label": answer_label(question, code) if code else None,
                "note": record.note if record else "",
                "quote": record.quote if record else "",
                "page": record.page if record else "",
                "skip_reason": question.skip_reason,
            }
        )
    progress = assessment.section_progress(section, outcome_id)
    return {
        "id": section.id,
        "title": section.title,
        "short": section.label,
        "outcome": outcome_id,
        "outcome_name": entry.outcome.label if entry.outcome else None,
        "judgement": result.judgement,
        "proposed": result.proposed,
        "override_reason": result.override_reason,
        "state": result.state,
        "view": judgement_view(section, result.judgement, result.state),
        "proposed_view": judgement_view(section, result.proposed, result.state),
        "trace": result.trace,
        "steps": [step.text for step in result.steps],
        "messages": list(result.messages),
        "progress": {"answered": progress.answered, "total": progress.total},
        "questions": questions,
    }


def _overall_entry(assessment: Assessment, entry: Entry) -> dict[str, Any]:
    result = entry.result
    view = judgement_view(entry.section, result.judgement, result.state)
    outcome = entry.outcome
    return {
        "outcome": entry.outcome_id,
        "outcome_name": outcome.label if outcome else None,
        "primary": outcome.primary if outcome else None,
        "judgement": result.judgement,
        "proposed": result.proposed,
        "override_reason": result.override_reason,
        "state": result.state,
        "view": view,
        "trace": result.trace,
        "steps": [step.text for step in result.steps],
        "messages": list(result.messages),
        "statement": _statement(
            view["label"],
            result.judgement,
            outcome.label if outcome else None,
            _vocabulary_label(assessment.checklist, "findings", outcome.finding) if outcome else None,
        ),
    }


def _statement(label: str, code: str | None, outcome: str | None, finding: str | None) -> str:
    """A plain sentence: "Moderate confidence in the result for readmission (no difference)."."""
    subject = f"the result for {outcome}" if outcome else "the result"
    if code is None:
        return f"No overall judgement yet for {subject}: some answers it depends on are still open."
    if code == NOT_APPLICABLE:
        return f"No overall judgement for {subject}: this design needs a different tool."
    tail = f" (finding: {finding.lower()})" if finding else ""
    return f"{label} in {subject}{tail}."


# --- rendering --------------------------------------------------------------------------------


def _autoescape(name: str | None) -> bool:
    """HTML and XML templates are escaped, including ``report.html.j2`` (Jinja's default misses it)."""
    if not name:
        return False
    stem = name[:-3] if name.endswith(".j2") else name
    return stem.endswith((".html", ".htm", ".xml", ".svg"))


def _finalize(value: Any) -> Any:
    # Applied to every {{ … }} before escaping: control characters become visible stand-ins.
    if type(value) is str:
        return visible(value)
    return "" if value is None else value


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_[]<>|#"})


def markdown_text(value: Any) -> str:
    """Escape text for Markdown so that a note cannot add headings, links, tables or raw HTML."""
    return visible(str(value or "")).translate(_MD_SPECIAL)


def markdown_quote(value: Any) -> str:
    """Text as a Markdown block quote, every line prefixed, escaped like :func:`markdown_text`."""
    return "\n".join("> " + line if line else ">" for line in markdown_text(value).splitlines())


def markdown_code(value: Any) -> str:
    """Text as an inline code span, fenced with more backticks than it contains."""
    text = " ".join(visible(str(value or "")).split())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _configure(env: jinja2.Environment) -> jinja2.Environment:
    env.filters["md"] = markdown_text
    env.filters["mdcode"] = markdown_code
    env.filters["mdquote"] = markdown_quote
    env.filters["one_line"] = lambda v: " ".join(visible(str(v or "")).split())
    env.globals["concern_styles"] = CONCERN_STYLE
    return env


def _loaders(extra: Path | None = None) -> jinja2.BaseLoader:
    folders = [extra] if extra is not None else []
    folders += [paths.user_templates(), paths.bundled("templates")]
    return jinja2.FileSystemLoader([str(f) for f in folders if f.is_dir()])


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    """Compiled templates kept between runs (Jinja checks each template's source checksum)."""
    folder = paths.cache_dir() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return jinja2.FileSystemBytecodeCache(str(folder))


def environment(*, sandboxed: bool = False, extra: Path | None = None) -> jinja2.Environment:
    """The Jinja environment for reports (sandboxed for user-supplied templates)."""
    cls: type[jinja2.Environment] = jinja2.Environment
    if sandboxed:
        from jinja2.sandbox import ImmutableSandboxedEnvironment  # only user templates need it

        cls = ImmutableSandboxedEnvironment
    env = cls(
        loader=_loaders(extra),
        bytecode_cache=_bytecode_cache(),
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return _configure(env)


def load_template(name: str) -> jinja2.Template:
    """A report template by name: the user's copy (rendered in the sandbox) wins over the bundled one."""
    if (paths.user_templates() / name).is_file():
        return environment(sandboxed=True).get_template(name)
    return environment().get_template(name)


def render_template(template: str | Path, context: dict[str, Any], *, json_hint: str) -> str:
    """Render a bundled/user template by name, or a user's template file (sandboxed).

    Every Jinja failure becomes a :class:`ReportError` naming the template and line;
    ``json_hint`` is the command that shows the data a template may use.
    """
    name = template.name if isinstance(template, Path) else template
    try:
        if isinstance(template, Path):
            compiled = environment(sandboxed=True, extra=template.parent).get_template(template.name)
            name = str(template)
        else:
            compiled = load_template(template)
        return compiled.render(**context)
    except jinja2.TemplateSyntaxError as error:
        raise ReportError(f"{error.filename or error.name}:{error.lineno}: template error: {error.message}") from None
    except jinja2.TemplateNotFound as error:
        raise ReportError(f"template not found: {error.name}") from None
    except jinja2.UndefinedError as error:
        raise ReportError(f"{name}: {error.message} (no such field; `{json_hint}` shows every field)") from None
    except jinja2.exceptions.SecurityError as error:
        raise ReportError(f"{name}: refused by the template sandbox: {error}") from None


def render_report(loaded: LoadedAppraisal, fmt: str = "md", *, template: Path | None = None) -> str:
    """Render the report of an appraisal as Markdown, HTML or JSON, or with a user template."""
    data = build_report(loaded)
    if template is None and fmt == "json":
        return json.dumps(_public(data), indent=2, ensure_ascii=False) + "\n"
    return render_template(template or TEMPLATES[fmt], data, json_hint="appraise report FILE -f json")


def _public(data: dict[str, Any]) -> dict[str, Any]:
    """The JSON report: the data without presentation-only helpers (colours, glyphs)."""
    clean = dict(data)
    clean["sections"] = [{k: v for k, v in s.items() if k not in {"view", "proposed_view"}} for s in data["sections"]]
    clean["overall"] = [{k: v for k, v in o.items() if k != "view"} for o in data["overall"]]
    return clean
