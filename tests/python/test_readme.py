"""The README's Python snippets, run verbatim (as a user pastes them) on a fresh result file."""
import re
import shutil
import subprocess
import sys

import pytest

import synth

README = synth.REPO / "README.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(), flags=re.S)


def test_readme_has_python_snippets():
    assert len(python_blocks()) >= 2


@pytest.mark.parametrize("index", range(len(python_blocks())))
def test_readme_python_snippet_runs(index, tmp_path):
    binary = synth.BUILD_DIR / "borderland"
    if not binary.exists():
        pytest.skip(f"{binary} is not built")
    (tmp_path / "scenarios").mkdir()
    shutil.copy(synth.REPO / "scenarios" / "civil_violence.yaml", tmp_path / "scenarios")
    subprocess.run([str(binary), "run", "scenarios/civil_violence.yaml", "-o", "cv.h5", "-q", "--until",
                    "2000-03-31"], cwd=tmp_path, check=True)
    proc = subprocess.run([sys.executable, "-c", python_blocks()[index]], cwd=tmp_path, capture_output=True,
                          text=True, env=synth.python_env(), timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert proc.stdout.strip()
