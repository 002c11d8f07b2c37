package csig_test

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"libcsig.dev/csig"
)

// TestZip checks every archive and entry of testdata/zip/expected.tsv
// (made with Python's zipfile, independent of libcsig).
func TestZip(t *testing.T) {
	fh, err := os.Open(testdata("zip", "expected.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	zips := map[string]*csig.Zip{}
	defer func() {
		for _, z := range zips {
			z.Close()
		}
	}()
	sc := bufio.NewScanner(fh)
	entries := 0
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) == 0 || strings.HasPrefix(f[0], "#") {
			continue
		}
		switch f[0] {
		case "F":
			z, err := csig.OpenZip(testdata("zip", f[1]), nil)
			if f[2] == "CSIG_OK" {
				if err != nil {
					t.Errorf("%s: %v", f[1], err)
					continue
				}
				if n, _ := strconv.Atoi(f[3]); z.Len() != n || len(z.Entries()) != n {
					t.Errorf("%s: %d entries, want %d", f[1], z.Len(), n)
				}
				zips[f[1]] = z
			} else if !errors.Is(err, sentinelByName(t, f[2])) {
				t.Errorf("%s: %v, want %s", f[1], err, f[2])
			}
		case "E":
			z := zips[f[1]]
			if z == nil {
				continue
			}
			entries++
			i, _ := strconv.Atoi(f[2])
			e, err := z.Entry(i)
			if err != nil {
				t.Fatalf("%s[%d]: %v", f[1], i, err)
			}
			name := ""
			if f[3] != "-" {
				b, _ := hex.DecodeString(f[3])
				name = string(b)
			}
			method, _ := strconv.Atoi(f[4])
			size, _ := strconv.ParseUint(f[5], 10, 64)
			csize, _ := strconv.ParseUint(f[6], 10, 64)
			crc, _ := strconv.ParseUint(f[7], 16, 32)
			mode, _ := strconv.ParseUint(f[10], 8, 32)
			susp, _ := strconv.Atoi(f[11])
			if e.Name != name || e.Method != uint(method) || e.Size != size || e.CompressedSize != csize ||
				e.CRC32 != uint32(crc) || e.IsDir != (f[8] == "1") || e.IsSymlink != (f[9] == "1") ||
				e.Mode&0o177777 != uint32(mode) || e.Suspicious != csig.ZipNameFlags(susp) || e.Index != i {
				t.Errorf("%s[%d] = %+v, want %v", f[1], i, e, f)
			}
			if e.Suspicious&csig.ZipNameDuplicate == 0 && e.Suspicious&csig.ZipNameEmpty == 0 {
				if j, err := z.Find(e.Name); err != nil || j != i {
					t.Errorf("%s: Find(%q) = %d, %v", f[1], e.Name, j, err)
				}
			}
			data, err := z.Extract(i)
			if f[12] == "CSIG_OK" {
				sum := sha256.Sum256(data)
				if err != nil || hex.EncodeToString(sum[:]) != f[13] {
					t.Errorf("%s[%d]: extract %v, sha256 %x", f[1], i, err, sum)
				}
				if e.Method == csig.ZipStored {
					if v, err := z.Stored(i); err != nil || !bytes.Equal(v, data) {
						t.Errorf("%s[%d]: Stored %v", f[1], i, err)
					}
				} else if _, err := z.Stored(i); !errors.Is(err, csig.ErrUnsupported) {
					t.Errorf("%s[%d]: Stored of a deflated entry: %v", f[1], i, err)
				}
			} else if !errors.Is(err, sentinelByName(t, f[12])) {
				t.Errorf("%s[%d]: extract %v, want %s", f[1], i, err, f[12])
			}
		}
	}
	if entries < 20 {
		t.Fatalf("only %d entries checked", entries)
	}
	// Lowered limits refuse what the defaults allow.
	z, err := csig.OpenZip(testdata("zip", "deflated.zip"), &csig.ZipOptions{MaxEntrySize: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	refused := false
	for _, e := range z.Entries() {
		if _, err := z.Extract(e.Index); e.Size > 1 && errors.Is(err, csig.ErrLimit) {
			refused = true
		}
	}
	if !refused {
		t.Error("MaxEntrySize 1 refused nothing")
	}
	if _, err := z.Find("no such member"); !errors.Is(err, csig.ErrNotFound) {
		t.Errorf("Find: %v", err)
	}
	if _, err := z.Entry(-1); !errors.Is(err, csig.ErrNotFound) {
		t.Errorf("Entry(-1): %v", err)
	}
	z.Close()
	if _, err := z.Extract(0); !errors.Is(err, csig.ErrClosed) || z.Len() != 0 {
		t.Errorf("after Close: %v", err)
	}
	if _, err := csig.ParseZip([]byte("PK"), nil, nil); err == nil {
		t.Error("ParseZip(PK) succeeded")
	}
}

// TestBundle opens the sparkle app, verifies it, and compares the JSON
// with `csig verify --json` on the bundle.
func TestBundle(t *testing.T) {
	path := sparkleApp(t)
	b, err := csig.OpenBundle(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if b.Path() != "" || b.Layout() != csig.BundleDeep || b.Layout().String() != "deep" ||
		b.ContentDir() != "Contents" || b.FromArchive() || b.IsCodeless() ||
		b.MainExecutable() != "Contents/MacOS/SignedApp" || b.Identifier() != "com.zoo.SignedApp" {
		t.Errorf("getters: %q %v %q %v %v %q %q", b.Path(), b.Layout(), b.ContentDir(), b.FromArchive(),
			b.IsCodeless(), b.MainExecutable(), b.Identifier())
	}
	info := b.InfoPlist()
	if id, err := info.Root().Get("CFBundleIdentifier").StringValue(); err != nil || id != "com.zoo.SignedApp" {
		t.Errorf("Info.plist: %q %v", id, err)
	}
	exe := b.Executable()
	if exe == nil || exe.NumSlices() < 1 {
		t.Fatal("no executable")
	}
	exe.Close() // borrowed: nothing happens
	s := exe.Slices()[0]
	// info[] clauses see the bundle's Info.plist.
	req, err := csig.CompileRequirementText(`info[CFBundleIdentifier] = "com.zoo.SignedApp"`)
	if err != nil {
		t.Fatal(err)
	}
	defer req.Close()
	if r, err := s.CheckRequirement(req, info); err != nil || !r.Satisfied() {
		t.Errorf("with Info.plist: %+v %v", r, err)
	}
	if r, err := s.CheckRequirement(req, nil); err != nil || r.Satisfied() {
		t.Errorf("without Info.plist: %+v %v", r, err)
	}
	if len(b.Nested()) != 0 {
		t.Errorf("%d nested", len(b.Nested()))
	}
	r, err := b.Verify(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if !r.Valid || r.FilesHashed == 0 || r.BytesHashed == 0 {
		t.Errorf("verify: %+v", r)
	}
	for _, f := range r.Findings {
		if f.Severity == csig.SevError || f.ID == "" {
			t.Errorf("finding %+v", f)
		}
	}
	late := time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)
	if r2, err := b.Verify(&csig.VerifyOptions{AtTime: late, Flags: csig.VerifyCheckExpiration}); err != nil || r2.Valid {
		t.Errorf("late strict verify: valid %v, %v", r2 != nil && r2.Valid, err)
	}
	doc, err := r.JSON(csig.JSONPretty)
	if err != nil {
		t.Fatal(err)
	}
	cli := filepath.Join(repo, "build", "csig")
	if c := os.Getenv("CSIG_CLI"); c != "" {
		cli = c
	}
	if _, err := os.Stat(cli); err == nil {
		want, _ := exec.Command(cli, "verify", "--json", path).Output()
		if !bytes.Equal(append(doc, '\n'), want) {
			t.Errorf("bundle JSON differs from the CLI at %s", firstDiff(append(doc, '\n'), want))
		}
	}
	b.Close()
	if exe.NumSlices() != 0 || info.Root() != nil || b.Identifier() != "" {
		t.Error("borrowed objects readable after Bundle.Close")
	}
	if _, err := b.Verify(nil); !errors.Is(err, csig.ErrClosed) {
		t.Errorf("Verify after Close: %v", err)
	}
	if _, err := r.JSON(0); err != nil {
		t.Errorf("result JSON after Bundle.Close: %v", err)
	}
	if _, err := csig.OpenBundle(filepath.Join(t.TempDir(), "none.app"), nil); !errors.Is(err, csig.ErrIO) {
		t.Errorf("missing bundle: %v", err)
	}
}

func TestBundleIPA(t *testing.T) {
	path := filepath.Join(realDir(t), "app_info", "iphone.ipa")
	b, err := csig.OpenBundle(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if !b.FromArchive() || b.Layout() != csig.BundleShallow || b.Executable() == nil {
		t.Errorf("ipa: archive %v layout %v", b.FromArchive(), b.Layout())
	}
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, err := b.Verify(&csig.VerifyOptions{Jobs: 1})
			if err != nil {
				t.Error(err)
				return
			}
			r.Close()
			for _, n := range b.Nested() {
				_ = n.Path() + n.Identifier()
			}
		}()
	}
	wg.Wait()
}

// TestScan: records are one line of JSON with the documented type.
func TestScan(t *testing.T) {
	dir := realDir(t)
	exePath := filepath.Join(sparkleApp(t), "Contents", "MacOS", "SignedApp")
	data, err := os.ReadFile(exePath)
	if err != nil {
		t.Fatal(err)
	}
	if k := csig.Sniff(data[:csig.SniffPrefix]); k != csig.SniffMachO && k != csig.SniffFat {
		t.Errorf("Sniff = %v", k)
	}
	if k := csig.Sniff([]byte("PK\x03\x04")); k != csig.SniffZip || k.String() != "zip" {
		t.Errorf("zip sniff %v", k)
	}
	if csig.Sniff(nil) != csig.SniffUnknown || csig.Sniff([]byte("hello")).String() != "unknown" {
		t.Error("unknown sniff")
	}
	decode := func(doc []byte, err error, typ string) map[string]any {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(doc, []byte("\n")) {
			t.Errorf("%s record has a newline", typ)
		}
		var m map[string]any
		if err := json.Unmarshal(doc, &m); err != nil {
			t.Fatalf("%s: %v in %s", typ, err, doc)
		}
		if m["type"] != typ {
			t.Errorf("type %v, want %s", m["type"], typ)
		}
		return m
	}
	f, err := csig.Open(exePath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	vr, err := f.Verify(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer vr.Close()
	doc, err := f.ScanJSON("a/b", vr, false)
	m := decode(doc, err, "macho")
	if m["path"] != "a/b" || m["verdict"] != "valid" || m["team"] != "ZCK58M894E" {
		t.Errorf("macho record %v", m)
	}
	doc, err = f.ScanJSON("", nil, false)
	if m := decode(doc, err, "macho"); m["path"] != nil || m["verdict"] != nil {
		t.Errorf("no path/verdict: %v", m)
	}
	if doc, err := f.ScanJSON("x", nil, true); err != nil || !bytes.Contains(doc, []byte("\n")) {
		t.Errorf("pretty: %v", err)
	}
	p, err := csig.OpenProfile(filepath.Join(dir, "app_info", "ios_development.mobileprovision"))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	doc, err = p.ScanJSON("p", time.Unix(1595321007+86400, 0), false)
	if m := decode(doc, err, "profile"); m["verdict"] != "valid" {
		t.Errorf("profile record %v", m)
	}
	b, err := csig.OpenBundle(sparkleApp(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	br, err := b.Verify(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer br.Close()
	doc, err = b.ScanJSON("app", br, false)
	if m := decode(doc, err, "bundle"); m["identifier"] != "com.zoo.SignedApp" || m["verdict"] != "valid" {
		t.Errorf("bundle record %v", m)
	}
	_, openErr := csig.OpenBytes([]byte("\xca\xfe\xba\xbe\x00\x00\x00\x34"))
	doc, err = csig.ScanErrorJSON("j.class", openErr, false)
	if m := decode(doc, err, "error"); m["code"] != "CSIG_E_BADMAGIC" || !strings.Contains(m["message"].(string), "Java") {
		t.Errorf("error record %v", m)
	}
	_, osErr := os.Open(filepath.Join(t.TempDir(), "gone"))
	doc, err = csig.ScanErrorJSON("gone", osErr, false)
	if m := decode(doc, err, "error"); m["code"] != "CSIG_E_IO" {
		t.Errorf("os error record %v", m)
	}
	doc, err = csig.ScanSummaryJSON(csig.ScanCounts{Files: 3, MachO: 1, Records: 1, Elapsed: 2 * time.Second, Jobs: 2}, false)
	if m := decode(doc, err, "summary"); m["files"] != 3.0 || m["jobs"] != 2.0 {
		t.Errorf("summary %v", m)
	}
}

func TestAudit(t *testing.T) {
	app := sparkleApp(t)
	at := time.Date(2023, 3, 13, 0, 0, 0, 0, time.UTC)
	a, err := csig.AuditPath(app, &csig.AuditOptions{At: at, WithinDays: 10})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if !a.At.Equal(at) || a.WithinDays != 10 || a.Failed || len(a.Codes) != 1 {
		t.Errorf("audit %v %d failed %v codes %d", a.At, a.WithinDays, a.Failed, len(a.Codes))
	}
	if c := a.Codes[0]; c.TeamID != "ZCK58M894E" || c.Signing != "developer-id" || c.Identifier == "" {
		t.Errorf("code %+v", c)
	}
	leaf := false
	for _, it := range a.Items {
		if it.Kind == "certificate" && it.ChainIndex == 0 {
			leaf = true
			if !strings.HasPrefix(it.Subject, "Developer ID Application: Mayur Pawashe") ||
				it.Status != "ok" || it.Where != "Contents/MacOS/SignedApp" || it.DaysRemaining <= 0 {
				t.Errorf("leaf %+v", it)
			}
		}
	}
	if !leaf {
		t.Errorf("no leaf item: %+v", a.Items)
	}
	doc, err := a.JSON(0)
	var m map[string]any
	if err != nil || json.Unmarshal(doc, &m) != nil || m["failed"] != false {
		t.Errorf("JSON %s %v", doc, err)
	}
	f, err := csig.Open(filepath.Join(app, "Contents", "MacOS", "SignedApp"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	fa, err := f.Audit("SignedApp", &csig.AuditOptions{At: at, Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	defer fa.Close()
	if len(fa.Codes) != 1 || fa.Codes[0].Where != "SignedApp" || fa.WithinDays != csig.AuditWithinDefault {
		t.Errorf("file audit %+v", fa.Codes)
	}
	a.Close()
	if _, err := a.JSON(0); !errors.Is(err, csig.ErrClosed) || len(a.Items) == 0 {
		t.Errorf("after Close: %v", err)
	}
	if _, err := csig.AuditPath(filepath.Join(t.TempDir(), "none"), nil); !errors.Is(err, csig.ErrIO) {
		t.Errorf("missing: %v", err)
	}
}

func TestCheckUpdate(t *testing.T) {
	app := sparkleApp(t)
	u, err := csig.CheckUpdate(app, app, "")
	if err != nil {
		t.Fatal(err)
	}
	defer u.Close()
	if u.Verdict != csig.UpdateYes || u.Implicit || !strings.Contains(u.Requirement, "ZCK58M894E") ||
		len(u.Evals) != 1 || u.Evals[0].Which != "designated" || !u.Evals[0].Result.Satisfied() {
		t.Errorf("self update %+v", u)
	}
	x, err := csig.CheckUpdate(app, app, `certificate leaf[subject.CN] = "Developer ID Application: Mayur Pawashe"`)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if x.Verdict != csig.UpdateNo || x.Verdict.String() != "no" || len(x.Evals) != 2 ||
		!strings.Contains(x.Reason, "Developer ID Application: Mayur Pawashe (ZCK58M894E)") {
		t.Errorf("pinned CN: %+v", x)
	}
	doc, err := x.JSON(csig.JSONPretty)
	var m map[string]any
	if err != nil || json.Unmarshal(doc, &m) != nil {
		t.Errorf("JSON %v", err)
	}
	if _, err := csig.CheckUpdate(app, app, "anchor apple and ("); !errors.Is(err, csig.ErrSyntax) {
		t.Errorf("syntax: %v", err)
	}
	if _, err := csig.CheckUpdate(app, filepath.Join(t.TempDir(), "none"), ""); !errors.Is(err, csig.ErrIO) {
		t.Errorf("missing: %v", err)
	}
}

// TestNewHandlesCloseRace: calls on profiles, bundles, zips and the objects
// borrowed from them race with Close; none may touch freed memory.
func TestNewHandlesCloseRace(t *testing.T) {
	dir := realDir(t)
	for round := 0; round < 5; round++ {
		p, err := csig.OpenProfile(filepath.Join(dir, "fastlane", "very-capable-app.app", "embedded.mobileprovision"))
		if err != nil {
			t.Fatal(err)
		}
		b, err := csig.OpenBundle(sparkleApp(t), nil)
		if err != nil {
			t.Fatal(err)
		}
		z, err := csig.OpenZip(testdata("zip", "deflated.zip"), nil)
		if err != nil {
			t.Fatal(err)
		}
		f, err := csig.Open(filepath.Join(dir, "fastlane", "very-capable-app.app", "very-capable-app"))
		if err != nil {
			t.Fatal(err)
		}
		certs := p.Certificates()
		exe := b.Executable()
		s0 := f.Slices()[0]
		var wg sync.WaitGroup
		for g := 0; g < 6; g++ {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				for i := 0; i < 20; i++ {
					switch g % 3 {
					case 0:
						if r, err := p.Check(time.Time{}); err == nil && r.Verdict != csig.ProfileUntrusted {
							t.Errorf("verdict %v", r.Verdict)
						}
						for _, c := range certs {
							_ = c.SubjectCN()
						}
						if m, err := p.Match(s0); err == nil {
							m.JSON(false)
							m.Close()
						}
					case 1:
						for _, s := range exe.Slices() {
							if sig := s.Signature(); sig != nil {
								if m := sig.ParsedCMS(); m != nil {
									_ = len(m.Chain())
								}
							}
						}
						_ = b.InfoPlist().Root().Len()
					case 2:
						for _, e := range z.Entries() {
							z.Extract(e.Index)
						}
					}
				}
			}(g)
		}
		time.Sleep(time.Duration(round) * time.Millisecond)
		p.Close()
		b.Close()
		z.Close()
		f.Close()
		wg.Wait()
	}
}
