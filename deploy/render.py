"""Render the nginx configuration (and the pages nginx shows itself) from deploy/*.template.

    python -m deploy.render --out DIR --upstream 127.0.0.1:8601 --upstream 127.0.0.1:8602 [--listen 8080]

writes DIR/nginx.conf, DIR/proxy.conf and DIR/errors/{404,414,50x}.html. `make serve` (deploy/stack.py),
the compose file and the Kubernetes example all render the same template; only the values differ
(where the replicas are, where files live, whether the cookie is marked Secure). Placeholders are
`{{NAME}}` (nginx's own variables use `$`), and rendering fails if one is left unfilled.

The error pages are built from ui/strings/serve.yaml (both languages on one page: nginx does not
know the reader's language) and list the app's pages as app.py declares them.
"""
from __future__ import annotations

import argparse
import gzip
import html
import re
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = Path(__file__).resolve().parent
TEMPLATE = DEPLOY / "nginx.conf.template"
PROXY_TEMPLATE = DEPLOY / "proxy.conf.template"
EDITION_DIR = ROOT / "site"  # `make site` writes the static edition here
PLACEHOLDER = re.compile(r"\{\{([A-Z_]+)\}\}")
# Streamlit's bundles that are worth compressing ahead of time (fonts and images are already compact).
COMPRESSIBLE = (".js", ".css", ".json", ".map", ".svg", ".txt", ".html", ".wasm", ".ttf", ".otf")

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def app_pages(app_py: Path = ROOT / "app.py") -> tuple[str, list[str]]:
    """(the default page's url_path, the other pages' url_paths), read from app.py's st.Page calls."""
    text = app_py.read_text(encoding="utf-8")
    pages = re.findall(r'st\.Page\([^\n]*?url_path="([^"]+)"([^\n]*)', text)
    default = next((url for url, rest in pages if "default=True" in rest), pages[0][0])
    return default, [url for url, _ in pages if url != default]


def streamlit_static_dir() -> Path:
    """Streamlit's built frontend (index.html, static/js, static/css, static/media)."""
    from streamlit import file_util

    return Path(file_util.get_static_dir())


