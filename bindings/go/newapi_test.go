package csig_test

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"libcsig.dev/csig"
)

// apiAllowList names public C functions the binding deliberately does not
// call, each with the reason.  Keep it empty when possible.
var apiAllowList = map[string]string{}

// TestAPICoverage: every `CSIG_API ... csig_xxx(` of include/csig/*.h is
// referenced as C.csig_xxx by the binding's sources (or allow-listed).
func TestAPICoverage(t *testing.T) {
	headers, err := filepath.Glob(filepath.Join(repo, "include", "csig", "*.h"))
	if err != nil || len(headers) == 0 {
		t.Fatalf("no headers under include/csig: %v", err)
	}
	decl := regexp.MustCompile(`CSIG_API[^;{(]*?\b(csig_\w+)\s*\(`)
	api := map[string]string{}
	for _, h := range headers {
		text, err := os.ReadFile(h)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range decl.FindAllSubmatch(text, -1) {
			api[string(m[1])] = filepath.Base(h)
		}
	}
	if len(api) < 300 {
		t.Fatalf("found only %d public functions; the header parser is broken", len(api))
	}
	sources, _ := filepath.Glob("*.go")
	used := map[string]bool{}
	ref := regexp.MustCompile(`\bC\.(csig_\w+)\b`)
	for _, s := range sources {
		if strings.HasSuffix(s, "_test.go") {
			continue
		}
		text, err := os.ReadFile(s)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ref.FindAllSubmatch(text, -1) {
			used[string(m[1])] = true
		}
	}
	var missing []string
	for name, h := range api {
		if !used[name] {
			if _, ok := apiAllowList[name]; !ok {
				missing = append(missing, h+": "+name)
			}
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("%d public functions are not wrapped:\n  %s", len(missing), strings.Join(missing, "\n  "))
	}
	for name := range apiAllowList {
		if _, ok := api[name]; !ok {
			t.Errorf("allow-list entry %s is not a public function any more", name)
		}
		if used[name] {
			t.Errorf("allow-list entry %s is wrapped after all; remove it", name)
		}
	}
}

func TestTime(t *testing.T) {
	for text, want := range map[string]int64{
		"2020-07-21":                1595289600,
		"2020-07-21T08:43:27Z":      1595321007,
		"2020-07-21T10:43:27+02:00": 1595321007,
		"2020-07-21T08:43:27.75Z":   1595321007,
		"1970-01-01":                0,
	} {
		got, err := csig.ParseTime(text)
		if err != nil || got.Unix() != want || got.Location() != time.UTC {
			t.Errorf("ParseTime(%q) = %v, %v; want %d UTC", text, got, err, want)
		}
	}
	for _, bad := range []string{"", "yesterday", "2020-13-01", "2020-07-21T25:00:00Z", "2020-07-21\x00"} {
		if _, err := csig.ParseTime(bad); !errors.Is(err, csig.ErrSyntax) {
			t.Errorf("ParseTime(%q) = %v, want ErrSyntax", bad, err)
		}
	}
	if s := csig.FormatTime(time.Unix(1595321007, 999e6)); s != "2020-07-21T08:43:27Z" {
		t.Errorf("FormatTime = %q", s)
	}
	now := time.Now().Truncate(time.Second)
	if back, err := csig.ParseTime(csig.FormatTime(now)); err != nil || !back.Equal(now) {
		t.Errorf("round trip %v -> %v, %v", now, back, err)
	}
}

func sparkleApp(t *testing.T) string {
	return filepath.Join(realDir(t), "sparkle", "DevSignedApp.app")
}

// TestSeedScenario: a CN pinned without the team suffix is not satisfied,
// and the trace names the CN clause with the actual value; the OU is.
func TestSeedScenario(t *testing.T) {
	f, err := csig.Open(filepath.Join(sparkleApp(t), "Contents", "MacOS", "SignedApp"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := f.Slice(0)
	if err != nil {
		t.Fatal(err)
	}
	req, err := csig.CompileRequirementText(`anchor apple generic and certificate leaf[subject.CN] = "Developer ID Application: Mayur Pawashe"`)
	if err != nil {
		t.Fatal(err)
	}
	defer req.Close()
	res, err := s.CheckRequirement(req, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.Verdict != csig.ReqNotSatisfied || res.Satisfied() {
		t.Errorf("verdict %v, want not satisfied", res.Verdict)
	}
	found := false
	for _, tr := range res.Trace {
		if strings.Contains(tr.Clause, "subject.CN") {
			found = true
			if tr.Verdict != csig.ReqNotSatisfied {
				t.Errorf("CN clause verdict %v", tr.Verdict)
			}
			if !strings.Contains(tr.Actual, "Developer ID Application: Mayur Pawashe (ZCK58M894E)") {
				t.Errorf("CN clause actual %q", tr.Actual)
			}
		} else if strings.Contains(tr.Clause, "anchor apple generic") && tr.Verdict != csig.ReqSatisfied {
			t.Errorf("anchor clause %+v", tr)
		}
	}
	if !found {
		t.Errorf("trace does not name the CN clause: %+v", res.Trace)
	}

	ou, err := csig.CompileRequirementText(`certificate leaf[subject.OU] = ZCK58M894E`)
	if err != nil {
		t.Fatal(err)
	}
	defer ou.Close()
	res, err = s.CheckRequirement(ou, nil)
	if err != nil || res.Verdict != csig.ReqSatisfied {
		t.Errorf("OU: %+v, %v; want satisfied", res, err)
	}

	// The designated requirement of the signature itself is satisfied.
	sig := s.Signature()
	set, err := sig.Requirements()
	if err != nil {
		t.Fatal(err)
	}
	dr := set.Find(csig.ReqTypeDesignated)
	if dr == nil {
		t.Fatal("no designated requirement")
	}
	res, err = s.CheckRequirement(dr, nil)
	if err != nil || !res.Satisfied() {
		t.Errorf("designated: %+v, %v", res, err)
	}

	// A set is refused by CompileRequirementText; syntax errors are errors.
	if _, err := csig.CompileRequirementText(`designated => anchor apple`); !errors.Is(err, csig.ErrBadValue) {
		t.Errorf("set: %v", err)
	}
	if _, err := csig.CompileRequirementText(`anchor apple and (`); !errors.Is(err, csig.ErrSyntax) {
		t.Errorf("syntax: %v", err)
	}
	if _, err := s.CheckRequirement(nil, nil); !errors.Is(err, csig.ErrInval) {
		t.Errorf("nil req: %v", err)
	}
}

// TestSignatureParsed: the CMS, entitlements and requirements parsed at
// open are borrowed from the File and die with it.
func TestSignatureParsed(t *testing.T) {
	f, err := csig.Open(filepath.Join(sparkleApp(t), "Contents", "MacOS", "SignedApp"))
	if err != nil {
		t.Fatal(err)
	}
	sig := f.Slices()[0].Signature()
	m := sig.ParsedCMS()
	if m == nil {
		t.Fatal("no parsed CMS")
	}
	chain := m.Chain()
	if len(chain) != 3 || chain[0].SubjectCN() != "Developer ID Application: Mayur Pawashe (ZCK58M894E)" {
		t.Fatalf("chain %d, leaf %q", len(chain), chain[0].SubjectCN())
	}
	if !chain[0].HasExtension("1.2.840.113635.100.6.1.13") || chain[0].HasExtension("1.2.3") {
		t.Error("HasExtension")
	}
	raw, _ := sig.CMS()
	own, err := csig.ParseCMS(raw, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(own.Chain()[0].DER(), chain[0].DER()) {
		t.Error("ParsedCMS differs from ParseCMS of the blob")
	}
	own.Close()
	m.Close() // borrowed: nothing happens
	if m.Version() == 0 {
		t.Error("borrowed CMS closed by its Close")
	}
	set, err := sig.Requirements()
	if err != nil {
		t.Fatal(err)
	}
	text, err := set.Text()
	if err != nil || !strings.Contains(text, "designated =>") {
		t.Errorf("requirements %q, %v", text, err)
	}
	set.Close()
	if set.Len() == 0 {
		t.Error("borrowed set closed by its Close")
	}
	if _, err := sig.Entitlements(); err != nil && !errors.Is(err, csig.ErrNotFound) {
		t.Errorf("entitlements: %v", err)
	}
	for _, slot := range []uint32{csig.SlotLaunchConstraintSelf, csig.SlotLibraryConstraint} {
		if _, err := sig.Constraint(slot); !errors.Is(err, csig.ErrNotFound) {
			t.Errorf("constraint %#x: %v", slot, err)
		}
	}

	f.Close()
	if m.Version() != 0 || len(m.Chain()) != 0 || chain[0].SubjectCN() != "" {
		t.Error("borrowed CMS readable after File.Close")
	}
	if set.Len() != 0 {
		t.Error("borrowed set readable after File.Close")
	}
	if _, err := sig.Requirements(); !errors.Is(err, csig.ErrClosed) {
		t.Errorf("Requirements after Close: %v", err)
	}
	if _, err := sig.Entitlements(); !errors.Is(err, csig.ErrClosed) {
		t.Errorf("Entitlements after Close: %v", err)
	}
	if sig.ParsedCMS() != nil {
		t.Error("ParsedCMS after Close")
	}
}

// TestBorrowedEntitlements: a signature with XML and DER entitlements.
func TestBorrowedEntitlements(t *testing.T) {
	path := filepath.Join(realDir(t), "fastlane", "very-capable-app.app", "very-capable-app")
	f, err := csig.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sig := f.Slices()[0].Signature()
	xml, err := sig.Entitlements()
	if err != nil {
		t.Fatal(err)
	}
	if xml.Magic() != csig.EntMagicXML || !xml.IsTrue("get-task-allow") {
		t.Errorf("xml magic %#x get-task-allow %v", xml.Magic(), xml.IsTrue("get-task-allow"))
	}
	keys := xml.Root().Keys()
	if len(keys) < 20 || xml.Root().Get(keys[0]) == nil {
		t.Errorf("keys %v", keys)
	}
	b, _ := sig.FindBlob(csig.SlotEntitlements)
	if !bytes.Equal(b.Bytes[8:], xml.Source()) {
		t.Error("Source is not the blob's payload")
	}
	if der, err := sig.DEREntitlements(); err == nil {
		diffs, err := csig.CompareEntitlements(xml, der)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%d XML/DER differences", len(diffs))
	} else if !errors.Is(err, csig.ErrNotFound) {
		t.Fatal(err)
	}
}

func TestVerifyOptions(t *testing.T) {
	f, err := csig.Open(filepath.Join(sparkleApp(t), "Contents", "MacOS", "SignedApp"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	verify := func(o *csig.VerifyOptions) *csig.VerifyResult {
		t.Helper()
		r, err := f.Verify(o)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.Close() })
		return r
	}
	if r := verify(nil); !r.Valid() {
		t.Fatalf("default: %+v", r.Findings())
	}
	// Judged long after the leaf expired: informational, unless expiration is checked.
	late := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	if r := verify(&csig.VerifyOptions{AtTime: late}); !r.Valid() {
		t.Errorf("late, not checking expiration: %+v", r.Findings())
	}
	r := verify(&csig.VerifyOptions{AtTime: late, Flags: csig.VerifyCheckExpiration})
	if r.Valid() {
		t.Error("late with VerifyCheckExpiration is valid")
	}
	// At the signing time the certificates are valid even when checked.
	if r := verify(&csig.VerifyOptions{AtTime: time.Date(2023, 3, 13, 0, 0, 0, 0, time.UTC),
		Flags: csig.VerifyCheckExpiration}); !r.Valid() {
		t.Errorf("at signing: %+v", r.Findings())
	}
	if r := verify(&csig.VerifyOptions{Flags: csig.VerifyOneSlice, Slice: 0}); !r.Valid() {
		t.Error("one slice")
	}
	if _, err := f.Verify(&csig.VerifyOptions{Flags: csig.VerifyOneSlice, Slice: 9}); !errors.Is(err, csig.ErrInval) {
		t.Errorf("slice 9: %v", err)
	}
	// The deprecated field still works.
	if _, err := f.Verify(&csig.VerifyOptions{OneSlice: true, Slice: 9}); !errors.Is(err, csig.ErrInval) {
		t.Errorf("OneSlice slice 9: %v", err)
	}
}

// ---- profiles ----

type profileCase struct {
	real      bool // Apple-signed: valid at CreationDate + 1 day, expired now
	verdict   csig.ProfileVerdict
	kind      csig.ProfileKind
	container csig.ProfileContainer
}

// profileCases is tests/check_profile.c's table.
var profileCases = map[string]profileCase{
	"app_info/NotificationService.appex/embedded.mobileprovision": {true, 0, csig.ProfileKindAdHoc, csig.ProfileCMS},
	"app_info/ios_adhoc.mobileprovision":                          {true, 0, csig.ProfileKindAdHoc, csig.ProfileCMS},
	"app_info/ios_appstore.mobileprovision":                       {true, 0, csig.ProfileKindAppStore, csig.ProfileCMS},
	"app_info/ios_development.mobileprovision":                    {true, 0, csig.ProfileKindDevelopment, csig.ProfileCMS},
	"app_info/macos_appstore.provisionprofile":                    {true, 0, csig.ProfileKindAppStore, csig.ProfileCMS},
	"app_info/macos_development.provisionprofile":                 {true, 0, csig.ProfileKindDevelopment, csig.ProfileCMS},
	"app_info/profile.mobileprovision":                            {true, 0, csig.ProfileKindDevelopment, csig.ProfileCMS},
	"fastlane/AppStore_tools.fastlane.app.mobileprovision":        {true, 0, csig.ProfileKindAppStore, csig.ProfileCMS},
	"fastlane/AppStore_net.sunapps.9.watch.mobileprovision":       {true, 0, csig.ProfileKindAppStore, csig.ProfileCMS},
	"fastlane/test.mobileprovision":                               {true, 0, csig.ProfileKindAppStore, csig.ProfileCMS},
	"fastlane/test.provisionprofile":                              {false, csig.ProfileTampered, csig.ProfileKindAppStore, csig.ProfileCMS},
	"fastlane/very-capable-app.app/embedded.mobileprovision":      {false, csig.ProfileUntrusted, csig.ProfileKindDevelopment, csig.ProfileCMS},
	"isign/test.mobileprovision":                                  {false, csig.ProfileUntrusted, csig.ProfileKindDevelopment, csig.ProfileCMS},
	"app_info/signed_plist.mobileprovision":                       {false, csig.ProfileUntrusted, csig.ProfileKindEnterprise, csig.ProfileCMS},
	"app_info/bplist.mobileprovision":                             {false, csig.ProfileUnsigned, csig.ProfileKindEnterprise, csig.ProfileBareBinary},
	"app_info/plist.mobileprovision":                              {false, csig.ProfileUnsigned, csig.ProfileKindEnterprise, csig.ProfileBareXML},
}

func TestProfilesReal(t *testing.T) {
	dir := realDir(t)
	var found []string
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".mobileprovision") || strings.HasSuffix(p, ".provisionprofile")) {
			rel, _ := filepath.Rel(dir, p)
			found = append(found, filepath.ToSlash(rel))
		}
		return nil
	})
	if len(found) != len(profileCases) {
		t.Errorf("%d profiles under %s, %d in the table", len(found), dir, len(profileCases))
	}
	cli := os.Getenv("CSIG_CLI")
	if cli == "" {
		cli = filepath.Join(repo, "build", "csig")
	}
	if _, err := os.Stat(cli); err != nil {
		cli = ""
	}
	now := time.Now()
	for _, rel := range found {
		c, ok := profileCases[rel]
		if !ok {
			t.Errorf("profile fixture %s has no expected verdict", rel)
			continue
		}
		t.Run(rel, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join(dir, filepath.FromSlash(rel))
			p, err := csig.OpenProfile(path)
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			created, err := p.CreationDate()
			if err != nil {
				t.Fatal(err)
			}
			at := created.Add(24 * time.Hour)
			r1, err := p.Check(at)
			if err != nil {
				t.Fatal(err)
			}
			r2, err := p.Check(now)
			if err != nil {
				t.Fatal(err)
			}
			if !r1.At.Equal(at.Truncate(time.Second)) {
				t.Errorf("At %v, want %v", r1.At, at)
			}
			if c.real {
				if r1.Verdict != csig.ProfileValid || r2.Verdict != csig.ProfileExpired {
					t.Errorf("verdicts %v / %v, want valid / expired", r1.Verdict, r2.Verdict)
				}
				if !r2.HasFinding("profile-expired") {
					t.Errorf("no profile-expired finding: %+v", r2.Findings)
				}
				exp, err := p.ExpirationDate()
				if err != nil {
					t.Fatal(err)
				}
				if !r1.HasExpiry || r1.DaysToExpiry != int64(exp.Sub(at)/(24*time.Hour)) {
					t.Errorf("days %d (%v), expires %v", r1.DaysToExpiry, r1.HasExpiry, exp)
				}
				if ttl, err := p.TimeToLive(); err == nil && r1.DaysToExpiry > ttl {
					t.Errorf("days %d > ttl %d", r1.DaysToExpiry, ttl)
				}
				if !p.IsSigned() || p.CMS() == nil || r1.CMS == nil || !r1.CMS.OK || !r1.CMS.AppleRoot {
					t.Errorf("signed %v, CMS %+v", p.IsSigned(), r1.CMS)
				}
			} else if r1.Verdict != c.verdict || r2.Verdict != c.verdict {
				t.Errorf("verdicts %v / %v, want %v", r1.Verdict, r2.Verdict, c.verdict)
			}
			if p.Kind() != c.kind || p.Container() != c.container {
				t.Errorf("kind %v container %v", p.Kind(), p.Container())
			}
			if p.MalformedReason() != "" || len(p.TeamIDs()) < 1 || p.UUID() == "" ||
				p.Entitlements() == nil || p.NumCertificates() < 1 || p.HasDERProfile() {
				t.Errorf("getters: reason %q teams %v uuid %q certs %d der %v",
					p.MalformedReason(), p.TeamIDs(), p.UUID(), p.NumCertificates(), p.HasDERProfile())
			}
			for i := 0; i < p.NumCertificates(); i++ {
				cert, err := p.Certificate(i)
				if err != nil {
					var ce *csig.Error
					if !errors.As(err, &ce) || ce.Msg == "" {
						t.Errorf("cert %d: %v", i, err)
					}
					continue
				}
				if !bytes.Equal(cert.DER(), p.CertificateData(i)) || cert.NotAfter().IsZero() {
					t.Errorf("cert %d: DER differs or no date", i)
				}
			}
			// The JSON document is what `csig profile --json --at` prints.
			doc, err := p.JSON(at, true)
			if err != nil {
				t.Fatal(err)
			}
			if cli != "" {
				want, err := exec.Command(cli, "profile", "--json", "--at", csig.FormatTime(at), path).Output()
				if len(want) == 0 {
					t.Fatalf("CLI: %v", err)
				}
				if !bytes.Equal(append(doc, '\n'), want) {
					t.Errorf("JSON differs from the CLI at %s", firstDiff(append(doc, '\n'), want))
				}
			}
		})
	}
}

