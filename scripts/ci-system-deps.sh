#!/usr/bin/env bash
# Debian packages the test suite needs, installed only when missing (called by .ci/run; safe to
# run by hand: `sudo bash scripts/ci-system-deps.sh`). Each list says which part of the project
# needs it; a test that needs a missing one fails with a message naming the package.
set -euo pipefail

# --- OCR (dlp/ocr, issue 15) -----------------------------------------------------------------
# fonts-noto-cjk: the CJK font tests/ocr_images.py draws scanned pages and ID photos with.
# tesseract-ocr, tesseract-ocr-chi-tra: the optional OCR engine (ocr.engine: tesseract).
OCR_PACKAGES=(fonts-noto-cjk tesseract-ocr tesseract-ocr-chi-tra)

PACKAGES=("${OCR_PACKAGES[@]}")

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
if [ "${#missing[@]}" -eq 0 ]; then
  exit 0
fi
echo "Installing system packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO=sudo; else
    echo "ci-system-deps: need root (or sudo) to install: ${missing[*]}" >&2; exit 1
  fi
fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
