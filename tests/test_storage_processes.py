"""Several server processes on one data directory (scripts/serve_multi.sh): they start at once
and must agree on the session key, and derived files written at the same time stay whole."""

from __future__ import annotations

import multiprocessing as mp

from cohesie.storage import open_store


def _secret(data_dir, start, out):
    start.wait()
    out.put(open_store(data_dir).secret())


def _display(name, content, start, out):
    start.wait()
    out.put(str(open_store(".").write_display_file(name, content)))


def test_processes_starting_together_share_one_session_key(tmp_path):
    ctx = mp.get_context("fork")
    start, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_secret, args=(tmp_path, start, out)) for _ in range(8)]
    for p in procs:
        p.start()
    start.set()
    keys = [out.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert len(set(keys)) == 1 and len(keys[0]) == 32
    assert open_store(tmp_path).secret() == keys[0]
    assert [f.name for f in tmp_path.iterdir()] == [".sessiesleutel"]  # no temporary file left


def test_display_file_written_by_several_processes_at_once_is_whole(tmp_path, monkeypatch):
    from cohesie import settings

    monkeypatch.setattr(settings, "static_dir", lambda: tmp_path / "static")  # inherited by fork
    content = "x" * 2_000_000
    ctx = mp.get_context("fork")
    start, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=_display, args=("same.geojson", content, start, out)) for _ in range(6)]
    for p in procs:
        p.start()
    start.set()
    paths = {out.get(timeout=60) for _ in procs}
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert len(paths) == 1
    generated = tmp_path / "static" / "generated"
    assert (generated / "same.geojson").read_text(encoding="utf-8") == content
    assert [f.name for f in generated.iterdir()] == ["same.geojson"]
