"""What README.md and docs/*.md show is true as typed.

- Every `leadshift …` subcommand they name has a subprocess test, declared in TESTED_BY.
- Every command line they show in a code block (and every inline one that uses a file of
  docs/examples/) runs as typed against the demo, with the exit status its `# error: …
  (exit N)` comment announces, or 0.
- Every example file they name or show is a real file under docs/examples/, fed to a command
  by the tests.
"""

from __future__ import annotations

import importlib
import inspect
import re
import shlex
from dataclasses import dataclass
from pathlib import Path

import click
import pytest

from leadshift.cli import main

from .conftest import EXAMPLES, REPO, Ran, RunLeadshift

# Each documented command, and the subprocess test that runs it: "module::test". A command
# added to the docs needs its line here, and the test. Sorted by command.
TESTED_BY = {
    "allocate": "test_commands::test_engine_commands_need_no_database_and_leave_no_data_folder",
    "assess": "test_commands::test_assess_records_the_documented_answers_file_and_names_the_line_of_a_mistake",
    "decisions calibration": "test_commands::test_decisions_list_export_and_calibration",
    "decisions export": "test_commands::test_decisions_list_export_and_calibration",
    "decisions list": "test_commands::test_decisions_list_export_and_calibration",
    "demo": "test_commands::test_migrate_and_demo_set_up_an_empty_data_folder",
    "feedback cycles": "test_commands::test_feedback_cycles_results_team_and_release",
    "feedback release-due": "test_commands::test_feedback_cycles_results_team_and_release",
    "feedback results": "test_commands::test_feedback_cycles_results_team_and_release",
    "feedback team": "test_commands::test_feedback_cycles_results_team_and_release",
    "framework install": "test_commands::test_framework_validate_show_and_install",
    "framework show": "test_commands::test_framework_validate_show_and_install",
    "framework validate": "test_commands::test_framework_validate_show_and_install",
    "migrate": "test_commands::test_migrate_and_demo_set_up_an_empty_data_folder",
    "oneonones": "tests.coaching.test_cli::test_it_prints_sams_series_with_their_agendas",
    "mentors": "tests.cli.test_mentoring_commands::test_mentors_lists_the_demo_s_two_pairs_and_who_has_no_one",
    "digest send": "tests.cli.test_mentoring_commands::test_digest_send_dry_run_then_send_then_nothing_twice",
    "org export": "test_org_backup::test_a_restored_demo_exports_to_the_same_bytes",
    "org import": "test_org_backup::test_a_restored_demo_exports_to_the_same_bytes",
    "outbox list": "tests.outbox.test_cli::test_outbox_list_shows_an_organisations_messages_newest_first",
    "outbox show": "tests.outbox.test_cli::test_outbox_show_prints_the_message_with_its_link",
    "outbox queue": "tests.outbox.test_mail_queue::test_a_failing_mail_server_is_tried_again_with_a_growing_wait_then_the_failure_is_kept",
    "people deactivate": "tests.people.test_cli::test_deactivate_keeps_the_person_listed_as_inactive",
    "people import": "tests.people.test_cli::test_the_documented_import_brings_in_the_example_file_and_list_shows_it",
    "people invite": "tests.people.test_cli::test_invite_says_it_was_sent_and_prints_no_link",
    "people list": "tests.people.test_cli::test_the_documented_import_brings_in_the_example_file_and_list_shows_it",
    "plan": "test_commands::test_profile_plan_and_token_work_in_a_plain_shell",
    "portfolio actuals": "test_results_commands::test_health_shows_the_demo_churn_off_its_trajectory_and_actuals_move_it",
    "portfolio export": "test_commands::test_portfolio_import_export_and_products",
    "portfolio health": "test_results_commands::test_health_shows_the_demo_churn_off_its_trajectory_and_actuals_move_it",
    "portfolio import": "test_commands::test_portfolio_import_export_and_products",
    "portfolio products": "test_commands::test_portfolio_import_export_and_products",
    "portfolio sync": "test_results_commands::test_sync_reads_the_jira_and_linear_examples_and_refuses_unknown_keys",
    "pulse results": "tests.pulse.test_cli::test_it_prints_mayas_latest_pulse_and_her_trend",
    "profile": "test_commands::test_profile_plan_and_token_work_in_a_plain_shell",
    "radar": "tests.radar.test_cli::test_mayas_radar_shows_each_kind_of_signal_with_why_and_evidence",
    "report": "test_commands::test_report_writes_a_pdf_and_refuses_a_viewer_who_may_not_see",
    "score": "test_commands::test_engine_commands_need_no_database_and_leave_no_data_folder",
    "serve": "test_commands::test_serve_answers_on_its_port",
    "simulate": "test_commands::test_engine_commands_need_no_database_and_leave_no_data_folder",
    "sweep": "test_sweep_command::test_the_documented_sweep_prints_each_variant_beside_the_base",
    "teams add": "tests.people.test_cli::test_teams_add_and_list",
    "teams list": "tests.people.test_cli::test_teams_add_and_list",
    "timeuse delete": "test_commands::test_timeuse_reads_a_calendar_and_keeps_weekly_totals_for_a_person",
    "timeuse import": "test_commands::test_timeuse_reads_a_calendar_and_keeps_weekly_totals_for_a_person",
    "timeuse read": "test_commands::test_timeuse_reads_a_calendar_and_keeps_weekly_totals_for_a_person",
    "timeuse show": "test_commands::test_timeuse_reads_a_calendar_and_keeps_weekly_totals_for_a_person",
    "token create": "test_commands::test_profile_plan_and_token_work_in_a_plain_shell",
    "worker": "test_commands::test_worker_does_what_is_queued_and_stops_when_asked_to",
}

