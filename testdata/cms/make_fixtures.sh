#!/bin/sh
# make_fixtures.sh OUTDIR - generate CMS/X.509 test inputs with the openssl CLI.
# Run at test time (tests/check_cms.c, tests/check_x509.c) into a temporary
# directory: keys never enter the repository.  Outputs:
#   rsa.der ec256.der ec384.der ca.der leaf.der  certificates (DER)
#   content.bin                                  the signed bytes
#   det_rsa.cms   detached, RSA-2048 SHA-256, signed attributes
#   att_ec256.cms attached,  P-256 SHA-256
#   att_ec384.cms attached,  P-384 SHA-384
#   noattr.cms    detached, RSA, no signed attributes
#   two.cms       detached, two signers (RSA and P-256)
#   chain.cms     detached, leaf signed by ca.der, both certificates included
#   sha1.cms      detached, RSA, SHA-1
set -e
out=$1
[ -n "$out" ] || { echo "usage: $0 OUTDIR" >&2; exit 2; }
mkdir -p "$out"
cd "$out"
subj='/CN=csig test/OU=TEAMID1234/O=libcsig/C=US/0.9.2342.19200300.100.1.1=TEAMID1234'
openssl req -x509 -newkey rsa:2048 -nodes -keyout rsa.key -out rsa.pem -days 3650 \
	-subj "$subj" -sha256 -addext 'extendedKeyUsage=codeSigning' \
	-addext 'certificatePolicies=1.2.840.113635.100.5.1' \
	-addext '1.2.840.113635.100.6.1.13=critical,DER:0500' 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ec256.key \
	-out ec256.pem -days 3650 -subj '/CN=csig ec256' -sha256 2>/dev/null
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -keyout ec384.key \
	-out ec384.pem -days 3650 -subj '/CN=csig ec384' -sha384 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 \
	-subj '/CN=csig test CA/O=libcsig' -addext 'basicConstraints=critical,CA:TRUE' 2>/dev/null
openssl req -newkey rsa:2048 -nodes -keyout leaf.key -out leaf.csr -subj '/CN=csig leaf/OU=LEAFTEAM' 2>/dev/null
openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out leaf.pem -days 3650 -sha256 2>/dev/null
for c in rsa ec256 ec384 ca leaf; do openssl x509 -in $c.pem -outform DER -out $c.der; done
printf 'the signed content of libcsig CMS tests\n' > content.bin
openssl cms -sign -binary -in content.bin -signer rsa.pem -inkey rsa.key -md sha256 -outform DER -out det_rsa.cms
openssl cms -sign -binary -nodetach -in content.bin -signer ec256.pem -inkey ec256.key -md sha256 -outform DER -out att_ec256.cms
openssl cms -sign -binary -nodetach -in content.bin -signer ec384.pem -inkey ec384.key -md sha384 -outform DER -out att_ec384.cms
openssl cms -sign -binary -noattr -in content.bin -signer rsa.pem -inkey rsa.key -md sha256 -outform DER -out noattr.cms
openssl cms -sign -binary -in content.bin -signer rsa.pem -inkey rsa.key -signer ec256.pem -inkey ec256.key -md sha256 -outform DER -out two.cms
openssl cms -sign -binary -in content.bin -signer leaf.pem -inkey leaf.key -certfile ca.pem -md sha256 -outform DER -out chain.cms
openssl cms -sign -binary -in content.bin -signer rsa.pem -inkey rsa.key -md sha1 -outform DER -out sha1.cms
rm -f ./*.key ./*.csr ./*.srl
