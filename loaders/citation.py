"""Data version and citations (plain text and BibTeX) for the dashboard and each dataset.

The data version is built from the data itself, not from git: a clone of the same data, with or
without history, gets the same version. It is "<newest observed as_of>.<12 hex of sha256 over
data/>". The git commit is extra information, read from .git without running git, and kept out of
anything that must be byte-reproducible.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

PROJECT = "Hong Kong CCTV Watch"
AUTHOR = "Hong Kong CCTV Watch contributors"
PROJECT_TITLE = "Hong Kong CCTV Watch: published figures on the Hong Kong Police SmartView camera network"
# The dashboard's public address: datapackage.json's homepage and every citation's url (a dataset's
# url is its view on the Data page). No public address is recorded anywhere in the project yet,
# so none is invented: set it here, once, when the dashboard is published. While it is None the
# exports leave the url and homepage out rather than point somewhere wrong.
HOMEPAGE: str | None = None
REPO_ROOT = Path(__file__).resolve().parent.parent
HASH_LEN = 12
# Text files are hashed with LF line ends so a Windows checkout (autocrlf) gives the same version.
_TEXT_SUFFIXES = {".yaml", ".yml", ".csv", ".json", ".geojson", ".md", ".txt"}


@dataclass(frozen=True)
class DataVersion:
    data_hash: str  # first 12 hex of sha256 over every data file
    newest_as_of: dt.date | None  # newest observed figure date (future targets excluded)

    @property
    def label(self) -> str:
        day = self.newest_as_of.isoformat() if self.newest_as_of else "undated"
        return f"{day}.{self.data_hash}"

    @property
    def year(self) -> int | None:
        return self.newest_as_of.year if self.newest_as_of else None


def data_files(root: Path) -> list[Path]:
    """Every data file under root in a fixed order (hidden files and caches skipped)."""
    if not root.is_dir():
        return []
    files = [p for p in root.rglob("*") if p.is_file()
             and not any(part.startswith(".") or part == "__pycache__" for part in p.relative_to(root).parts)]
    return sorted(files, key=lambda p: p.relative_to(root).as_posix())


def data_hash(root: str | Path) -> str:
    """sha256 over (relative path, content) of every data file; first 12 hex digits."""
    root = Path(root)
    h = hashlib.sha256()
    for path in data_files(root):
        raw = path.read_bytes()
        if path.suffix.lower() in _TEXT_SUFFIXES:
            raw = raw.replace(b"\r\n", b"\n")
        h.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        h.update(hashlib.sha256(raw).digest())
    return h.hexdigest()[:HASH_LEN]


def newest_as_of(figures: pd.DataFrame) -> dt.date | None:
    """Newest as_of up to the newest statement: the same rule as the sidebar (ui.layout.newest_as_of)."""
    if figures is None or figures.empty:
        return None
    observed = figures.loc[figures["as_of"] <= figures["stated"].max(), "as_of"].dropna()
    return observed.max().date() if len(observed) else None


def data_version(root: str | Path, figures: pd.DataFrame) -> DataVersion:
    return DataVersion(data_hash(root), newest_as_of(figures))


def git_commit(repo: Path = REPO_ROOT) -> str | None:
    """The checked-out commit, read from .git files (no git binary); None when unavailable."""
    git = repo / ".git"
    try:
        if git.is_file():  # worktree or submodule: "gitdir: <path>"
            target = git.read_text(encoding="utf-8").strip().removeprefix("gitdir:").strip()
            git = (repo / target).resolve()
        head = (git / "HEAD").read_text(encoding="utf-8").strip()
        if not head.startswith("ref:"):
            return head if re.fullmatch(r"[0-9a-f]{40}", head) else None
        ref = head.removeprefix("ref:").strip()
        common = git
        if (git / "commondir").is_file():
            common = (git / (git / "commondir").read_text(encoding="utf-8").strip()).resolve()
        for base in (git, common):
            loose = base / ref
            if loose.is_file():
                sha = loose.read_text(encoding="utf-8").strip()
                return sha if re.fullmatch(r"[0-9a-f]{40}", sha) else None
        packed = common / "packed-refs"
        if packed.is_file():
            for line in packed.read_text(encoding="utf-8").splitlines():
                parts = line.split()
                if len(parts) == 2 and parts[1] == ref and re.fullmatch(r"[0-9a-f]{40}", parts[0]):
                    return parts[0]
    except (OSError, UnicodeDecodeError):
        return None
    return None


# --- citations ---------------------------------------------------------------------------------

_BIB_SPECIAL = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "%": r"\%", "&": r"\&", "#": r"\#",
                "_": r"\_", "$": r"\$", "^": r"\^{}", "~": r"\~{}"}


def bib_escape(text) -> str:
    """Data-derived text made inert inside a BibTeX field (braces balanced, specials escaped)."""
    return "".join(_BIB_SPECIAL.get(ch, ch) for ch in str(text)).replace("\n", " ")


def bib_url(url: str) -> str:
    """A URL for a BibTeX url field, which styles print verbatim: no escaping, but the few
    characters that would break the field are percent-encoded."""
    return "".join({"{": "%7B", "}": "%7D", "\\": "%5C", " ": "%20", "\n": ""}.get(ch, ch) for ch in url)


def dataset_url(name: str) -> str | None:
    """A dataset's view on the Data page (the explorer's dataset is bound to ?d_ds=)."""
    return f"{HOMEPAGE.rstrip('/')}/data?d_ds={name}" if HOMEPAGE else None


def _bibtex(key: str, fields: list[tuple[str, str]]) -> str:
    # @misc with howpublished and note: the fields every standard style (plain, unsrt, alpha,
    # abbrv, natbib, biblatex) prints; url is printed by natbib, biblatex and pybtex styles.
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields if value)
    return f"@misc{{{key},\n{body}\n}}"


_BIB_PROJECT_TITLE = "{Hong Kong CCTV Watch}: published figures on the {Hong Kong Police} {SmartView} camera network"


def _key_suffix(version: DataVersion) -> str:
    return (version.newest_as_of.strftime("%Y%m%d") if version.newest_as_of else "undated") + "_" + version.data_hash[:6]


def _year_text(version: DataVersion) -> str:
    return str(version.year) if version.year else "n.d."


def dashboard_citation(version: DataVersion, commit: str | None = None) -> str:
    """Plain-text citation of the whole dashboard and data; the commit only where it is given."""
    text = f"{AUTHOR} ({_year_text(version)}). {PROJECT_TITLE}. Data version {version.label}."
    if commit:
        text += f" Code commit {commit[:12]}."
    if HOMEPAGE:
        text += f" {HOMEPAGE}"
    return text


def dashboard_bibtex(version: DataVersion, commit: str | None = None) -> str:
    note = f"Data version {version.label} (sha256 of the data files, first {HASH_LEN} hex: {version.data_hash})"
    if commit:
        note += f"; code commit {commit[:12]}"
    return _bibtex(f"hkcctvwatch_{_key_suffix(version)}", [
        ("author", "{" + bib_escape(AUTHOR) + "}"),
        ("title", _BIB_PROJECT_TITLE),
        ("howpublished", "Dashboard and data package"),
        ("year", str(version.year) if version.year else ""),
        ("version", bib_escape(version.label)),
        ("url", bib_url(HOMEPAGE) if HOMEPAGE else ""),
        ("note", bib_escape(note)),
    ])


def dataset_citation(name: str, title: str, version: DataVersion, derived_from: tuple[str, ...] = ()) -> str:
    """Plain-text citation of one dataset, naming the published files it was derived from."""
    text = (f"{AUTHOR} ({_year_text(version)}). {title} [{name}]. In {PROJECT_TITLE}. "
            f"Data version {version.label}.")
    if derived_from:
        text += " Derived from: " + " | ".join(derived_from)
    if HOMEPAGE:
        text += f" {dataset_url(name)}"
    return text


def dataset_bibtex(name: str, title: str, version: DataVersion, derived_from: tuple[str, ...] = ()) -> str:
    note = f"Dataset {name}, data version {version.label}"
    if derived_from:
        note += ". Derived from: " + " | ".join(derived_from)
    url = dataset_url(name)
    # The project goes in howpublished, which @misc prints (plain drops a booktitle on @misc).
    return _bibtex(f"hkcctvwatch_{re.sub(r'[^a-z0-9]', '', name)}_{_key_suffix(version)}", [
        ("author", "{" + bib_escape(AUTHOR) + "}"),
        ("title", bib_escape(title)),
        ("howpublished", "Dataset in " + _BIB_PROJECT_TITLE),
        ("year", str(version.year) if version.year else ""),
        ("version", bib_escape(version.label)),
        ("url", bib_url(url) if url else ""),
        ("note", bib_escape(note)),
    ])
