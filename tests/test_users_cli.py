"""``python -m cohesie user add|remove|list``: accounts with argon2 hashes, Dutch errors, exit codes."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO

from cohesie import auth
from cohesie.storage import open_store


def cli(data_dir, *args, stdin: str = ""):
    return subprocess.run([sys.executable, "-m", "cohesie", "--data-dir", str(data_dir), *args],
                          input=stdin, capture_output=True, text=True, cwd=REPO, timeout=120)


def test_add_list_remove_user(tmp_path):
    r = cli(tmp_path, "user", "add", "eva", "--role", "editor", "--password-stdin",
            stdin="geheim-123-lang\n")
    assert r.returncode == 0, r.stderr
    assert "eva aangemaakt met rol editor" in r.stdout
    store = open_store(tmp_path)
    row = store.get_user("eva")
    assert row["rol"] == "editor" and row["hash"].startswith("$argon2")
    assert "geheim-123-lang" not in row["hash"]
    assert auth.resolve_user(store, auth.login(store, "eva", "geheim-123-lang")).role == "editor"
    r = cli(tmp_path, "user", "list")
    assert r.returncode == 0 and "eva" in r.stdout and "$argon2" not in r.stdout
    r = cli(tmp_path, "user", "add", "eva", "--role", "admin", "--no-password")
    assert r.returncode == 0 and "bijgewerkt" in r.stdout
    assert auth.login(store, "eva", "geheim-123-lang")  # password kept
    assert store.get_user("eva")["rol"] == "admin"
    r = cli(tmp_path, "user", "remove", "eva")
    assert r.returncode == 0 and store.get_user("eva") is None


def test_user_errors_are_dutch_with_exit_2(tmp_path):
    cases = [
        (("user", "add", "bob", "--password-stdin"), "kort\n", "minstens 12 tekens"),
        # 11 characters: one short of the rule
        (("user", "add", "bob", "--password-stdin"), "elf-tekens!\n", "minstens 12 tekens"),
        (("user", "add", "roberta.peeters", "--password-stdin"), "Roberta.Peeters\n",
         "mag niet gelijk zijn aan de gebruikersnaam"),
        (("user", "add", "bob"), "", "Geen wachtwoord"),
        (("user", "add", "b o b", "--password-stdin"), "geheim-123-lang\n", "ongeldig"),
        (("user", "add", "bob", "--role", "god"), "", "geen geldige keuze"),
        (("user", "remove", "niemand"), "", "bestaat niet"),
    ]
    for args, stdin, message in cases:
        r = cli(tmp_path, *args, stdin=stdin)
        assert r.returncode == 2, (args, r.stdout, r.stderr)
        assert message in r.stderr and "Traceback" not in r.stderr
    assert open_store(tmp_path).list_users().empty  # every refusal left the accounts unchanged


def test_accounts_do_not_bump_the_data_version(tmp_path):
    store = open_store(tmp_path)
    store.save_user("eva", rol="viewer", password_hash=None)
    assert store.data_version() == 0