func TestProfileDetails(t *testing.T) {
	dir := realDir(t)
	p, err := csig.OpenProfile(filepath.Join(dir, "app_info", "ios_development.mobileprovision"))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if p.Name() != "iOS Full Development" || p.TeamName() == "" || p.AppIDName() != "test by wangshen" ||
		strings.Join(p.AppIDPrefixes(), ",") != "WKR87TTKML" || strings.Join(p.Platforms(), ",") != "iOS" {
		t.Errorf("strings: %q %q %q %v %v", p.Name(), p.TeamName(), p.AppIDName(), p.AppIDPrefixes(), p.Platforms())
	}
	if ttl, err := p.TimeToLive(); err != nil || ttl != 365 {
		t.Errorf("ttl %d %v", ttl, err)
	}
	if v, err := p.Version(); err != nil || v != 1 {
		t.Errorf("version %d %v", v, err)
	}
	if v, ok := p.IsXcodeManaged(); v || !ok {
		t.Errorf("xcode managed %v %v", v, ok)
	}
	if _, ok := p.ProvisionsAllDevices(); ok {
		t.Error("ProvisionsAllDevices present")
	}
	if !p.HasDevices() || len(p.Devices()) != 1 {
		t.Errorf("devices %v", p.Devices())
	}
	app, err := p.Entitlements().Get("application-identifier").StringValue()
	if err != nil || app != "WKR87TTKML.com.icyleaf.appinfo.test" {
		t.Errorf("application-identifier %q %v", app, err)
	}
	certs := p.Certificates()
	if len(certs) != 1 || certs[0].SubjectCN() != "Apple Development: Shen Wang (A3Z3NZQ8V3)" {
		t.Fatalf("certificates %d", len(certs))
	}
	if _, err := p.Certificate(1); !errors.Is(err, csig.ErrNotFound) {
		t.Errorf("cert 1: %v", err)
	}
	if p.Plist() == nil || p.Root().Type() != csig.PlistDict || len(p.DERProfile()) != 0 {
		t.Error("plist/root/der")
	}
	for _, c := range []struct {
		at   int64
		v    csig.ProfileVerdict
		days int64
	}{{1595321007 + 86400, csig.ProfileValid, 364}, {1626857007, csig.ProfileExpired, 0},
		{1626857006, csig.ProfileValid, 0}, {1626857008, csig.ProfileExpired, -1}} {
		r, err := p.Check(time.Unix(c.at, 0))
		if err != nil || r.Verdict != c.v || r.DaysToExpiry != c.days {
			t.Errorf("at %d: %v %d %v, want %v %d", c.at, r.Verdict, r.DaysToExpiry, err, c.v, c.days)
		}
	}
	if csig.ProfileExpired.String() != "expired" || csig.ProfileKindAdHoc.String() != "ad-hoc" {
		t.Error("names")
	}

	// A bare plist profile whose certificate entry is not a certificate.
	bare, err := csig.OpenProfile(filepath.Join(dir, "app_info", "plist.mobileprovision"))
	if err != nil {
		t.Fatal(err)
	}
	defer bare.Close()
	if bare.IsSigned() || bare.CMS() != nil {
		t.Error("bare profile is signed")
	}
	if _, err := bare.Certificate(0); err == nil {
		t.Error("undecodable certificate decoded")
	}
	r, _ := bare.Check(time.Time{})
	if r.Verdict != csig.ProfileUnsigned || !r.HasFinding("developer-cert-undecodable") || r.CMS != nil {
		t.Errorf("bare: %+v", r)
	}

	// Not a profile; and a closed profile.
	if _, err := csig.ParseProfile([]byte("hello"), nil); !errors.Is(err, csig.ErrBadMagic) {
		t.Errorf("hello: %v", err)
	}
	if _, err := csig.OpenProfile(filepath.Join(t.TempDir(), "none")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
	c0 := certs[0]
	p.Close()
	if c0.SubjectCN() != "" || p.Name() != "" {
		t.Error("readable after Close")
	}
	if _, err := p.Check(time.Time{}); !errors.Is(err, csig.ErrClosed) {
		t.Errorf("Check after Close: %v", err)
	}
}

func TestProfileMatch(t *testing.T) {
	dir := filepath.Join(realDir(t), "fastlane", "very-capable-app.app")
	p, err := csig.OpenProfile(filepath.Join(dir, "embedded.mobileprovision"))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	f, err := csig.Open(filepath.Join(dir, "very-capable-app"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s0 := f.Slices()[0]
	m, err := p.Match(s0)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if !m.OK || len(m.Rows) != 27 {
		t.Fatalf("ok %v, %d rows", m.OK, len(m.Rows))
	}
	rows := map[string]csig.ProfileCheckRow{}
	for _, r := range m.Rows {
		rows[r.ID+"/"+r.Key] = r
	}
	if r := rows["team-id/"]; r.Actual != `"TestFixture"` || !r.OK {
		t.Errorf("team-id %+v", r)
	}
	if r := rows["entitlement/keychain-access-groups"]; r.Allowed != `["TestFixture.*"]` {
		t.Errorf("keychain %+v", r)
	}
	if r := rows["platform/"]; r.Actual != `"iOS"` {
		t.Errorf("platform %+v", r)
	}
	doc, err := m.JSON(false)
	if err != nil || !bytes.HasPrefix(doc, []byte(`{"ok":true`)) {
		t.Errorf("JSON %.60s %v", doc, err)
	}
	f.Close()
	if _, err := m.JSON(true); !errors.Is(err, csig.ErrClosed) {
		t.Errorf("JSON after the file closed: %v", err)
	}
	if _, err := p.Match(s0); err == nil {
		t.Error("Match of a closed file's slice")
	}
}
