#!/usr/bin/env bash
# Installs the Debian 12 packages mapi2zimbra needs to build, test and run. Idempotent: packages
# already present are not touched, and nothing is asked (works without a TTY, e.g. in CI).
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libpff-dev libbfio-dev pff-tools pst-utils  # PST/OST reading; pffexport/readpst are test oracles
  libolecf-dev python3-olefile            # .msg reading; olefile is the oracle of the .msg tests
  libical-dev                             # iCalendar
  libxerces-c-dev                         # XML + XSD validation
  libcurl4-openssl-dev libssl-dev openssl ca-certificates  # HTTPS
  libicu-dev tzdata                       # time zones (incl. Windows ids), charsets
  libsqlite3-dev libpq-dev postgresql     # state stores; tests start a private PostgreSQL on loopback
  nlohmann-json3-dev                      # JSON for pstgen descriptions and status output
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev                # libFuzzer targets (tools/fuzz.sh)
  python3 python3-lxml                    # the Zimbra SOAP test server and end-to-end tests
  procps time curl                        # ps/pkill, /usr/bin/time for peak RSS, curl for the demo
  chromium                                # headless browser: the e2e test renders the user report
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} Debian packages already installed"
  exit 0
fi

as_root=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    as_root=(sudo)
  else
    echo "setup: need root (or sudo) to install: ${missing[*]}" >&2
    exit 1
  fi
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update -qq
"${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "setup: done"
