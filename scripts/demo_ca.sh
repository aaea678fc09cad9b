#!/bin/sh
# Local test PKI for the HTTPS/LLM demo and tests, made with the openssl CLI.
#
# Usage: scripts/demo_ca.sh OUTDIR [HOSTNAME]   (HOSTNAME default: demo.local)
#        KEYTYPE=rsa scripts/demo_ca.sh ...       (RSA-2048 server keys; default EC P-256)
#
# Writes into OUTDIR (PEM):
#   ca.pem ca.key                  the demo CA (trust this one: make CA_EXTRA=OUTDIR/ca.pem)
#   server.pem server.key          leaf for HOSTNAME, SAN DNS:HOSTNAME IP:10.0.2.2 IP:127.0.0.1
#   wronghost.pem wronghost.key    leaf from the same CA for DNS:wrong.invalid only
#   expired.pem expired.key        leaf for the right names, valid 2020-01-01..2021-01-01
#   rogue-ca.pem untrusted.pem untrusted.key   leaf for the right names from another CA
#   client.pem client.key          client certificate (EC P-256, EKU clientAuth) from
#                                  the CA, for mTLS: make CLIENT_CERT=... CLIENT_KEY=...
# Idempotent: an existing OUTDIR/ca.pem is kept (delete OUTDIR to start over).
set -eu
OUT=${1:?usage: demo_ca.sh OUTDIR [HOSTNAME]}
HOST=${2:-demo.local}
KEYTYPE=${KEYTYPE:-ec}
mkdir -p "$OUT"
cd "$OUT"
[ -f ca.pem ] && [ -f server.pem ] && [ -f untrusted.pem ] && [ -f expired.pem ] && \
    [ -f client.pem ] && exit 0

newkey() { # newkey FILE
    if [ "$KEYTYPE" = rsa ]; then
        openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$1" 2>/dev/null
    else
        openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1"
    fi
}

mkca() { # mkca NAME CN
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key"
    openssl req -new -x509 -key "$1.key" -out "$1.pem" -days 3650 -sha256 \
        -subj "/O=OS Demo/CN=$2" \
        -addext "basicConstraints=critical,CA:TRUE" \
        -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -addext "subjectKeyIdentifier=hash"
}

cat > leaf.ext <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
subjectAltName=@alt
[alt]
DNS.1=$HOST
IP.1=10.0.2.2
IP.2=127.0.0.1
EXT
sed -e "s/^DNS.1=.*/DNS.1=wrong.invalid/" -e "/^IP\./d" leaf.ext > wrong.ext
cat > client.ext <<EXT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EXT

mkleaf() { # mkleaf NAME CA EXTFILE CN
    newkey "$1.key"
    openssl req -new -key "$1.key" -out "$1.csr" -subj "/O=OS Demo/CN=$4"
    openssl x509 -req -in "$1.csr" -CA "$2.pem" -CAkey "$2.key" -CAcreateserial \
        -out "$1.pem" -days 825 -sha256 -extfile "$3" 2>/dev/null
    rm -f "$1.csr"
}

mkca ca "OS Demo Test CA"
mkca rogue-ca "OS Demo Rogue CA"
mkleaf server ca leaf.ext "$HOST"
mkleaf wronghost ca wrong.ext wrong.invalid
mkleaf untrusted rogue-ca leaf.ext "$HOST"
kt=$KEYTYPE; KEYTYPE=ec; mkleaf client ca client.ext "os-demo-kernel-client"; KEYTYPE=$kt

# expired: `openssl ca` is the CLI path that takes explicit dates
newkey expired.key
openssl req -new -key expired.key -out expired.csr -subj "/O=OS Demo/CN=$HOST"
mkdir -p ca.db
: > ca.db/index.txt
echo 1000 > ca.db/serial
cat > ca.cnf <<CNF
[ca]
default_ca = demo
[demo]
dir = ca.db
database = ca.db/index.txt
serial = ca.db/serial
new_certs_dir = ca.db
certificate = ca.pem
private_key = ca.key
default_md = sha256
policy = any
copy_extensions = none
unique_subject = no
[any]
organizationName = optional
commonName = supplied
CNF
openssl ca -batch -config ca.cnf -notext -startdate 20200101000000Z -enddate 20210101000000Z \
    -extfile leaf.ext -in expired.csr -out expired.pem 2>/dev/null
rm -rf expired.csr ca.db ca.cnf ca.srl rogue-ca.srl wrong.ext leaf.ext client.ext
echo "demo_ca: wrote $OUT (host $HOST, $KEYTYPE keys)"
