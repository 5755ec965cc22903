"""`caseprep rules ...` (owner: rules core): validate, test, list and explain rule files.

The command names, output lines and JSON shapes are a contract others build on
(issue 2; docs/architecture.md).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import click

from caseprep.cli import rules_current, rules_packs
from caseprep.cli.output import emit, fail, json_option, rule_error
from caseprep.cli.rules_option import rules_option, rules_option_for_paths
from caseprep.rules import FactValueError, RuleFileError, Rules, assess
from caseprep.rules.corpus import Agreement, load_cases, run_case
from caseprep.rules.loader import validate_paths
from caseprep.rules.scenarios import run_scenarios
from caseprep.rules.text import pick
from caseprep.rules.yamlsource import YamlLoadError, load_yaml

STALE_AFTER_DAYS = 365


@click.group()
def rules() -> None:
    """Validate, test, list and explain jurisdiction rule files."""


@rules.command("validate")
@rules_option_for_paths
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@json_option
def validate(paths: tuple[Path, ...], as_json: bool) -> None:
    """Check rule files (default: the rules folder); list every error with its file's path."""
    targets = list(paths)
    found, errors = validate_paths(targets)
    if as_json:
        emit({"ok": not errors, "jurisdictions": sorted(found),
              "paths": [str(t) for t in targets], "errors": [rule_error(e) for e in errors]})
        raise SystemExit(1 if errors else 0)
    for error in errors:
        click.echo(error.located())
    if errors:
        click.echo(f"{len(errors)} error(s)", err=True)
        raise SystemExit(1)
    where = ", ".join(str(t) for t in targets)
    click.echo(f"OK: {len(found)} jurisdiction(s) valid ({', '.join(sorted(found)) or 'none'}) "
               f"in {where}")


@rules.command("test")
@rules_option_for_paths
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--cases", "with_cases", is_flag=True,
              help="Also run the published cases under <folder>/cases/<code>/.")
@click.option("--report", is_flag=True,
              help="With --cases: print the agreement table per jurisdiction and route.")
@json_option
def test(paths: tuple[Path, ...], with_cases: bool, report: bool, as_json: bool) -> None:
    """Run every scenario (and, with --cases, every published case); end with `N passed, M failed`.

    A case marked `disputed` or with `catalog_lacks` is run and shown, but does not fail.
    """
    if as_json:  # the same run, its lines read back into records (no agreement table)
        lines: list[str] = []
        code = _run_tests(paths, with_cases, False,
                          lambda message="": lines.extend(str(message).splitlines()))
        emit({**_test_summary(lines), "ok": code == 0})
        raise SystemExit(code)
    raise SystemExit(_run_tests(paths, with_cases, report))


def _run_tests(paths: tuple[Path, ...], with_cases: bool, report: bool,
               echo=click.echo) -> int:
    found, errors = validate_paths(list(paths))
    for error in errors:
        echo(error.located())
    passed = failed = 0
    for code in sorted(found):
        for result in run_scenarios(found[code]):
            if result.passed:
                passed += 1
                echo(f"PASS {code}: {result.name}")
            else:
                failed += 1
                echo(f"FAIL {code}: {result.name}")
                for failure in result.failures:
                    echo(f"    {failure}")
    agreements = []
    if with_cases:
        for folder, code in _folders_of(paths, found):
            cases, case_errors = load_cases(folder, found[code])
            errors.extend(case_errors)
            for error in case_errors:
                echo(error.located())
            verdicts = [run_case(found[code], case) for case in cases]
            agreements.append(Agreement(code, verdicts))
            for verdict in verdicts:
                case = verdict.case
                if verdict.agrees:
                    passed += 1
                    echo(f"PASS {code} case: {case.id}")
                    continue
                if case.binding:
                    failed += 1
                    echo(f"FAIL {code} case: {case.id}")
                else:
                    why = "disputed" if case.disputed else "catalog lacks: " + \
                        "; ".join(case.catalog_lacks)
                    echo(f"NOTE {code} case: {case.id} ({why})")
                for failure in verdict.failures:
                    echo(f"    {failure}")
    if report:
        _print_agreement(agreements)
    if errors:
        echo(f"{len(errors)} validation error(s): files with errors were not tested")
    echo(f"{passed} passed, {failed} failed")
    return 1 if failed or errors else 0


def _test_summary(lines: list[str]) -> dict:
    """The text lines of a test run as JSON: results with their failures, errors, totals."""
    results: list[dict] = []
    errors: list[str] = []
    for line in lines:
        status, _, rest = line.partition(" ")
        if status in ("PASS", "FAIL", "NOTE") and ": " in rest:
            where, _, name = rest.partition(": ")
            code, _, kind = where.partition(" ")
            results.append({"status": status.lower(), "jurisdiction": code,
                            "kind": kind or "scenario", "name": name, "failures": []})
        elif line.startswith("    ") and results:
            results[-1]["failures"].append(line.strip())
        elif line and not line.endswith(" failed") and \
                not line.endswith("were not tested"):
            errors.append(line)
    return {"passed": sum(r["status"] == "pass" for r in results),
            "failed": sum(r["status"] == "fail" for r in results),
            "notes": sum(r["status"] == "note" for r in results),
            "results": results, "errors": errors}


