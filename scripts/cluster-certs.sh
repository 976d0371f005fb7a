#!/usr/bin/env bash
# Certificates for the mutual TLS of a cluster (silo-config/README.md, "Certificates"): a private CA and, issued by
# it, one certificate for the silos and one for the front ends, as PEM files in DIR (default .cluster-certs in the
# repository; git ignores it). Run it again and it keeps what exists: only missing files are made. Never commit them.
#
#   scripts/cluster-certs.sh [DIR]
#
#   ca.crt / ca.key               the cluster CA; every process trusts ca.crt alone. ca.key stays here: it signs
#                                 new certificates and is mounted nowhere.
#   silo.crt / silo.key           for silos: server and client authentication (silo to silo, gateway)
#   frontend.crt / frontend.key   for front ends: client authentication only, so it cannot act as a silo
#
# Environment: CLUSTER_CERTS_SILO_NAMES (the silos' DNS names in the certificate, default silo1,silo2,silo3 as in
# docker-compose.yml; peers check the CA and the role, not the name, so this is for people and tools).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-$repo/.cluster-certs}
silo_names=${CLUSTER_CERTS_SILO_NAMES:-silo1,silo2,silo3}

fail() { echo "cluster-certs: $*" >&2; exit 1; }
command -v openssl >/dev/null || fail "openssl is not installed"

# Only the owner may enter the folder. Inside it the node keys are readable by anyone who gets that far, because
# docker compose mounts them into containers whose user is not the owner; the CA key is the owner's alone.
mkdir -p "$dir"
chmod 700 "$dir"
umask 077

ec_key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

if [ ! -f "$dir/ca.crt" ]; then
  [ ! -f "$dir/silo.crt" ] && [ ! -f "$dir/frontend.crt" ] \
    || fail "$dir has node certificates but no ca.crt: remove them or restore the CA"
  ec_key "$dir/ca.key"
  openssl req -x509 -new -key "$dir/ca.key" -sha256 -days 3650 -out "$dir/ca.crt" \
    -subj "/CN=OrleansCqrs cluster CA $(hostname) $(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
    -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null \
    || fail "could not make the CA"
  echo "Made the cluster CA: $dir/ca.crt"
fi
[ -f "$dir/ca.key" ] || fail "$dir/ca.key is missing: new certificates need the CA's key"

issue() { # name, common name, extended key usage, subject alternative names
  local name=$1
  [ -f "$dir/$name.crt" ] && [ -f "$dir/$name.key" ] && return
  ec_key "$dir/$name.key"
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=%s\nsubjectAltName=%s\n' "$3" "$4" >"$dir/$name.ext"
  openssl req -new -key "$dir/$name.key" -subj "/CN=$2" -out "$dir/$name.csr" 2>/dev/null
  openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -set_serial "0x$(openssl rand -hex 16)" \
    -sha256 -days 825 -extfile "$dir/$name.ext" -out "$dir/$name.crt" 2>/dev/null \
    || fail "could not issue $name.crt"
  rm -f "$dir/$name.csr" "$dir/$name.ext"
  chmod 644 "$dir/$name.key" "$dir/$name.crt"
  echo "Issued $dir/$name.crt"
}

silo_dns=$(echo "$silo_names" | tr ',' '\n' | sed '/^$/d; s/^/DNS:/' | paste -sd, -)
issue silo orleanscqrs-silo "serverAuth,clientAuth" "${silo_dns:+$silo_dns,}DNS:localhost,IP:127.0.0.1"
issue frontend orleanscqrs-frontend "clientAuth" "DNS:frontend,DNS:localhost,IP:127.0.0.1"
chmod 644 "$dir/ca.crt"