def precompress_static(dest: Path, source: Path | None = None) -> Path:
    """A copy of Streamlit's static/ tree under dest with a .gz beside every compressible file, for
    nginx's gzip_static: compressed once (level 9) instead of on every first visit. Reused while
    the Streamlit version is the same. Returns dest (nginx's root for /static/)."""
    import streamlit

    source = source or streamlit_static_dir()
    stamp = dest / ".streamlit-version"
    if stamp.exists() and stamp.read_text() == streamlit.__version__ and (dest / "static").is_dir():
        return dest
    tmp = dest.with_name(dest.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(source / "static", tmp / "static")
    for path in (tmp / "static").rglob("*"):
        if path.is_file() and path.suffix in COMPRESSIBLE:
            data = path.read_bytes()
            (path.parent / (path.name + ".gz")).write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    (tmp / ".streamlit-version").write_text(streamlit.__version__)
    shutil.rmtree(dest, ignore_errors=True)
    tmp.rename(dest)
    for d in [dest, *(p for p in dest.rglob("*") if p.is_dir())]:
        d.chmod(0o755)  # nginx's workers run as another user when the master runs as root
    return dest


# --- the pages nginx shows itself -------------------------------------------------------------------

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<link rel="icon" href="/favicon.png">
<title>{title}</title>
<style>
body {{ font-family: system-ui, -apple-system, "Segoe UI", "Noto Sans CJK TC", "PingFang TC", sans-serif;
       max-width: 40rem; margin: 3rem auto; padding: 0 1rem; line-height: 1.5; color: #1a1a1a; }}
h1 {{ font-size: 1.5rem; }} section + section {{ border-top: 1px solid #ddd; margin-top: 2rem; padding-top: 1rem; }}
a {{ color: #0b5cad; }} .home {{ font-size: 1.15rem; font-weight: 600; }}
</style>
</head>
<body>
{sections}
</body>
</html>
"""


def _section(lang: str, heading: str, body: str, link_text: str, pages: list[tuple[str, str]], edition: bool) -> str:
    from ui.i18n import t

    q = "" if lang == "en" else "?lang=zh-Hant"
    items = "".join(f'<li><a href="{html.escape(href + q)}">{html.escape(t(key, lang))}</a></li>' for href, key in pages)
    if edition:
        items += f'<li><a href="/edition/">{html.escape(t("serve.edition", lang))}</a></li>'
    return (f'<section lang="{lang}">\n<p>{html.escape(t("app.title", lang))}</p>\n<h1>{html.escape(t(heading, lang))}</h1>\n'
            f'<p>{html.escape(t(body, lang))}</p>\n<p class="home"><a href="/{q}">{html.escape(t(link_text, lang))}</a></p>\n'
            f'<ul>{items}</ul>\n</section>')


def error_pages(out: Path, edition: bool = False) -> dict[str, Path]:
    """404 (no such page), 414 (link too long) and 50x (replicas busy or restarting), both languages."""
    from ui.i18n import LANGS, t

    default, others = app_pages()
    pages = [("/", f"nav.{default}")] + [(f"/{p}", f"nav.{p}") for p in others]
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, (heading, body, link) in {
        "404": ("serve.not_found.heading", "serve.not_found.body", "serve.not_found.home"),
        "414": ("serve.too_long.heading", "serve.too_long.body", "serve.not_found.home"),
        "50x": ("serve.unavailable.heading", "serve.unavailable.body", "serve.unavailable.retry"),
    }.items():
        sections = "\n".join(_section(lang, heading, body, link, pages, edition) for lang in LANGS)
        title = " · ".join(t(heading, lang) for lang in LANGS)
        path = out / f"{name}.html"
        path.write_text(_PAGE.format(title=html.escape(title), sections=sections), encoding="utf-8")
        path.chmod(0o644)
        written[name] = path
    out.chmod(0o755)
    return written


# --- the configuration ------------------------------------------------------------------------------

@dataclass
class Settings:
    """Everything the template needs; defaults fit `make serve` on one machine."""

    upstreams: list[str]  # host:port of each replica (or one DNS name that resolves to all of them)
    out: Path  # where nginx.conf, proxy.conf and errors/ are written
    listen: str = "8080"
    static_root: Path | None = None  # holds static/ (precompress_static); None: the replicas serve it
    edition_root: Path = EDITION_DIR
    run_dir: Path | None = None  # pid file and temporary files; default: out
    access_log: str | None = None  # default: out/access.log ("/dev/stdout" in a container)
    error_log: str | None = None
    resolve: bool = False  # re-resolve the upstream names (nginx >= 1.27.3), with `resolver`
    resolver: str | None = None  # e.g. "127.0.0.11" (Docker) or "kube-dns.kube-system.svc.cluster.local"
    secure_cookie: bool = False  # the routing cookie only over HTTPS (set behind a TLS terminator)
    mime_types: str = "/etc/nginx/mime.types"
    gzip: bool = True  # off only to measure what compression saves (make bench)
    names: dict[str, str] = field(default_factory=dict)  # upstream address -> name in X-Replica


def fill(template: str, values: dict[str, str]) -> str:
    missing = sorted(set(PLACEHOLDER.findall(template)) - set(values))
    if missing:
        raise KeyError(f"no value for {', '.join(missing)}")
    return PLACEHOLDER.sub(lambda m: values[m.group(1)], template)


def render(s: Settings) -> Path:
    """Write the configuration and the error pages; return the path of nginx.conf."""
    out = s.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    out.chmod(0o755)
    run_dir = (s.run_dir or out).resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    default, others = app_pages()
    edition = Path(s.edition_root).resolve()
    errors = error_pages(out / "errors", edition=(edition / "index.html").exists())
    resolve = " resolve" if s.resolve else ""
    names = s.names or {u: f"replica-{i}" for i, u in enumerate(s.upstreams, start=1)}
    values = {
        "RUN_DIR": str(run_dir),
        "CONF_DIR": str(out),
        "ERROR_LOG": s.error_log or str(out / "error.log"),
        "ACCESS_LOG": s.access_log or str(out / "access.log"),
        "MIME_TYPES": s.mime_types,
        "LISTEN": s.listen,
        "GZIP": "on" if s.gzip else "off",
        "COOKIE_SECURE": "; Secure" if s.secure_cookie else "",
        "REPLICA_NAMES": "\n".join(f'        "{addr}" "{name}";' for addr, name in names.items()),
        "RESOLVER": f"    resolver {s.resolver} valid=10s ipv6=off;" if s.resolver else "",
        "UPSTREAM_SERVERS": "\n".join(f"        server {u} max_fails=1 fail_timeout=5s{resolve};" for u in s.upstreams),
        "PAGE_PATHS": "|".join(re.escape(p) for p in others),
        "DEFAULT_PAGE": re.escape(default),
        # No copy on disk: a path that does not exist, so try_files hands /static/ to a replica.
        "STATIC_ROOT": str(Path(s.static_root).resolve()) if s.static_root else str(out / "no-static-copy"),
        "STATIC_MISSING": "=404" if s.static_root else "@static_from_app",
        "EDITION_ROOT": str(edition),
        "ERROR_ROOT": str(errors["404"].parent),
    }
    conf = out / "nginx.conf"
    conf.write_text(fill(TEMPLATE.read_text(encoding="utf-8"), values), encoding="utf-8")
    (out / "proxy.conf").write_text(fill(PROXY_TEMPLATE.read_text(encoding="utf-8"), values), encoding="utf-8")
    for f in (conf, out / "proxy.conf"):
        f.chmod(0o644)
    return conf


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m deploy.render", description=__doc__.splitlines()[0])
    p.add_argument("--out", type=Path, required=True, help="directory for nginx.conf, proxy.conf and errors/")
    p.add_argument("--upstream", action="append", required=True, help="host:port of a replica (repeat for each)")
    p.add_argument("--listen", default="8080", help="nginx's listen address (default 8080)")
    p.add_argument("--static-root", type=Path, help="write a precompressed copy of Streamlit's static files here and serve it")
    p.add_argument("--edition-root", type=Path, default=EDITION_DIR, help="the static edition's folder (served at /edition/)")
    p.add_argument("--run-dir", type=Path, help="pid file and nginx's temporary files (default: --out)")
    p.add_argument("--access-log", help="access log path (default: OUT/access.log; /dev/stdout in a container)")
    p.add_argument("--error-log", help="error log path (default: OUT/error.log; /dev/stderr in a container)")
    p.add_argument("--resolve", action="store_true", help="re-resolve upstream names (nginx >= 1.27.3); needs --resolver")
    p.add_argument("--resolver", help="DNS server for --resolve (127.0.0.11 in Docker)")
    p.add_argument("--secure-cookie", action="store_true", help="mark the routing cookie Secure (site served over HTTPS)")
    p.add_argument("--mime-types", default="/etc/nginx/mime.types")
    a = p.parse_args(argv)
    if a.resolve and not a.resolver:
        p.error("--resolve needs --resolver")
    static = precompress_static(a.static_root) if a.static_root else None
    conf = render(Settings(upstreams=a.upstream, out=a.out, listen=a.listen, static_root=static, edition_root=a.edition_root,
                           run_dir=a.run_dir, access_log=a.access_log, error_log=a.error_log, resolve=a.resolve,
                           resolver=a.resolver, secure_cookie=a.secure_cookie, mime_types=a.mime_types))
    print(conf)
    return 0


if __name__ == "__main__":
    sys.exit(main())
