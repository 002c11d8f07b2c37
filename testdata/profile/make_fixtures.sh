#!/bin/sh
# make_fixtures.sh OUTDIR [CREATED EXPIRES] - generate provisioning-profile
# test inputs with the openssl CLI.  Run at test time by tests/check_profile.c
# into a mkdtemp directory (keys never enter the repository).  CREATED and
# EXPIRES are plist dates (YYYY-MM-DDTHH:MM:SSZ); the test passes "now" and
# "now + 1 day".  Outputs:
#   dev.der                  self-signed RSA certificate (OU=TESTTEAM01)
#   profile.plist            XML profile: team TESTTEAM01, app id TESTTEAM01.*,
#                            DeveloperCertificates = [dev.der], 1 device
#   signed.mobileprovision   CMS (attached, DER) over profile.plist by dev.der
#   nocontent.mobileprovision  CMS whose attached content is not a plist
#   bplist.mobileprovision   profile.plist as bplist00 (when plutil/python3 exist)
set -e
out=$1
created=${2:-2030-01-01T00:00:00Z}
expires=${3:-2030-01-02T00:00:00Z}
[ -n "$out" ] || { echo "usage: $0 OUTDIR [CREATED EXPIRES]" >&2; exit 2; }
mkdir -p "$out"
cd "$out"
openssl req -x509 -newkey rsa:2048 -nodes -keyout dev.key -out dev.pem -days 30 \
	-subj '/CN=csig profile test/OU=TESTTEAM01/O=libcsig/C=US' -sha256 2>/dev/null
openssl x509 -in dev.pem -outform DER -out dev.der
b64=$(openssl base64 -A -in dev.der)
cat > profile.plist <<PLIST
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<dict>
	<key>AppIDName</key>
	<string>csig test</string>
	<key>ApplicationIdentifierPrefix</key>
	<array>
	<string>TESTTEAM01</string>
	</array>
	<key>CreationDate</key>
	<date>$created</date>
	<key>Platform</key>
	<array>
		<string>iOS</string>
	</array>
	<key>IsXcodeManaged</key>
	<false/>
	<key>DeveloperCertificates</key>
	<array>
		<data>$b64</data>
	</array>
	<key>Entitlements</key>
	<dict>
		<key>application-identifier</key>
		<string>TESTTEAM01.*</string>
		<key>keychain-access-groups</key>
		<array>
			<string>TESTTEAM01.*</string>
		</array>
		<key>get-task-allow</key>
		<true/>
		<key>com.apple.developer.team-identifier</key>
		<string>TESTTEAM01</string>
	</dict>
	<key>ExpirationDate</key>
	<date>$expires</date>
	<key>Name</key>
	<string>csig test development</string>
	<key>ProvisionedDevices</key>
	<array>
		<string>00008030-000000000000002E</string>
	</array>
	<key>TeamIdentifier</key>
	<array>
		<string>TESTTEAM01</string>
	</array>
	<key>TeamName</key>
	<string>libcsig tests</string>
	<key>TimeToLive</key>
	<integer>1</integer>
	<key>UUID</key>
	<string>00000000-1111-2222-3333-444444444444</string>
	<key>Version</key>
	<integer>1</integer>
</dict>
</plist>
PLIST
openssl cms -sign -nodetach -binary -outform DER -in profile.plist -signer dev.pem \
	-inkey dev.key -md sha256 -out signed.mobileprovision
printf 'not a property list\n' > garbage.txt
openssl cms -sign -nodetach -binary -outform DER -in garbage.txt -signer dev.pem \
	-inkey dev.key -md sha256 -out nocontent.mobileprovision
if command -v python3 >/dev/null 2>&1; then
	python3 -c 'import plistlib,sys; d=plistlib.load(open(sys.argv[1],"rb")); open(sys.argv[2],"wb").write(plistlib.dumps(d, fmt=plistlib.FMT_BINARY))' \
		profile.plist bplist.mobileprovision
fi
rm -f ./*.key garbage.txt
