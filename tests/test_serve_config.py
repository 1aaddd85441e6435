"""Production serving, checked without a browser: the replica command, the watcher settings, and the
nginx configuration rendered from deploy/nginx.conf.template (validated with `nginx -t`)."""
from __future__ import annotations

import gzip
import html
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from deploy import render
from deploy.stack import NGINX
from tests.conftest import ROOT
from ui import serve
from ui.i18n import LANGS, t

needs_nginx = pytest.mark.skipif(not Path(NGINX).exists(), reason=f"{NGINX} is missing: apt-get install nginx (make test does, as root)")


def nginx_t(conf: Path) -> subprocess.CompletedProcess:
    return subprocess.run([NGINX, "-t", "-p", str(conf.parent), "-c", str(conf), "-e", str(conf.parent / "error.log")],
                          capture_output=True, text=True)


@pytest.fixture
def rendered(tmp_path) -> Path:
    return render.render(render.Settings(upstreams=["127.0.0.1:8601", "127.0.0.1:8602"], out=tmp_path / "conf",
                                         listen="127.0.0.1:8080", edition_root=tmp_path / "no-edition"))


def test_production_turns_off_file_watching_run_on_save_and_error_details():
    args = serve.streamlit_args(["--production", "--server.port", "8601"])
    pairs = dict(zip(args[::2], args[1::2]))
    assert pairs["--server.fileWatcherType"] == "none"
    assert pairs["--server.runOnSave"] == "false"
    assert pairs["--client.showErrorDetails"] == "none"
    assert pairs["--server.port"] == "8601"


def test_a_replica_is_ui_serve_in_production_on_its_own_port():
    cmd = serve.command(8602)
    assert cmd[1:5] == ["-m", "ui.serve", "--production", "--server.port"] and "8602" in cmd
    assert cmd[cmd.index("--server.address") + 1] == "127.0.0.1"


def test_make_run_polls_the_apps_own_files_instead_of_watching_the_checkout():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["fileWatcherType"] == "poll"


def test_make_serve_runs_the_stack_with_one_replica_per_core():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^serve:.*\$\(NGINX\)", makefile, re.M)
    assert "-m deploy.stack --port $(SERVE_PORT) --replicas $(REPLICAS)" in makefile
    assert "REPLICAS   ?= $(shell nproc)" in makefile


@needs_nginx
def test_the_rendered_configuration_passes_nginx_t(rendered):
    check = nginx_t(rendered)
    assert check.returncode == 0, check.stderr


@needs_nginx
def test_the_container_variant_passes_nginx_t(tmp_path):
    # As the compose file renders it (logs to the container's output, Secure cookie, Docker's DNS),
    # minus `resolve`, which Debian's nginx 1.22 does not know; `localhost` stands in for the
    # service name, which only Docker's DNS resolves.
    conf = render.render(render.Settings(upstreams=["localhost:8501"], out=tmp_path / "conf", listen="8080",
                                         access_log="/dev/stdout", error_log="/dev/stderr", secure_cookie=True,
                                         resolver="127.0.0.11"))
    text = conf.read_text(encoding="utf-8")
    assert "SameSite=Lax; Secure" in text and "resolver 127.0.0.11" in text
    check = nginx_t(conf)
    assert check.returncode == 0, check.stderr


def test_every_page_of_app_py_is_proxied_and_only_those(rendered):
    default, others = render.app_pages()
    assert default == "progress" and set(others) == {"map", "phases", "safeguards", "data"}
    text = rendered.read_text(encoding="utf-8")
    assert "location ~ ^/(map|phases|safeguards|data)/?$" in text
    assert "location ~ ^/progress/?$ {\n            return 301 /$is_args$args;" in text
    assert re.search(r"location / \{\s*return 404;", text)


def test_sessions_stick_by_a_cookie_nginx_sets_not_by_ip_address(rendered):
    text = rendered.read_text(encoding="utf-8")
    assert "hash $hkcctv_route consistent;" in text and not re.search(r"^\s*ip_hash", text, re.M)
    assert "server 127.0.0.1:8601" in text and "server 127.0.0.1:8602" in text
    proxy = (rendered.parent / "proxy.conf").read_text(encoding="utf-8")
    assert "add_header Set-Cookie $hkcctv_set_cookie always;" in proxy
    assert "proxy_set_header Upgrade $http_upgrade;" in proxy


def test_the_access_log_has_no_reader_addresses(rendered):
    fmt = re.search(r"log_format hkcctv (.*?);", rendered.read_text(encoding="utf-8"), re.S).group(1)
    assert "remote_addr" not in fmt and "forwarded_for" not in fmt


def test_rendering_refuses_a_placeholder_left_unfilled():
    with pytest.raises(KeyError, match="LISTEN"):
        render.fill("listen {{LISTEN}};", {})


