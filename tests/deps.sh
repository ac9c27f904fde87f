#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install what building and testing oomhook needs on Debian 12: compilers,
# the stock kernel image and headers to build against and boot, QEMU,
# busybox for the guests, sparse, linux-source for checkpatch.pl, and
# debootstrap, debhelper and dh-dkms for the package tests, e2fsprogs and
# gnuplot for the benchmark.
# Installs only what is missing.  Never loads anything.
set -euo pipefail

pkgs=(
	gcc make libc6-dev kmod cpio gzip xz-utils bc flex bison libelf-dev
	dwarves qemu-system-x86 linux-image-amd64 linux-headers-amd64
	busybox-static sparse linux-source-6.1
	debootstrap debhelper dh-dkms dpkg-dev e2fsprogs gnuplot-nox
)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=
[ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "installing: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
