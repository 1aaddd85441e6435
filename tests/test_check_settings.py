"""`loaders check` also checks the refresh and watch settings, so the daily job stops before it fetches."""
from __future__ import annotations

from loaders.__main__ import main


def test_check_passes_on_the_shipped_settings(capsys):
    assert main(["check"]) == 0


def test_a_broken_watch_file_is_named_with_its_line(data_copy, capsys):
    with (data_copy / "watch.yaml").open("a", encoding="utf-8") as fh:
        fh.write("feeds: [broken\n")
    assert main(["check", "--data-dir", str(data_copy)]) == 1
    out = capsys.readouterr().out
    assert "watch.yaml:" in out and "malformed YAML" in out


def test_a_refresh_input_without_its_url_is_named(data_copy, capsys):
    path = data_copy / "refresh.yaml"
    text = path.read_text(encoding="utf-8")
    first_url = next(line for line in text.splitlines() if line.strip().startswith("url:"))
    path.write_text(text.replace(first_url, "", 1), encoding="utf-8")
    assert main(["check", "--data-dir", str(data_copy)]) == 1
    out = capsys.readouterr().out
    assert "refresh.yaml:" in out and "url" in out
