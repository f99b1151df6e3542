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
  # installed but not started.
  "postfix:/usr/sbin/postfix"
)

missing=()
for entry in "${PACKAGES[@]}"; do
  pkg="${entry%%:*}"
  probe="${entry#*:}"
  if [ ! -x "$probe" ]; then
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
  [ -x "$probe" ] || { echo "ci-system-deps: ${entry%%:*} did not install ($probe missing)" >&2; exit 1; }
done
echo "ci-system-deps: ok (${PACKAGES[*]%%:*})"
