import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _setup_commands() -> list[str]:
    text = (ROOT / "README.md").read_text()
    section = text.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", section)[:2]


def test_readme_has_two_setup_commands_and_ci_runs_the_second():
    main_job, tests = _setup_commands()
    assert "pip install -e ." in main_job and "geohedge data build" in main_job
    assert main_job.endswith("geohedge brief MYS")
    assert "python -m pytest" in tests
    ci = (ROOT / ".ci" / "run").read_text()
    assert tests in ci.splitlines()
    assert "GEOHEDGE_REQUIRE_SHARED=1" in ci
