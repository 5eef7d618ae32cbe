#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs the Debian packages in mk/debian-packages that are missing.
set -eu
list="$(dirname "$0")/debian-packages"
missing=""
for p in $(sed -e 's/#.*//' "$list"); do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done
if [ -z "$missing" ]; then
    echo "deps: all $(sed -e 's/#.*//' "$list" | grep -c .) packages present"
    exit 0
fi
echo "deps: installing$missing"
if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# shellcheck disable=SC2086
$sudo apt-get install -y -qq --no-install-recommends $missing
