"""The README's jq examples, run as written on the sample log, against the output it shows."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from planted import CODE

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
KEY = "k2:the-readme-key-0123456789abcdef"


def _examples() -> list[tuple[str, str]]:
    """(command, output shown) of each `$ ` line in the README's jq block."""
    section = README[README.index("### Querying the tags in log backends"):]
    block = re.search(r"```sh\n(.*?)```", section, re.S)
    assert block is not None
    examples: list[tuple[str, str]] = []
    for line in block.group(1).splitlines(keepends=True):
        if line.startswith("$ "):
            examples.append((line[2:].rstrip("\n"), ""))
        else:
            command, shown = examples[-1]
            examples[-1] = (command, shown + line)
    return examples


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """red.jsonl and tokens.txt made by the README's own commands, in a scratch directory."""
    work = tmp_path_factory.mktemp("readme")
    (work / "examples").mkdir()
    shutil.copy(ROOT / "examples" / "app.log", work / "examples" / "app.log")
    env = {**os.environ, "PII_TAGGER_HASH_KEY": KEY, "LC_ALL": "C",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    redact = "pii-tagger redact --summary examples/app.log > red.jsonl"
    token = next(line for line in README.splitlines() if line.startswith("echo ") and "> tokens.txt" in line)
    for command in (redact, token):
        assert command in README
        subprocess.run(["bash", "-c", command], cwd=work, env=env, check=True, capture_output=True, timeout=60)
    return work, env


def _one_persons_events(red: bytes, tokens: bytes) -> list[dict[str, object]]:
    """What the README's token search must select: the events holding any of the tokens."""
    wanted = [t for t in tokens.split() if t]
    return [orjson.loads(line) for line in red.splitlines() if any(t in line for t in wanted)]


def test_the_token_search_uses_every_token(logs: tuple[Path, dict[str, str]]) -> None:
    """The logic of the last example, in Python (runs where jq is missing too)."""
    work, _ = logs
    red, tokens = (work / "red.jsonl").read_bytes(), (work / "tokens.txt").read_bytes()
    assert CODE in (ROOT / "examples" / "app.log").read_text(encoding="utf-8") and CODE.encode() not in red
    found = _one_persons_events(red, tokens)
    assert len(found) == 2  # the support mail and the access-log line that held the code
    first_only = _one_persons_events(red, tokens.splitlines()[0])
    assert first_only == []  # why `head -1 tokens.txt` was wrong: the first token is a name field's


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed: only the Python equivalent above ran")
def test_readme_jq_examples_run_as_written(logs: tuple[Path, dict[str, str]]) -> None:
    work, env = logs
    examples = _examples()
    assert len(examples) == 4 and "tokens.txt" in examples[-1][0]
    for command, shown in examples:
        result = subprocess.run(["bash", "-c", command], cwd=work, env=env, capture_output=True, timeout=60, check=False)
        assert result.returncode == 0, (command, result.stderr)
        assert result.stdout.decode() == shown, command
        assert CODE.encode() not in result.stdout
    red, tokens = (work / "red.jsonl").read_bytes(), (work / "tokens.txt").read_bytes()
    assert len(examples[-1][1].splitlines()) == len(_one_persons_events(red, tokens))
