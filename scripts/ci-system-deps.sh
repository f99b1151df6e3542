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

PACKAGES=("${MAIL_PACKAGES[@]}" "${OCR_PACKAGES[@]}" "${DEPLOY_PACKAGES[@]}")

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
echo "ci-system-deps: ok (${PACKAGES[*]})"