def test_the_404_page_links_home_and_every_page_in_both_languages(rendered):
    page = (rendered.parent / "errors" / "404.html").read_text(encoding="utf-8")
    assert '<a href="/">' in page and '<a href="/?lang=zh-Hant">' in page
    for lang in LANGS:
        assert html.escape(t("serve.not_found.heading", lang)) in page
        for name in ("map", "phases", "safeguards", "data"):
            assert html.escape(t(f"nav.{name}", lang)) in page
    assert "/edition/" not in page  # no edition built: no link to it


def test_the_error_pages_link_the_edition_once_it_is_built(tmp_path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<h1>edition</h1>", encoding="utf-8")
    conf = render.render(render.Settings(upstreams=["127.0.0.1:8601"], out=tmp_path / "conf", edition_root=site))
    assert '<a href="/edition/">' in (conf.parent / "errors" / "404.html").read_text(encoding="utf-8")
    assert f"alias {site.resolve()}/;" in conf.read_text(encoding="utf-8")


def test_streamlits_bundles_are_compressed_ahead_of_time(tmp_path):
    source = tmp_path / "streamlit-static"
    (source / "static" / "js").mkdir(parents=True)
    (source / "static" / "media").mkdir()
    script = b"console.log('hello');\n" * 200
    (source / "static" / "js" / "index.abc123.js").write_bytes(script)
    (source / "static" / "media" / "font.abc123.woff2").write_bytes(b"\x00\x01")
    out = render.precompress_static(tmp_path / "copy", source)
    assert gzip.decompress((out / "static" / "js" / "index.abc123.js.gz").read_bytes()) == script
    assert not (out / "static" / "media" / "font.abc123.woff2.gz").exists()  # already compact
    shutil.rmtree(source)
    assert render.precompress_static(tmp_path / "copy", source) == out  # reused: the source is not read again


def test_the_container_files_render_the_same_template_with_options_the_renderer_takes(tmp_path):
    # The Dockerfile's render step, run here with local paths: without --resolve (see above) and
    # without the static copy (compressing Streamlit's 23 MB of bundles is the image build's job).
    import shlex

    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    args = shlex.split(re.search(r"python -m deploy\.render (.*?)\n\n", dockerfile, re.S).group(1).replace("\\\n", " "))
    values = {"$UPSTREAM": "localhost:8501", "$RESOLVER": "127.0.0.11", "${SECURE_COOKIE:+--secure-cookie}": "--secure-cookie"}
    args = [values.get(a, a) for a in args]
    i = args.index("--static-root")
    args = [a for a in args[:i] + args[i + 2:] if a != "--resolve"]
    args = [str(tmp_path / a.lstrip("/")) if a.startswith(("/etc/hkcctv", "/srv/hkcctv", "/tmp")) else a for a in args]
    assert render.main(args) == 0
    conf = tmp_path / "etc" / "hkcctv" / "nginx.conf"
    assert "SameSite=Lax; Secure" in conf.read_text(encoding="utf-8")
    if Path(NGINX).exists():
        check = nginx_t(conf)
        assert check.returncode == 0, check.stderr


def test_compose_and_kubernetes_run_ui_serve_in_production_with_a_shared_cookie_secret():
    import yaml

    compose = yaml.safe_load((ROOT / "deploy" / "compose" / "compose.yaml").read_text(encoding="utf-8"))
    assert compose["services"]["app"]["build"]["target"] == "app"
    assert "STREAMLIT_SERVER_COOKIE_SECRET" in compose["services"]["app"]["environment"]
    assert compose["services"]["nginx"]["depends_on"]["app"]["condition"] == "service_healthy"
    docs = [d for f in ("app.yaml", "nginx.yaml") for d in yaml.safe_load_all((ROOT / "deploy" / "k8s" / f).read_text(encoding="utf-8"))]
    app = next(d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == "hkcctv-app")
    container = app["spec"]["template"]["spec"]["containers"][0]
    assert container["args"][:4] == ["python", "-m", "ui.serve", "--production"]
    assert container["envFrom"][0]["secretRef"]["name"] == "hkcctv-cookie-secret"
    service = next(d for d in docs if d["kind"] == "Service" and d["metadata"]["name"] == "hkcctv-app")
    assert service["spec"]["clusterIP"] == "None"  # headless: nginx resolves every replica
    kustomization = yaml.safe_load((ROOT / "deploy" / "k8s" / "kustomization.yaml").read_text(encoding="utf-8"))
    assert set(kustomization["resources"]) == {"namespace.yaml", "app.yaml", "nginx.yaml"}
    assert "--production" in (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")


def test_uploads_stay_in_memory_instead_of_a_temporary_file(monkeypatch):
    import starlette.formparsers as fp

    assert isinstance(fp.MultiPartParser.spool_max_size, int)  # the setting ui/serve.py raises
    monkeypatch.setattr(fp.MultiPartParser, "spool_max_size", fp.MultiPartParser.spool_max_size)
    serve.keep_uploads_in_memory()
    limit_mb = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))["server"]["maxUploadSize"]
    assert fp.MultiPartParser.spool_max_size > (limit_mb + 1) * 1024 * 1024  # a whole upload, with its form framing
