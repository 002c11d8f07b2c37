package csig_test

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"libcsig.dev/csig"
)

// fixture is a path under $CSIG_FIXTURES_REAL (examples without an Output
// comment are compiled, not run).
func fixture(rel string) string {
	return filepath.Join(os.Getenv("CSIG_FIXTURES_REAL"), filepath.FromSlash(rel))
}

// Dates as the library reads (--at) and writes them.
func ExampleParseTime() {
	t, err := csig.ParseTime("2020-07-21T10:43:27+02:00")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(t.Unix(), csig.FormatTime(t))
	// Output: 1595321007 2020-07-21T08:43:27Z
}

// Judge a requirement against a signed slice and print the trace.
func ExampleSlice_CheckRequirement() {
	f, err := csig.Open(fixture("sparkle/DevSignedApp.app/Contents/MacOS/SignedApp"))
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	req, err := csig.CompileRequirementText(
		`anchor apple generic and certificate leaf[subject.CN] = "Developer ID Application: Mayur Pawashe"`)
	if err != nil {
		log.Fatal(err)
	}
	defer req.Close()
	res, err := f.Slices()[0].CheckRequirement(req, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Verdict)
	for _, tr := range res.Trace {
		fmt.Printf("  [%s] %s\n      actual: %s\n", tr.Verdict, tr.Clause, tr.Actual)
	}
}

// The CMS, entitlements and requirements parsed when the file was opened.
func ExampleSignature_ParsedCMS() {
	f, err := csig.Open(fixture("sparkle/DevSignedApp.app/Contents/MacOS/SignedApp"))
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close() // also ends the borrowed CMS, set and entitlements
	sig := f.Slices()[0].Signature()
	if m := sig.ParsedCMS(); m != nil {
		for _, c := range m.Chain() {
			fmt.Println("Authority=" + c.SubjectCN())
		}
	}
	if set, err := sig.Requirements(); err == nil {
		text, _ := set.Text()
		fmt.Println(text)
	}
	if ent, err := sig.Entitlements(); err == nil {
		fmt.Println(ent.Root().Keys())
	}
}

// Verify with certificates judged at a given time, expiry being fatal.
func ExampleVerifyOptions() {
	f, err := csig.Open(fixture("sparkle/DevSignedApp.app/Contents/MacOS/SignedApp"))
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	r, err := f.Verify(&csig.VerifyOptions{
		Flags:  csig.VerifyCheckExpiration,
		AtTime: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	fmt.Println("valid:", r.Valid())
}

// A provisioning profile's keys, certificates and verdict.
func ExampleOpenProfile() {
	p, err := csig.OpenProfile(fixture("app_info/ios_development.mobileprovision"))
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close()
	exp, _ := p.ExpirationDate()
	fmt.Println(p.Name(), p.Kind(), p.TeamIDs(), csig.FormatTime(exp))
	for _, c := range p.Certificates() {
		fmt.Println("  developer certificate:", c.SubjectCN(), c.NotAfter())
	}
	r, err := p.Check(time.Now())
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(r.Verdict, r.DaysToExpiry)
	for _, fd := range r.Findings {
		fmt.Printf("  %s %s: %s\n", fd.Severity, fd.ID, fd.Message)
	}
}

// Does a signed binary fit its embedded profile?
func ExampleProfile_Match() {
	p, err := csig.OpenProfile(fixture("fastlane/very-capable-app.app/embedded.mobileprovision"))
	if err != nil {
		log.Fatal(err)
	}
	defer p.Close()
	f, err := csig.Open(fixture("fastlane/very-capable-app.app/very-capable-app"))
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	m, err := p.Match(f.Slices()[0])
	if err != nil {
		log.Fatal(err)
	}
	defer m.Close()
	fmt.Println("matches:", m.OK)
	for _, row := range m.Rows {
		if !row.OK {
			fmt.Println(row.ID, row.Key, row.Actual, "not in", row.Allowed)
		}
	}
}

// List and extract the members of a zip archive, in memory.
func ExampleOpenZip() {
	z, err := csig.OpenZip("../../testdata/zip/stored.zip", nil)
	if err != nil {
		log.Fatal(err)
	}
	defer z.Close()
	for _, e := range z.Entries() {
		fmt.Println(e.Name, e.Size)
	}
	i, err := z.Find("hello.txt")
	if err != nil {
		log.Fatal(err)
	}
	data, err := z.Extract(i)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%q\n", data)
	// Output:
	// hello.txt 13
	// empty.txt 0
	// bin/random.bin 3000
	// "hello, world\n"
}

// Verify an app bundle with its resources and nested code.
func ExampleOpenBundle() {
	b, err := csig.OpenBundle(fixture("sparkle/DevSignedApp.app"), nil)
	if err != nil {
		log.Fatal(err)
	}
	defer b.Close()
	fmt.Println(b.Identifier(), b.Layout(), b.MainExecutable())
	r, err := b.Verify(nil)
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	fmt.Println("valid:", r.Valid)
	for _, fd := range r.Findings {
		fmt.Printf("  %s %s: %s\n", fd.Path, fd.ID, fd.Message)
	}
}

// Recognise files by content, as a scan does.
func ExampleSniff() {
	fmt.Println(csig.Sniff([]byte{0xcf, 0xfa, 0xed, 0xfe}))
	fmt.Println(csig.Sniff([]byte("bplist00")))
	fmt.Println(csig.Sniff([]byte("PK\x03\x04")))
	// Output:
	// macho
	// plist
	// zip
}

// One JSON Lines record per item, then the summary.
func ExampleFile_ScanJSON() {
	path := fixture("sparkle/DevSignedApp.app/Contents/MacOS/SignedApp")
	var counts csig.ScanCounts
	f, err := csig.Open(path)
	if err != nil {
		rec, _ := csig.ScanErrorJSON(path, err, false)
		fmt.Println(string(rec))
		counts.Errors++
	} else {
		defer f.Close()
		rec, _ := f.ScanJSON(path, nil, false)
		fmt.Println(string(rec))
		counts.MachO++
	}
	counts.Files, counts.Records = 1, 1
	sum, _ := csig.ScanSummaryJSON(counts, false)
	fmt.Println(string(sum))
}

// Which dates will break the code, and when?
func ExampleAuditPath() {
	a, err := csig.AuditPath(fixture("sparkle/DevSignedApp.app"), &csig.AuditOptions{WithinDays: 60})
	if err != nil {
		log.Fatal(err)
	}
	defer a.Close()
	for _, it := range a.Items {
		fmt.Printf("%-12s %-8s %5d days  breaks %-7s %s\n", it.Kind, it.Status, it.DaysRemaining, it.Breaks, it.Subject)
	}
	for _, r := range a.Risks {
		fmt.Println("risk:", r.ID, r.Message)
	}
	fmt.Println("failed:", a.Failed)
}

// Would the installed version accept the new one as an update?
func ExampleCheckUpdate() {
	app := fixture("sparkle/DevSignedApp.app")
	u, err := csig.CheckUpdate(app, app, `certificate leaf[subject.OU] = ZCK58M894E`)
	if err != nil {
		log.Fatal(err)
	}
	defer u.Close()
	fmt.Println(u.Verdict, u.Reason)
}
