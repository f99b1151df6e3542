#!/usr/bin/env bash
# System packages the test suite needs (Debian), installed with apt-get when missing, and
# whatever of them must be running. CI's .ci/run calls this before scripts/test.sh; a developer
# can run it once as root. Nothing here configures a system service for production use.
#
# To add a component: append "debian-package:command-that-proves-it-is-there" to PACKAGES and,
# if it must run during the tests, a start step at the end.
set -euo pipefail

PACKAGES=(
  # Mail gateway tests (issue 11) run a private Postfix instance of their own on loopback
  # (tests start and stop it; see dlp/gateways/mail/lab.py), so the system instance is
  # installed but not started. The console's release backend test (issue 16) does the same.
  "postfix:/usr/sbin/postfix"
  # Incident store tests (issue 16) run against a real PostgreSQL as well as SQLite.
  "postgresql:/usr/bin/pg_ctlcluster"
  # Console browser tests (issue 16): Debian's Chromium driven by playwright, a CJK font so
  # the Traditional Chinese UI renders in the screenshot.
  "chromium:/usr/bin/chromium"
  "fonts-noto-cjk:/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
)

missing=()
for entry in "${PACKAGES[@]}"; do
  pkg="${entry%%:*}"
  probe="${entry#*:}"
  if [ ! -e "$probe" ]; then
    missing+=("$pkg")
  fi
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
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

for entry in "${PACKAGES[@]}"; do
  probe="${entry#*:}"
  [ -e "$probe" ] || { echo "ci-system-deps: ${entry%%:*} did not install ($probe missing)" >&2; exit 1; }
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

echo "ci-system-deps: ok (${PACKAGES[*]%%:*})"
