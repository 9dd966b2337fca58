#!/bin/sh
# Generates a self-signed certificate for the Zimbra test server:
#   make-test-cert.sh DIR   ->  DIR/test-server.crt, DIR/test-server.key
# CN=localhost, subjectAltName IP:127.0.0.1 and DNS:localhost, so a client that verifies the
# peer with this certificate as its only CA accepts https://127.0.0.1:PORT and https://localhost.
set -eu
dir=${1:?usage: make-test-cert.sh OUTPUT_DIR}
mkdir -p "$dir"
openssl req -x509 -newkey rsa:2048 -nodes -sha256 -days 3650 \
  -subj "/CN=localhost" \
  -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
  -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,digitalSignature,keyEncipherment,keyCertSign" \
  -addext "extendedKeyUsage=serverAuth" \
  -keyout "$dir/test-server.key" -out "$dir/test-server.crt" 2>/dev/null
chmod 600 "$dir/test-server.key"
echo "$dir/test-server.crt"
