#!/usr/bin/env bash
# Set up and start the DLP service on http://127.0.0.1:8080 with the bundled packs.
# Creates .venv if missing and installs the project (editable) into it, but only when
# pyproject.toml or setup.py changed since the last install (code changes need no reinstall);
# makes a local scan key once (var/keys.json, stored hashed; the key itself is kept in
# var/local-scan.key for the curl examples) and prints it. Extra arguments go to `dlp serve`.
set -euo pipefail
cd "$(dirname "$0")/.."

PY="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
STAMP=.venv/.dlp-install-stamp
wanted="$(.venv/bin/python -c 'import hashlib, sys
h = hashlib.sha256(sys.version.encode())
for name in ("pyproject.toml", "setup.py"):
    h.update(open(name, "rb").read())
print(h.hexdigest())')"
if [ -x .venv/bin/dlp ] && [ "$(cat "$STAMP" 2>/dev/null)" = "$wanted" ] && .venv/bin/python -c 'import dlp' 2>/dev/null; then
  echo "dlp is installed in .venv and up to date (no reinstall)"
else
  echo "Installing dlp into .venv (first run, or pyproject.toml/setup.py changed)..."
  .venv/bin/python -m pip install --quiet --upgrade pip >/dev/null
  .venv/bin/python -m pip install --quiet -e '.[ocr]'
  echo "$wanted" > "$STAMP"
fi

mkdir -p var
chmod 700 var
if [ ! -s var/local-scan.key ]; then
  umask 077
  .venv/bin/python -m service keys add "local-$(date +%Y%m%d%H%M%S)" --scope scan --keys-file var/keys.json > var/local-scan.key
fi
KEY="$(cat var/local-scan.key)"
echo "Local scan key (also in var/local-scan.key):"
echo "  $KEY"
echo "Try:  curl -s -H \"Authorization: Bearer \$(cat var/local-scan.key)\" -H 'Content-Type: application/json' \\"
echo "        -d '{\"text\":\"身分證字號 D104553971\",\"recipients\":[\"someone@gmail.com\"]}' http://127.0.0.1:8080/v1/scan"
unset DLP_PATTERNS_DIR  # the bundled packs

# -- security console (issue 16): incidents in var/incidents.sqlite3, console at /console/ ------
export DLP_CONSOLE=1
if [ ! -s var/console-first-login.txt ]; then
  (umask 077; .venv/bin/dlp users --audit-log var/audit.jsonl first-login > var/console-first-login.txt)
fi
cat var/console-first-login.txt
echo "Console:  http://127.0.0.1:8080/console/  (first login above, also in var/console-first-login.txt)"
# -- end of console lines ------------------------------------------------------------------------

exec .venv/bin/dlp serve --host 127.0.0.1 --port 8080 --keys-file var/keys.json --audit-log var/audit.jsonl "$@"
