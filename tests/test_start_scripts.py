"""start.sh / test.sh on a fresh machine: they make and use a project virtualenv, and say in
Dutch and English which system package to install when Python cannot make one (Debian/Ubuntu
without python3-venv)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from conftest import REPO


def copy_scripts(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "scripts").mkdir(parents=True)
    shutil.copy(REPO / "scripts" / "env.sh", root / "scripts" / "env.sh")
    (root / "requirements.txt").write_text("")
    return root


def fake_python(bin_dir: Path, *, venv_works: bool) -> None:
    """A python3 that reports 3.11 and whose ``-m venv`` fails like Debian's without python3-venv."""
    bin_dir.mkdir()
    script = bin_dir / "python3"
    body = ('#!/bin/sh\n'
            'case "$*" in\n'
            '  *"-m venv"*) ' + ('exec /usr/bin/env -u PATH true' if venv_works else
                                 'echo "ensurepip is not available" >&2; exit 1') + ' ;;\n'
            '  *version_info*) case "$*" in *print*) echo 3.11 ;; esac; exit 0 ;;\n'
            'esac\nexit 0\n')
    script.write_text(body)
    script.chmod(0o755)


def run_env(root: Path, bin_dir: Path) -> subprocess.CompletedProcess:
    # only the fake Python and the few tools the script needs: no other python3.x on PATH
    for tool in ("sha1sum", "cut", "cat", "dirname", "rm"):
        (bin_dir / tool).symlink_to(shutil.which(tool))
    env = {k: v for k, v in os.environ.items() if k != "VIRTUAL_ENV"}
    env["PATH"] = str(bin_dir)
    return subprocess.run([shutil.which("bash"), "-c", "source scripts/env.sh && cohesie_python"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=60)


def test_missing_venv_names_the_system_package_in_dutch_and_english(tmp_path):
    root = copy_scripts(tmp_path)
    fake_python(tmp_path / "bin", venv_works=False)
    done = run_env(root, tmp_path / "bin")
    assert done.returncode == 1
    assert "sudo apt-get install python3-venv" in done.stderr
    assert "installeer het systeempakket" in done.stderr and "install the system package" in done.stderr
    assert not (root / ".venv").exists()  # nothing half-made is left behind


def test_an_active_virtualenv_is_used_as_it_is(tmp_path):
    root = copy_scripts(tmp_path)
    venv = tmp_path / "active"
    subprocess.run([shutil.which("python3") or "python3", "-m", "venv", "--without-pip", str(venv)], check=True)
    # requirements already installed there (the stamp env.sh writes after an install)
    digest = subprocess.run(["sha1sum", str(root / "requirements.txt")], capture_output=True, text=True).stdout.split()[0]
    (venv / ".cohesie-requirements").write_text(digest + "\n")
    env = {**os.environ, "VIRTUAL_ENV": str(venv)}
    done = subprocess.run(["bash", "-c", "source scripts/env.sh && cohesie_python && echo \"PY=$PY\""], cwd=root,
                          env=env, capture_output=True, text=True, timeout=120)
    assert f"PY={venv}/bin/python" in done.stdout
    assert not (root / ".venv").exists()


def test_scripts_use_the_project_environment():
    for name in ("start.sh", "test.sh"):
        text = (REPO / name).read_text()
        assert "source scripts/env.sh" in text and "cohesie_python" in text
        assert "python3 -m pip install" not in text  # never into the system Python (PEP 668)
    assert "bash test.sh" in (REPO / ".ci" / "run").read_text()