# A group that runs one of its commands when given a file instead of a command name.
DEFAULT_COMMAND = {"timeuse": "read"}
# Commands that do not end by themselves: tested on their own, never run as typed here.
LONG_RUNNING = {"serve", "worker"}

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
WORD = re.compile(r"[a-z][a-z-]*")
PLACEHOLDER = re.compile(r"[A-Z]{2,}|[\[\]|…]|\.\.\.|^[A-Z]$")
TYPED = re.compile(r"(?P<env>(?:[A-Z_]+=\S+\s+)*)(?P<command>leadshift\s.*)")
ERROR_NOTE = re.compile(r"#\s*error:\s*(?P<message>.*?)\s*\(exit (?P<code>\d+)\)\s*$")


@dataclass(frozen=True)
class Shown:
    place: str  # file:line
    text: str
    in_block: bool
    exit_code: int = 0
    message: str = ""
    env: tuple[tuple[str, str], ...] = ()  # `LEADSHIFT_DATA_DIR=restored leadshift …`

    @property
    def words(self) -> list[str]:
        return self.text.replace("\\|", "|").split()

    @property
    def runnable(self) -> bool:
        concrete = not any(PLACEHOLDER.search(w) for w in self.words)
        return concrete and (self.in_block or "docs/examples/" in self.text)


def shown_commands() -> list[Shown]:
    found = []
    for doc in DOCS:
        lines = doc.read_text().splitlines()
        fenced = False
        for i, line in enumerate(lines):
            place = f"{doc.relative_to(REPO)}:{i + 1}"
            if line.lstrip().startswith("```"):
                fenced = not fenced
                continue
            typed = TYPED.fullmatch(line.strip())
            if (fenced or line.startswith("    ")) and typed:
                note = ERROR_NOTE.search(lines[i + 1]) if i + 1 < len(lines) else None
                env = tuple(tuple(a.split("=", 1)) for a in typed["env"].split())
                found.append(
                    Shown(
                        place,
                        typed["command"],
                        True,
                        int(note["code"]) if note else 0,
                        note["message"] if note else "",
                        env,  # type: ignore[arg-type]
                    )
                )
                continue
            for span in re.findall(r"`(leadshift [^`]+)`", line):
                found.append(Shown(place, span, False))
    return found


