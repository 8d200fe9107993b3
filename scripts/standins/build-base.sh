#!/usr/bin/env bash
# Shapes the debootstrapped rootfs mounted at $1 into the base of every stand-in: the host's TLS
# bundle beside Debian's, apt sources, no recommends, and what official images share.
set -euo pipefail
root="$1"
install -D -m 0644 "$EB2ECS_CA" "$root/etc/ssl/certs/eb2ecs-host-ca.crt"
printf 'deb %s %s main\ndeb %s %s-updates main\n' "$MIRROR" "$SUITE" "$MIRROR" "$SUITE" >"$root/etc/apt/sources.list"
printf 'APT::Install-Recommends "false";\nAPT::Install-Suggests "false";\n' >"$root/etc/apt/apt.conf.d/90eb2ecs"
# Official images clean apt lists; Dockerfiles run apt-get update first anyway.
rm -rf "$root/var/lib/apt/lists/"* "$root/var/cache/apt/archives/"*.deb
# As the official debian images: no package caches kept in image layers.
cat >"$root/etc/apt/apt.conf.d/docker-clean" <<'CONF'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
CONF
