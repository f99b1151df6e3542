#!/usr/bin/env bash
# System packages the test suite needs (Debian), installed with apt-get when missing, and
# whatever of them must be running. CI's .ci/run calls this before scripts/test.sh; a developer
# can run it once as root (`sudo bash scripts/ci-system-deps.sh`). A test that needs a missing
# one fails with a message naming the package; nothing here configures a service for production.
#
# To add a component: append its Debian packages to a list below (with the part that needs it)
# and, if it must run during the tests, a start step at the end.
set -euo pipefail

# --- Mail gateway (issue 11): the tests run a private Postfix instance of their own on loopback
# (dlp/gateways/mail/lab.py), so the system instance is installed but not started.
MAIL_PACKAGES=(postfix)
# --- OCR (issue 15): fonts-noto-cjk draws the test scans and ID photos (tests/ocr_images.py);
# tesseract-ocr + chi_tra is the optional OCR engine (ocr.engine: tesseract).
OCR_PACKAGES=(fonts-noto-cjk tesseract-ocr tesseract-ocr-chi-tra)
# --- Deployment files (issue 17): systemd-analyze verifies the units in deploy/systemd/.
DEPLOY_PACKAGES=(systemd)
# --- Incident store and console (issue 16): the store tests run against a real PostgreSQL as
# well as SQLite (started below); the browser tests drive Debian's Chromium with playwright;
# the CJK font above renders the Traditional Chinese UI in the screenshot.
CONSOLE_PACKAGES=(postgresql chromium)

PACKAGES=("${MAIL_PACKAGES[@]}" "${OCR_PACKAGES[@]}" "${DEPLOY_PACKAGES[@]}" "${CONSOLE_PACKAGES[@]}")

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

missing=()
for pkg in "${PACKAGES[@]}"; do
  installed "$pkg" || missing+=("$pkg")
done

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "ci-system-deps: missing ${missing[*]}; run this script as root (apt-get install)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  # Postfix asks how it is used; "Local only" installs without network configuration.
  if printf '%s\n' "${missing[@]}" | grep -qx postfix; then
    echo "postfix postfix/main_mailer_type select Local only" | debconf-set-selections
    echo "postfix postfix/mailname string dlp-ci.localdomain" | debconf-set-selections
  fi
  echo "ci-system-deps: installing ${missing[*]}"
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

for pkg in "${PACKAGES[@]}"; do
  installed "$pkg" || { echo "ci-system-deps: $pkg did not install" >&2; exit 1; }
done
# -- PostgreSQL for the store tests (issue 16): no systemd here, so pg_ctlcluster starts the
# cluster as the postgres user; a login role that may create the per-test databases.
start_postgresql() {
  local version
  if [ -z "$(pg_lsclusters -h 2>/dev/null)" ]; then
    version="$(ls /usr/lib/postgresql | sort -V | tail -n 1)"
    pg_createcluster "$version" main >/dev/null
  fi
  local ver name port status
  read -r ver name port status _ < <(pg_lsclusters -h | head -n 1)
  if [ "$status" != "online" ]; then
    pg_ctlcluster "$ver" "$name" start
  fi
  local psql=(runuser -u postgres -- psql -p "$port" -v ON_ERROR_STOP=1 -qtA)
  if [ "$("${psql[@]}" -c "SELECT 1 FROM pg_roles WHERE rolname = 'dlp_test'")" != "1" ]; then
    "${psql[@]}" -c "CREATE ROLE dlp_test LOGIN CREATEDB PASSWORD 'dlp_test'"
  fi
  echo "ci-system-deps: postgresql $ver/$name online on port $port (role dlp_test)"
  echo "postgresql://dlp_test:dlp_test@127.0.0.1:$port/postgres" > "${DLP_PG_URL_FILE:-/tmp/dlp-test-postgres.url}"
}
if [ "$(id -u)" -eq 0 ]; then
  start_postgresql
fi

echo "ci-system-deps: ok (${PACKAGES[*]})"
