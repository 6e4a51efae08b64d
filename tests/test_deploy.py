"""The files of ``deploy/`` are what the guide says and what the tools accept: nginx parses the
site once its placeholders are filled, systemd accepts the units, the proxy's upload limit
follows the app's, and the guide names every file and the ports the units use.

The running setup (two app servers behind this nginx configuration) is tested in Chromium in
``tests/browser/test_proxy_browser.py``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
GUIDE = (DEPLOY / "README.md").read_text()


def nginx() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists()
                                      else None)
    if found is None:
        pytest.skip("nginx is not installed (scripts/setup --test installs nginx-light)")
    return found


def self_signed(folder: Path) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed")
    cert, key = folder / "chain.pem", folder / "site.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=quality-offer.example", "-keyout", str(key), "-out",
                    str(cert)], check=True, capture_output=True)
    return cert, key


def test_the_site_passes_nginx_t_once_its_placeholders_are_filled(tmp_path):
    binary = nginx()
    cert, key = self_signed(tmp_path)
    site = (DEPLOY / "nginx" / "quality-offer.conf").read_text()
    filled = (site
              .replace("<quality-offer.your-council.gov.uk>", "quality-offer.example")
              .replace("/etc/ssl/certs/<quality-offer-chain>.pem", str(cert))
              .replace("/etc/ssl/private/<quality-offer>.key", str(key))
              .replace("/etc/nginx/snippets/", f"{DEPLOY / 'nginx'}/")
              .replace("/var/log/nginx/", f"{tmp_path}/"))
    assert "<" not in re.sub(r"#.*", "", filled), "a placeholder the guide does not cover"
    (tmp_path / "site.conf").write_text(filled)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid;\nevents {{}}\nhttp {{\n"
        f"    client_body_temp_path {tmp_path}/body;\n    proxy_temp_path {tmp_path}/proxy;\n"
        f"    include {tmp_path}/site.conf;\n}}\n")
    done = subprocess.run([binary, "-t", "-p", str(tmp_path), "-e", str(tmp_path / "err.log"),
                           "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "syntax is ok" in done.stderr


def megabytes(size: str) -> float:
    number, unit = re.fullmatch(r"(\d+)([kKmM]?)", size).groups()  # type: ignore[union-attr]
    return int(number) / {"k": 1024, "m": 1, "": 1024 * 1024}[unit.lower()]


def test_the_proxy_lets_through_every_upload_the_app_accepts_and_little_more():
    app = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    app_mb = app["server"]["maxUploadSize"]
    locations = (DEPLOY / "nginx" / "quality-offer-locations.conf").read_text()
    proxy_mb = megabytes(re.search(r"^client_max_body_size (\S+);", locations, re.M).group(1))
    assert app_mb < proxy_mb <= app_mb + 1


def test_the_units_pass_systemd_analyze_verify(tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    if not (ROOT / ".venv" / "bin" / "streamlit").exists():
        pytest.skip("no .venv with streamlit in the checkout (scripts/setup makes it)")
    units = []
    for unit in (DEPLOY / "systemd").iterdir():
        text = unit.read_text().replace("/opt/quality-offer", str(ROOT))
        name = unit.name.replace("@.", "@8501.")
        (tmp_path / name).write_text(text)
        units.append(str(tmp_path / name))
    done = subprocess.run(["systemd-analyze", "verify", *units], capture_output=True,
                          text=True, cwd=tmp_path)
    assert done.returncode == 0 and not done.stdout.strip() and not done.stderr.strip(), \
        done.stdout + done.stderr


UPSTREAM = DEPLOY / "nginx" / "quality-offer-upstream.conf"


def upstream_groups() -> dict[str, list[str]]:
    """Each upstream group of the shipped file: its server lines, in order."""
    text = re.sub(r"#.*", "", UPSTREAM.read_text())
    return {name: [line.strip() for line in body.strip().splitlines() if line.strip()]
            for name, body in re.findall(r"^upstream (\S+) \{(.*?)^\}", text, re.M | re.S)}


def app_servers() -> list[str]:
    """The app servers' ports, as the group for new browsers lists them."""
    return [re.match(r"server 127\.0\.0\.1:(\d+) ", line).group(1)  # type: ignore[union-attr]
            for line in upstream_groups()["quality_offer"]]


def map_entries(variable: str) -> dict[str, str]:
    """The entries of the ``map`` that sets ``variable``: key -> value."""
    text = re.sub(r"#.*", "", UPSTREAM.read_text())
    body = re.search(r"^map \S+ " + re.escape(variable) + r" \{(.*?)^\}", text, re.M | re.S)
    assert body, f"no map sets {variable}"
    return dict(line.strip().rstrip(";").split(None, 1) for line in body.group(1).splitlines()
                if line.strip())


def test_every_app_server_has_its_group_its_cookie_and_the_others_as_backup():
    """Adding a server (quality-offer@8503) takes a line in four places of the upstream file;
    one forgotten sends its browsers nowhere, or never back to the server that holds their
    session."""
    ports = app_servers()
    groups = upstream_groups()
    assert set(groups) == {"quality_offer", *(f"quality_offer_{p}" for p in ports)}
    for port in ports:
        assert groups[f"quality_offer_{port}"] == [
            f"server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;",
            *(f"server 127.0.0.1:{other} backup;" for other in ports if other != port)]
    assert map_entries("$qo_upstream") == {"default": "quality_offer",
                                           **{p: f"quality_offer_{p}" for p in ports}}
    assert map_entries("$qo_route") == {"default": "$cookie_qo_route",
                                        **{f"~:{p}$": p for p in ports}}
    locations = (DEPLOY / "nginx" / "quality-offer-locations.conf").read_text()
    assert re.findall(r"proxy_pass (\S+);", locations) == ["http://$qo_upstream"] * 2
    assert "qo_route=$qo_route;" in locations