def command_path(words: list[str]) -> tuple[str | None, str | None]:
    """(the command's path, None), or (None, a problem), or (None, None) for a group named
    without a command (`leadshift portfolio …`)."""
    cmd: click.Command = main
    path: list[str] = []
    for word in words[1:]:
        if not isinstance(cmd, click.Group):
            break
        if word in cmd.commands:
            cmd = cmd.commands[word]
            path.append(word)
        elif WORD.fullmatch(word):
            return None, f"`leadshift {' '.join([*path, word])}` is no command"
        elif path and path[-1] in DEFAULT_COMMAND and not word.startswith("-"):
            path.append(DEFAULT_COMMAND[path[-1]])
            cmd = cmd.commands[path[-1]]
        else:
            break
    if isinstance(cmd, click.Group):
        return None, None
    return " ".join(path), None


SHOWN = shown_commands()


def test_the_docs_show_commands_at_all():
    assert len(SHOWN) > 30 and any(s.runnable for s in SHOWN)


def test_every_command_the_docs_name_exists():
    problems = [f"{s.place}: {p}" for s in SHOWN if (p := command_path(s.words)[1])]
    assert not problems, "\n".join(problems)


def test_every_documented_command_has_a_subprocess_test():
    missing: dict[str, str] = {}
    for s in SHOWN:
        path, _ = command_path(s.words)
        if path and path not in TESTED_BY:
            missing.setdefault(path, s.place)
    assert not missing, (
        "documented without a subprocess test (add a test in tests/cli/ and its line to "
        "TESTED_BY in tests/cli/test_docs_as_typed.py):\n"
        + "\n".join(f"  {place}: leadshift {path}" for path, place in sorted(missing.items()))
    )


@pytest.mark.parametrize("path", sorted(TESTED_BY))
def test_the_declared_test_exists_and_runs_the_command(path: str):
    module_name, _, function = TESTED_BY[path].partition("::")
    # "module::test" in tests/cli/, or "tests.app.module::test" beside an app's other tests.
    module = importlib.import_module(
        module_name if "." in module_name else f"tests.cli.{module_name}"
    )
    test = getattr(module, function, None)
    assert callable(test), f"{TESTED_BY[path]} does not exist"
    quoted = ", ".join(f'"{w}"' for w in path.split())
    assert quoted in inspect.getsource(test), f"{TESTED_BY[path]} never runs `leadshift {path}`"


def test_every_example_file_the_docs_name_is_real_and_used_by_a_test():
    named = {
        name for doc in DOCS for name in re.findall(r"docs/examples/([\w.-]+\w)", doc.read_text())
    }
    assert named, "the docs name no example file"
    missing = sorted(n for n in named if not (EXAMPLES / n).is_file())
    assert not missing, f"named in the docs but not in docs/examples/: {missing}"
    tests = "".join(p.read_text() for p in Path(__file__).parents[1].rglob("test_*.py"))
    unused = sorted(
        p.name
        for p in EXAMPLES.iterdir()
        if f"docs/examples/{p.name}" not in tests and f'EXAMPLES / "{p.name}"' not in tests
    )
    assert not unused, f"example files no test feeds to a command: {unused}"


def test_every_file_the_docs_show_whole_is_an_example_file():
    examples = {p.read_text() for p in EXAMPLES.iterdir()}
    for doc in DOCS:
        for block in re.findall(r"```(?:yaml|json|csv)\n(.*?)```", doc.read_text(), re.S):
            assert block in examples, (
                f"{doc.name} shows a file that is not in docs/examples/:\n{block[:300]}"
            )


RUNNABLE = [s for s in SHOWN if s.runnable and command_path(s.words)[0] not in LONG_RUNNING]
BY_DOC: dict[str, list[Shown]] = {}
for _shown in RUNNABLE:
    BY_DOC.setdefault(_shown.place.split(":")[0], []).append(_shown)


@pytest.mark.parametrize("doc", sorted(BY_DOC))
def test_the_commands_of_a_page_run_as_typed_one_after_the_other(
    doc: str, run_leadshift: RunLeadshift
):
    for shown in BY_DOC[doc]:
        ran: Ran = run_leadshift(*shlex.split(shown.text, comments=True)[1:], env=dict(shown.env))
        said = f"{shown.place}: {shown.text}\n{ran}"
        assert ran.code == shown.exit_code, said
        if shown.message:
            assert shown.message in ran.stderr, said
        if shown.exit_code == 0:
            assert "Traceback" not in ran.stderr, said