def _folders_of(paths, found) -> list[tuple[Path, str]]:
    """(rules folder, code) for every jurisdiction tested, in code order."""
    pairs = []
    for code in sorted(found):
        for target in paths:
            folder = Path(target) if Path(target).is_dir() else Path(target).parent
            if (folder / f"{code}.yaml").is_file():
                pairs.append((folder, code))
                break
    return pairs


def _print_agreement(agreements: list[Agreement]) -> None:
    click.echo("\nAgreement with published cases")
    for agreement in agreements:
        results = agreement.results
        binding = agreement.binding
        click.echo(f"{agreement.jurisdiction}: {agreement.agreeing}/{len(binding)} undisputed "
                   f"cases agree ({agreement.rate:.0%}); {len(results) - len(binding)} disputed "
                   f"or beyond the catalog; {sum(r.case.source.read for r in results)} of "
                   f"{len(results)} read in the source itself")
        for route_id, (total, agree) in agreement.by_route().items():
            click.echo(f"  {route_id:<40} {agree}/{total}")


@rules.command("list")
@rules_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def list_(rules: Rules, as_json: bool) -> None:
    """Each jurisdiction with version, status, review date and routes; `stale` after a year."""
    try:
        found = rules.jurisdictions
    except RuleFileError as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(1) from exc
    today = dt.date.today()
    rows = []
    for code in sorted(found):
        j = found[code]
        age = (today - j.reviewed_on).days
        rows.append({
            "code": code, "name": pick(j.name, "en"), "version": j.version, "status": j.status,
            "reviewed_on": j.reviewed_on.isoformat(), "reviewed_by": j.reviewed_by,
            "routes": len(j.routes), "scenarios": len(j.scenarios),
            "stale": age > STALE_AFTER_DAYS,
        })
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for row in rows:
        flag = "  STALE (review over a year old)" if row["stale"] else ""
        click.echo(f"{row['code']:<6} {row['name']:<28} v{row['version']:<12} {row['status']:<9}"
                   f" reviewed {row['reviewed_on']}  {row['routes']} routes{flag}")


@rules.command("explain")
@rules_option
@click.argument("code")
@click.option("--facts", "facts_file", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="YAML or JSON mapping of fact id to value.")
@click.option("--json", "as_json", is_flag=True, help="Print the assessment as JSON.")
@click.option("--lang", default="en", show_default=True, help="Language of texts and reasons.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Date deadlines are counted to (default: today).")
def explain(rules: Rules, code: str, facts_file: Path, as_json: bool, lang: str,
            today) -> None:
    """The assessment of a jurisdiction for a facts file."""
    # lazy: loaded when the command runs, not when `caseprep` lists its commands (start-up time)
    from caseprep.documents.phrases import LANGUAGES

    try:
        found = rules.jurisdictions
    except RuleFileError as exc:
        click.echo(str(exc), err=True)
        raise SystemExit(1) from exc
    if code not in found:  # a finding, not a wrong command line: exit 1 as documented
        fail(f"unknown jurisdiction {code!r}; known: {', '.join(sorted(found))}", as_json)
    languages = sorted({*LANGUAGES, *found[code].name})  # caseprep's, and the file's own
    if lang not in languages:
        raise click.BadParameter(f"{lang!r} is not a language of caseprep or of {code} "
                                 f"(choose from {', '.join(languages)})", param_hint="--lang")
    facts = _read_facts(facts_file)
    try:
        assessment = assess(found[code], facts, lang=lang, today=today.date() if today else None)
    except FactValueError as exc:
        raise click.ClickException(f"{facts_file.name}: {exc}") from exc
    if as_json:
        click.echo(json.dumps(assessment.to_dict(), ensure_ascii=False, indent=2))
        return
    _print_assessment(assessment)


def _read_facts(path: Path) -> dict:
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(path.read_text(encoding="utf-8"))
        else:
            data, _lines, errors = load_yaml(path)
            if errors:
                raise click.ClickException(str(errors[0]))
    except (ValueError, YamlLoadError) as exc:
        raise click.ClickException(f"{path.name}: cannot read facts: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise click.ClickException(f"{path.name}: facts must be a mapping of fact id to value")
    return data


def _print_assessment(a) -> None:
    click.echo(f"{a.name} ({a.jurisdiction}) rules {a.rules_version}, {a.rules_status}, "
               f"reviewed {a.reviewed_on}")
    for r in a.routes:
        click.echo(f"\n[{r.status.upper()}] {r.title} ({r.id}, {r.kind})")
        for c in r.citations:
            mark = "" if c["confirmed"] else " (to verify)"
            click.echo(f"  cites: {c['instrument']} {c['article']}{mark}")
        for reason in r.reasons:
            click.echo(f"  - {reason}")
        for gap in r.gaps:
            have = "?" if gap["have"] is None else gap["have"]
            click.echo(f"  gap: {gap['fact']} have {have}, need {gap['need']}")
        if r.closest_gap:
            click.echo(f"  closest: {r.closest_gap['fact']}")
        if r.missing_facts:
            click.echo(f"  missing: {', '.join(r.missing_facts)}")
        for d in r.deadlines:
            click.echo(f"  deadline: {d['label']} ({d['period']}) due {d['due'] or 'unknown'}")
    if a.next_questions:
        click.echo(f"\nnext questions: {', '.join(a.next_questions)}")


for _command in rules_current.COMMANDS + rules_packs.COMMANDS:
    rules.add_command(_command)