def test_the_guide_names_every_file_and_the_ports_the_proxy_expects():
    for path in DEPLOY.rglob("*"):
        if path.is_file() and path.name != "README.md":
            assert path.name in GUIDE, f"{path.relative_to(DEPLOY)} is not in deploy/README.md"
    assert app_servers() == ["8501", "8502"]
    assert "systemctl enable --now quality-offer@8501 quality-offer@8502" in GUIDE
    unit = (DEPLOY / "systemd" / "quality-offer@.service").read_text()
    assert "--server.address 127.0.0.1 --server.port %i" in unit


def test_the_readme_lists_the_operations_commands():
    readme = (ROOT / "README.md").read_text()
    for command in ("quality-offer backup OUT", "quality-offer restore IN",
                    "quality-offer check"):
        assert command in readme
    assert "deploy/README.md" in readme


def test_the_guide_tables_every_cycle_setting_as_the_code_has_it():
    from quality_offer.cli import build_parser
    from quality_offer.compare.core import MIN_ASSESSED

    section = GUIDE.split("## 8. The authority's cycle", 1)[1].split("\n## ", 1)[0]
    table = [line for line in section.splitlines() if line.startswith("| ")]
    rows = {line.split("|")[1].strip(): line for line in table[1:]}  # after the header
    assert list(rows) == ["Academic year collected", "Closing date", "Audits counted",
                          "Share assessed to be scored", "Withdrawing a submitted audit"]
    cycle = next(a for a in build_parser()._subparsers._group_actions[0].choices.items()
                 if a[0] == "cycle")[1]
    options = {o for a in cycle._actions for o in a.option_strings if o.startswith("--")}
    assert options - {"--help"} == {"--year", "--closes", "--no-closing-date", "--database",
                                    "--user"}
    for option in ("--year", "--closes", "--no-closing-date", "--user"):
        assert option in section, option
    assert f"{MIN_ASSESSED:.0%}" in rows["Share assessed to be scored"]
    from quality_offer.ui.compare_page import collection, filters

    assert "Include drafts" in rows["Audits counted"]
    assert '"Include drafts' in Path(collection.__file__).read_text()  # the switch's label
    assert "on Compare" in rows["Share assessed to be scored"]
    assert '"Share assessed to be scored"' in Path(filters.__file__).read_text()
    assert "The authority's collection" in rows["Academic year collected"]
    assert "The authority's collection" in Path(collection.__file__).read_text()


def shell_lines(text: str) -> list[str]:
    """Every line of the ```sh blocks of a Markdown text."""
    blocks = re.findall(r"^```sh\n(.*?)^```", text, re.M | re.S)
    return [line for block in blocks for line in block.splitlines() if line.strip()]


#: Commands the guide runs that a minimal Debian 12 server lacks, and the package of each.
NOT_ON_A_MINIMAL_DEBIAN = {"curl": "curl", "git": "git", "nginx": "nginx",
                           "createuser": "postgresql", "createdb": "postgresql",
                           "psql": "postgresql", "python3": "python3"}


def test_the_guide_installs_every_package_its_commands_and_the_pdf_reports_need():
    """On a clean server, a command the guide runs but never installs fails there (curl was
    one), and a PDF report without its font fails at the first download."""
    installs = next(line for line in shell_lines(GUIDE) if line.startswith("apt-get install"))
    packages = set(installs.split()[3:])
    words = set(re.findall(r"[\w.-]+", "\n".join(shell_lines(GUIDE))))
    for command, package in NOT_ON_A_MINIMAL_DEBIAN.items():
        if command in words:
            assert package in packages, f"the guide runs {command} but never installs {package}"
    fonts = (ROOT / "quality_offer" / "reports" / "pdf" / "fonts.py").read_text()
    assert "/usr/share/fonts/truetype/dejavu" in fonts and "fonts-dejavu-core" in packages


def test_the_update_installs_the_units_again():
    """An update can change the units (a new step before the server starts): the guide's
    update copies every one of them and has systemd read them again before restarting."""
    section = GUIDE.split("## Updating", 1)[1].split("\n## ", 1)[0]
    lines = shell_lines(section)
    copy = next(line for line in lines if line.startswith("cp deploy/systemd/"))
    for unit in (DEPLOY / "systemd").iterdir():
        assert f"deploy/systemd/{unit.name}" in copy, unit.name
    assert lines.index("systemctl daemon-reload") < next(
        i for i, line in enumerate(lines) if line.startswith("systemctl restart"))


def test_the_guides_run_python3_as_debian_names_it():
    """Debian 12 has no ``python`` command (only ``python3``, or the venv's own)."""
    for doc in (ROOT / "README.md", DEPLOY / "README.md"):
        for line in doc.read_text().splitlines():
            assert not re.search(r"(^|[\s#'\"(])python (-c|-m)", line), f"{doc.name}: {line}"
