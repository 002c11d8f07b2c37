package csig_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"libcsig.dev/csig"
)

// repo is the libcsig checkout this module sits in (bindings/go).
var repo = filepath.Join("..", "..")

func testdata(parts ...string) string {
	return filepath.Join(append([]string{repo, "testdata"}, parts...)...)
}

// expected.json / expected-real.json (see testdata/README.md).
type expectedFile struct {
	FormatVersion int                       `json:"format_version"`
	Fixtures      map[string]map[string]any `json:"fixtures"`
	ZipMembers    map[string]map[string]any `json:"zip_members"`
}

func loadExpected(t *testing.T, name string) expectedFile {
	t.Helper()
	raw, err := os.ReadFile(testdata(name))
	if err != nil {
		t.Fatalf("read %s: %v", name, err)
	}
	var e expectedFile
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&e); err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	if len(e.Fixtures) == 0 {
		t.Fatalf("%s lists no fixtures", name)
	}
	return e
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// num reads a JSON number (or "0x..." string) as uint64; negative values
// are taken modulo 2^64 so int32 fields compare as their uint32 bits.
func num(t *testing.T, v any) uint64 {
	t.Helper()
	switch x := v.(type) {
	case json.Number:
		if u, err := strconv.ParseUint(x.String(), 10, 64); err == nil {
			return u
		}
		i, err := strconv.ParseInt(x.String(), 10, 64)
		if err != nil {
			t.Fatalf("bad number %v", x)
		}
		return uint64(i)
	case string:
		u, err := strconv.ParseUint(strings.TrimPrefix(x, "0x"), 16, 64)
		if err != nil {
			t.Fatalf("bad hex %q", x)
		}
		return u
	}
	t.Fatalf("not a number: %#v", v)
	return 0
}

type checker struct {
	t    *testing.T
	name string
}

func (c checker) eq(field string, got, want any) {
	c.t.Helper()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		c.t.Errorf("%s: %s = %v, want %v", c.name, field, got, want)
	}
}

// num compares a number; a field absent from the record (nil) is skipped,
// as expected-real.json keeps some header fields only under "header".
func (c checker) num(field string, got uint64, want any) {
	c.t.Helper()
	if want == nil {
		return
	}
	if w := num(c.t, want); got != w {
		c.t.Errorf("%s: %s = %d (0x%x), want %d (0x%x)", c.name, field, got, got, w, w)
	}
}

// checkRecord compares one opened file with its expected record.
//
// strict: the verdict must equal the records' "every slice signed and every
// hash matches" (the generated fixtures); otherwise (real files, which carry
// CMS chains and cross-slice facts) a valid record only forbids hash findings.
func checkRecord(t *testing.T, name string, f *csig.File, rec map[string]any, strict bool) {
	t.Helper()
	c := checker{t, name}
	c.num("size", f.Size(), rec["size"])
	data := f.Bytes()
	sum, err := csig.Digest(csig.HashSHA256, data)
	if err != nil {
		t.Fatalf("%s: Digest: %v", name, err)
	}
	c.eq("sha256", hex.EncodeToString(sum), rec["sha256"])
	switch rec["format"] {
	case "thin":
		c.eq("kind", f.Kind(), csig.KindThin)
		c.eq("fat magic", f.FatMagic(), 0)
	case "fat":
		c.eq("kind", f.Kind(), csig.KindFat)
		c.eq("fat magic", f.FatMagic(), 0xcafebabe)
	case "fat64":
		c.eq("kind", f.Kind(), csig.KindFat)
		c.eq("fat magic", f.FatMagic(), 0xcafebabf)
	}
	wantSlices := rec["slices"].([]any)
	slices := f.Slices()
	c.eq("slice count", len(slices), len(wantSlices))
	c.eq("NumSlices", f.NumSlices(), len(wantSlices))
	wantValid := len(wantSlices) > 0
	for i, ws := range wantSlices {
		if i >= len(slices) {
			break
		}
		w := ws.(map[string]any)
		if w["signed"] != true || w["all_hashes_match"] != true {
			wantValid = false
		}
		checkSlice(t, fmt.Sprintf("%s slice %d", name, i), slices[i], w)
	}
	r, err := f.Verify(nil)
	if err != nil {
		t.Fatalf("%s: Verify: %v", name, err)
	}
	defer r.Close()
	hashProblem := false
	for _, fd := range r.Findings() {
		if hashFindings[fd.ID] {
			hashProblem = true
			if wantValid {
				t.Errorf("%s: hashes all match, but finding %+v", name, fd)
			}
		}
	}
	switch {
	case r.Valid() == wantValid:
	case !wantValid:
		t.Errorf("%s: Valid() = true, want false (unsigned slice or hash mismatch)", name)
	case strict || hashProblem:
		t.Errorf("%s: Valid() = false, want true; findings %+v", name, r.Findings())
	default:
		// The records judge hashes only; libcsig also judges the CMS
		// chain, team and fat-entry consistency.
		for _, fd := range r.Findings() {
			if fd.Severity == csig.SevError {
				t.Logf("%s: hashes match; invalid for %s: %s", name, fd.ID, fd.Message)
			}
		}
	}
}

// Findings that mean a hash does not match or cannot be checked.
var hashFindings = map[string]bool{
	"page-hash-mismatch":         true,
	"page-hash-mismatch-summary": true,
	"special-slot-mismatch":      true,
	"special-slot-blob-missing":  true,
	"no-codedirectory":           true,
	"codedirectory-malformed":    true,
	"signature-malformed":        true,
	"unsupported-hash-type":      true,
}

func checkSlice(t *testing.T, name string, s *csig.Slice, w map[string]any) {
	t.Helper()
	c := checker{t, name}
	c.num("index", uint64(s.Index()), w["index"])
	c.num("fat cputype", uint64(uint32(s.FatCPUType())), w["cputype"])
	c.num("fat cpusubtype", uint64(uint32(s.FatCPUSubtype())), w["cpusubtype"])
	c.num("offset", s.Offset(), w["offset"])
	c.num("size", s.Size(), w["size"])
	c.num("filetype", uint64(s.Filetype()), w["filetype"])
	c.num("flags", uint64(s.Flags()), w["flags"])
	c.num("ncmds", uint64(s.NCmds()), w["ncmds"])
	c.num("sizeofcmds", uint64(s.SizeOfCmds()), w["sizeofcmds"])
	if h, ok := w["header"].(map[string]any); ok {
		c.num("cputype", uint64(uint32(s.CPUType())), h["cputype"])
		c.num("cpusubtype", uint64(uint32(s.CPUSubtype())), h["cpusubtype"])
		// Magic() is the value as stored; the record holds it in the
		// header's own byte order.
		magic := s.Magic()
		if s.BigEndian() {
			magic = magic>>24 | magic>>8&0xff00 | magic<<8&0xff0000 | magic<<24
		}
		c.num("magic", uint64(magic), h["magic"])
		c.num("header filetype", uint64(s.Filetype()), h["filetype"])
		c.num("header flags", uint64(s.Flags()), h["flags"])
		c.num("header ncmds", uint64(s.NCmds()), h["ncmds"])
		c.num("header sizeofcmds", uint64(s.SizeOfCmds()), h["sizeofcmds"])
		c.eq("big endian", s.BigEndian(), h["byte_order"] == "big")
	}
	if s.Arch() == "" {
		t.Errorf("%s: empty Arch()", name)
	}
	if want, ok := w["load_commands"].([]any); ok {
		lcs := s.LoadCommands()
		c.eq("load command count", len(lcs), len(want))
		names, _ := w["load_command_names"].([]any)
		for i := range want {
			if i >= len(lcs) {
				break
			}
			c.num(fmt.Sprintf("lc %d cmd", i), uint64(lcs[i].Cmd), want[i])
			if i < len(names) && lcs[i].Name != "" {
				c.eq(fmt.Sprintf("lc %d name", i), lcs[i].Name, names[i])
			}
		}
	}
	dataoff, datasize, err := s.CodeSignature()
	if cs, ok := w["code_signature"].(map[string]any); ok {
		if err != nil {
			t.Errorf("%s: CodeSignature: %v", name, err)
		} else {
			c.num("dataoff", uint64(dataoff), cs["dataoff"])
			c.num("datasize", uint64(datasize), cs["datasize"])
		}
	} else if !errors.Is(err, csig.ErrNotFound) {
		t.Errorf("%s: CodeSignature error %v, want ErrNotFound", name, err)
	}
	if has, ok := w["has_info_plist_section"].(bool); ok {
		ip, err := s.InfoPlist()
		c.eq("has __info_plist", err == nil && len(ip) > 0, has)
	}
	sig := s.Signature()
	signed, _ := w["signed"].(bool)
	if !signed {
		if sig != nil && len(sig.CodeDirectories()) > 0 {
			t.Errorf("%s: unsigned slice has a CodeDirectory", name)
		}
		return
	}
	if sig == nil {
		t.Errorf("%s: Signature() = nil for a signed slice", name)
		return
	}
	if sb, ok := w["superblob"].(map[string]any); ok {
		c.num("superblob length", uint64(len(sig.Bytes())), sb["length"])
		blobs := sig.Blobs()
		c.num("blob count", uint64(len(blobs)), sb["count"])
		for i, we := range sb["entries"].([]any) {
			if i >= len(blobs) {
				break
			}
			e := we.(map[string]any)
			b := blobs[i]
			c.num(fmt.Sprintf("blob %d type", i), uint64(b.Type), e["type"])
			c.num(fmt.Sprintf("blob %d offset", i), uint64(b.Offset), e["offset"])
			c.num(fmt.Sprintf("blob %d magic", i), uint64(b.Magic), e["magic"])
			c.num(fmt.Sprintf("blob %d length", i), uint64(b.Length), e["length"])
			c.eq(fmt.Sprintf("blob %d file offset", i), b.FileOffset, sig.FileOffset()+uint64(b.Offset))
		}
	}
	cds := sig.CodeDirectories()
	wcds := w["code_directories"].([]any)
	c.eq("CD count", len(cds), len(wcds))
	for i, wc := range wcds {
		if i >= len(cds) {
			break
		}
		checkCD(t, fmt.Sprintf("%s CD %d", name, i), cds[i], wc.(map[string]any))
	}
	best := sig.BestCD()
	if best == nil {
		t.Errorf("%s: BestCD() = nil", name)
		return
	}
	c.num("best CD slot", uint64(best.Slot()), w["best_cd_slot"])
	h := best.CDHash()
	c.eq("cdhash", hex.EncodeToString(h[:]), w["cdhash"])
}

func checkCD(t *testing.T, name string, cd *csig.CodeDirectory, w map[string]any) {
	t.Helper()
	c := checker{t, name}
	c.num("slot", uint64(cd.Slot()), w["slot"])
	c.num("length", uint64(len(cd.Bytes())), w["length"])
	c.num("version", uint64(cd.Version()), w["version"])
	c.num("flags", uint64(cd.Flags()), w["flags"])
	c.num("hashType", uint64(cd.HashType()), w["hashType"])
	c.num("hashSize", uint64(cd.HashSize()), w["hashSize"])
	c.num("pageSize", uint64(cd.PageShift()), w["pageSize"])
	c.num("nSpecialSlots", uint64(cd.NSpecialSlots()), w["nSpecialSlots"])
	c.num("nCodeSlots", uint64(cd.NCodeSlots()), w["nCodeSlots"])
	c.num("signingLimit", cd.CodeLimit(), w["signingLimit"])
	c.num("platform", uint64(cd.Platform()), w["platform"])
	c.eq("identifier", cd.Identifier(), w["identifier"])
	if team, ok := w["teamID"].(string); ok {
		c.eq("teamID", cd.TeamID(), team)
	} else {
		c.eq("teamID", cd.TeamID(), "")
	}
	if v, ok := w["runtime"]; ok {
		c.num("runtime", uint64(cd.Runtime()), v)
	}
	if v, ok := w["execSegFlags"]; ok {
		es, err := cd.ExecSegment()
		if err != nil {
			t.Errorf("%s: ExecSegment: %v", name, err)
		} else {
			c.num("execSegBase", es.Base, w["execSegBase"])
			c.num("execSegLimit", es.Limit, w["execSegLimit"])
			c.num("execSegFlags", es.Flags, v)
		}
	} else if _, err := cd.ExecSegment(); !errors.Is(err, csig.ErrNotFound) {
		t.Errorf("%s: ExecSegment error %v, want ErrNotFound", name, err)
	}
	h := cd.CDHash()
	c.eq("cdhash", hex.EncodeToString(h[:]), w["cdhash"])
	full, err := cd.CDHashFull()
	if err != nil {
		t.Errorf("%s: CDHashFull: %v", name, err)
	}
	c.eq("cdhash_full", hex.EncodeToString(full), w["cdhash_full"])
	if ns := cd.NSpecialSlots(); ns > 0 {
		if hs, err := cd.SlotHash(-int(ns)); err != nil || len(hs) != cd.HashSize() {
			t.Errorf("%s: SlotHash(%d) = %d bytes, %v", name, -int(ns), len(hs), err)
		}
	}
	if nc := cd.NCodeSlots(); nc > 0 {
		if hs, err := cd.SlotHash(int(nc) - 1); err != nil || len(hs) != cd.HashSize() {
			t.Errorf("%s: SlotHash(%d) = %d bytes, %v", name, nc-1, len(hs), err)
		}
		if _, err := cd.SlotHash(int(nc)); !errors.Is(err, csig.ErrNotFound) {
			t.Errorf("%s: SlotHash past the end: %v, want ErrNotFound", name, err)
		}
	}
}

func TestGoodFixtures(t *testing.T) {
	exp := loadExpected(t, "expected.json")
	for _, key := range sortedKeys(exp.Fixtures) {
		rec := exp.Fixtures[key]
		path := testdata(key)
		t.Run(key, func(t *testing.T) {
			t.Parallel()
			f, err := csig.Open(path)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer f.Close()
			checkRecord(t, key+" (Open)", f, rec, true)

			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			g, err := csig.OpenBytes(data)
			if err != nil {
				t.Fatalf("OpenBytes: %v", err)
			}
			for i := range data { // the library copied the input
				data[i] = 0
			}
			checkRecord(t, key+" (OpenBytes)", g, rec, true)
			if err := g.Close(); err != nil {
				t.Errorf("Close: %v", err)
			}
		})
	}
}

// realDir is $CSIG_FIXTURES_REAL, default ../shared/fixtures-real beside
// the repository; the test skips when it is absent, except in CI.
func realDir(t *testing.T) string {
	dir := os.Getenv("CSIG_FIXTURES_REAL")
	if dir == "" {
		dir = filepath.Join(repo, "..", "shared", "fixtures-real")
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		if os.Getenv("CI") == "true" {
			t.Fatalf("real fixtures not found at %s (set CSIG_FIXTURES_REAL)", dir)
		}
		t.Skipf("real fixtures not found at %s; set CSIG_FIXTURES_REAL to run this test", dir)
	}
	return dir
}

func TestRealFixtures(t *testing.T) {
	dir := realDir(t)
	exp := loadExpected(t, "expected-real.json")
	for _, key := range sortedKeys(exp.Fixtures) {
		rec := exp.Fixtures[key]
		t.Run(key, func(t *testing.T) {
			t.Parallel()
			f, err := csig.Open(filepath.Join(dir, filepath.FromSlash(key)))
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer f.Close()
			checkRecord(t, key, f, rec, false)
		})
	}
	for _, key := range sortedKeys(exp.ZipMembers) {
		rec := exp.ZipMembers[key]
		t.Run(key, func(t *testing.T) {
			t.Parallel()
			archive, member, _ := strings.Cut(key, "!")
			data := readZipMember(t, filepath.Join(dir, filepath.FromSlash(archive)), member)
			f, err := csig.OpenBytes(data)
			if err != nil {
				t.Fatalf("OpenBytes: %v", err)
			}
			defer f.Close()
			checkRecord(t, key, f, rec, false)
		})
	}
}

func readZipMember(t *testing.T, archive, member string) []byte {
	t.Helper()
	zr, err := zip.OpenReader(archive)
	if err != nil {
		t.Fatalf("open %s: %v", archive, err)
	}
	defer zr.Close()
	for _, zf := range zr.File {
		if zf.Name == member {
			rc, err := zf.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			data, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return data
		}
	}
	t.Fatalf("%s has no member %s", archive, member)
	return nil
}

// cliPath is the csig tool built by `make build/csig` ($CSIG_CLI overrides).
func cliPath(t *testing.T) string {
	p := os.Getenv("CSIG_CLI")
	if p == "" {
		p = filepath.Join(repo, "build", "csig")
	}
	if _, err := os.Stat(p); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("csig CLI not found at %s (make build/csig)", p)
		}
		t.Skipf("csig CLI not found at %s; run make build/csig", p)
	}
	return p
}

// TestJSONMatchesCLI: File.JSON and VerifyResult.JSON are the bytes the
// CLI prints for `info --json` and `verify --json` (plus its newline).
func TestJSONMatchesCLI(t *testing.T) {
	cli := cliPath(t)
	exp := loadExpected(t, "expected.json")
	for _, key := range sortedKeys(exp.Fixtures) {
		path := testdata(key)
		t.Run(key, func(t *testing.T) {
			t.Parallel()
			f, err := csig.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()

			want, err := exec.Command(cli, "info", "--json", path).Output()
			if err != nil {
				t.Fatalf("csig info --json: %v", err)
			}
			got, err := f.JSON(-1, csig.JSONPretty)
			if err != nil {
				t.Fatalf("JSON: %v", err)
			}
			if !bytes.Equal(append(got, '\n'), want) {
				t.Errorf("File.JSON differs from `csig info --json`:\n%s", firstDiff(append(got, '\n'), want))
			}
			if !json.Valid(got) {
				t.Errorf("File.JSON is not valid JSON")
			}

			for i, s := range f.Slices() {
				want, err := exec.Command(cli, "info", "--json", "--arch", s.Arch(), path).Output()
				if err != nil {
					t.Fatalf("csig info --json --arch %s: %v", s.Arch(), err)
				}
				if first, _ := f.FindSlice(s.Arch()); first.Index() != i {
					continue // --arch picks the first slice of that name
				}
				got, err := f.JSON(i, csig.JSONPretty)
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(append(got, '\n'), want) {
					t.Errorf("File.JSON(%d) differs from `csig info --json --arch %s`:\n%s",
						i, s.Arch(), firstDiff(append(got, '\n'), want))
				}
			}

			// `csig verify` exits 1 for an invalid file but still prints.
			want, _ = exec.Command(cli, "verify", "--json", path).Output()
			r, err := f.Verify(nil)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			got, err = r.JSON(csig.JSONPretty)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(append(got, '\n'), want) {
				t.Errorf("VerifyResult.JSON differs from `csig verify --json`:\n%s", firstDiff(append(got, '\n'), want))
			}
		})
	}
}

func firstDiff(got, want []byte) string {
	g := strings.Split(string(got), "\n")
	w := strings.Split(string(want), "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b || i >= len(g) || i >= len(w) {
			return fmt.Sprintf("line %d:\n  go : %q\n  cli: %q", i+1, a, b)
		}
	}
	return "(equal lines, different bytes)"
}

// badCase is one line of testdata/bad/MANIFEST.tsv.
type badCase struct{ file, expect, ideal string }

func loadManifest(t *testing.T) []badCase {
	fh, err := os.Open(testdata("bad", "MANIFEST.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer fh.Close()
	var out []badCase
	sc := bufio.NewScanner(fh)
	for first := true; sc.Scan(); first = false {
		cols := strings.Split(sc.Text(), "\t")
		if first || len(cols) < 3 || cols[0] == "" {
			continue
		}
		out = append(out, badCase{cols[0], cols[1], cols[2]})
	}
	if len(out) == 0 {
		t.Fatal("MANIFEST.tsv lists no files")
	}
	return out
}

// Sentinels acceptable for each MANIFEST category when Open fails.
// "not-macho" inputs too short for a magic are CSIG_E_TRUNCATED; a range
// that runs past the end of the input is reported as CSIG_E_BADOFFSET or
// CSIG_E_TRUNCATED (the manifest's `ideal` column names the numbers).
var badSentinels = map[string][]error{
	"not-macho": {csig.ErrBadMagic, csig.ErrTruncated},
	"truncated": {csig.ErrTruncated, csig.ErrBadOffset},
	"malformed": {csig.ErrBadValue, csig.ErrBadOffset, csig.ErrOverflow, csig.ErrLimit,
		csig.ErrTruncated, csig.ErrUnsupported},
}

// Files where libcsig's error differs from the manifest's category, known
// and reported; the test logs them rather than failing.
var badKnownDeviations = map[string]error{
	// FAT_MAGIC_64 with nfat_arch 2^32-1: the library applies the
	// Java-class rule of 0xcafebabe and says CSIG_E_BADMAGIC, the manifest
	// says truncated.
	"fat64-nfat-huge": csig.ErrBadMagic,
}

func TestBadFiles(t *testing.T) {
	for _, bc := range loadManifest(t) {
		path := testdata("bad", bc.file)
		t.Run(bc.file, func(t *testing.T) {
			t.Parallel()
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f, err := csig.Open(path)
			g, errB := csig.OpenBytes(data)
			if (err == nil) != (errB == nil) {
				t.Fatalf("Open error %v but OpenBytes error %v", err, errB)
			}
			if err != nil {
				var ce *csig.Error
				if !errors.As(err, &ce) {
					t.Fatalf("error %T is not *csig.Error: %v", err, err)
				}
				if ce.Name != csig.ErrName(ce.Code) || ce.Msg == "" {
					t.Errorf("incomplete error %#v", ce)
				}
				if !errors.Is(errB, ce) {
					t.Errorf("Open and OpenBytes disagree: %v / %v", err, errB)
				}
				allowed := badSentinels[bc.expect]
				if bc.expect == "finding" || allowed == nil {
					t.Fatalf("%s input (%s) must open, got %v", bc.expect, bc.ideal, err)
				}
				ok := false
				for _, s := range allowed {
					ok = ok || errors.Is(err, s)
				}
				if dev := badKnownDeviations[bc.file]; !ok && dev != nil && errors.Is(err, dev) {
					t.Logf("known deviation: %v (manifest: %s)", err, bc.ideal)
					ok = true
				}
				if !ok {
					t.Errorf("error %v does not match any sentinel allowed for %q (%s)", err, bc.expect, bc.ideal)
				}
				return
			}
			defer f.Close()
			defer g.Close()
			if bc.expect == "not-macho" || bc.expect == "truncated" && bc.file == "three-bytes" {
				t.Fatalf("%s input opened without error", bc.expect)
			}
			// The file opened: the problem must be reported as data.
			r, err := f.Verify(nil)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			defer r.Close()
			findings := append(f.Findings(), r.Findings()...)
			if r.Valid() && bc.file != "fat-cputype-mismatch" {
				t.Errorf("%s input (%s) verifies as valid; findings %+v", bc.expect, bc.ideal, findings)
			}
			if len(findings) == 0 {
				t.Errorf("%s input (%s) opened with no finding", bc.expect, bc.ideal)
			}
			for _, fd := range findings {
				if fd.ID == "" || fd.Message == "" {
					t.Errorf("incomplete finding %+v", fd)
				}
			}
			if _, err := f.JSON(-1, csig.JSONPretty); err != nil {
				t.Errorf("JSON: %v", err)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	// Every code the library names has a sentinel with that name.
	for code := -200; code < 0; code++ {
		name := csig.ErrName(code)
		if name == "CSIG_E_UNKNOWN" {
			if csig.Sentinel(code) != nil {
				t.Errorf("sentinel for unknown code %d", code)
			}
			continue
		}
		s := csig.Sentinel(code)
		if s == nil {
			t.Errorf("no sentinel for %s (%d)", name, code)
			continue
		}
		if s.Name != name || s.Code != code || s.Msg != csig.StrError(code) {
			t.Errorf("sentinel %#v for %s", s, name)
		}
	}
	for code, s := range map[int]*csig.Error{
		csig.CodeTruncated: csig.ErrTruncated, csig.CodeBadMagic: csig.ErrBadMagic,
		csig.CodeNotFound: csig.ErrNotFound, csig.CodeIO: csig.ErrIO,
	} {
		if s.Code != code {
			t.Errorf("%s has code %d, want %d", s.Name, s.Code, code)
		}
	}

	_, err := csig.Open(filepath.Join(t.TempDir(), "missing"))
	if !errors.Is(err, csig.ErrIO) || errors.Is(err, csig.ErrTruncated) {
		t.Errorf("Open(missing) = %v, want ErrIO", err)
	}
	// An empty input is "not Mach-O" (csig_file_open); a cut header is truncated.
	_, err = csig.OpenBytes(nil)
	if !errors.Is(err, csig.ErrBadMagic) {
		t.Errorf("OpenBytes(nil) = %v, want ErrBadMagic", err)
	}
	_, err = csig.OpenBytes([]byte("\xcf\xfa\xed\xfe\x0c\x00\x00\x01"))
	var ce *csig.Error
	if !errors.As(err, &ce) || !errors.Is(err, csig.ErrTruncated) {
		t.Errorf("OpenBytes(cut header) = %v, want ErrTruncated", err)
	} else if !strings.Contains(err.Error(), "CSIG_E_TRUNCATED") {
		t.Errorf("Error() = %q lacks the name", err.Error())
	}
	_, err = csig.OpenBytes([]byte("\xca\xfe\xba\xbe\x00\x00\x00\x34"))
	if !errors.Is(err, csig.ErrBadMagic) {
		t.Errorf("Java class: %v, want ErrBadMagic", err)
	} else if errors.As(err, &ce) && ce.Offset == 0 && !strings.Contains(ce.Msg, "Java") {
		t.Errorf("Java class error lacks detail: %#v", ce)
	}
}

func TestVersion(t *testing.T) {
	if csig.VersionNumber()/10000 != csig.VersionMajor {
		t.Errorf("loaded %d, compiled against major %d", csig.VersionNumber(), csig.VersionMajor)
	}
	want := fmt.Sprintf("%d.%d.%d", csig.VersionMajor, csig.VersionMinor, csig.VersionPatch)
	if csig.Version() != want {
		t.Errorf("Version() = %q, want %q", csig.Version(), want)
	}
}

func TestClose(t *testing.T) {
	f, err := csig.Open(testdata("good", "pysigned-arm64"))
	if err != nil {
		t.Fatal(err)
	}
	s := f.Slices()[0]
	sig := s.Signature()
	cd := sig.BestCD()
	r, err := f.Verify(&csig.VerifyOptions{Jobs: 1, OneSlice: true, Slice: 0})
	if err != nil {
		t.Fatal(err)
	}
	if !r.Valid() {
		t.Errorf("pysigned-arm64 invalid: %+v", r.Findings())
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil { // idempotent
		t.Fatal(err)
	}
	if f.NumSlices() != 0 || f.Kind() != 0 || s.Arch() != "" || cd.Identifier() != "" || sig.Blobs() != nil {
		t.Error("getters of a closed file returned data")
	}
	if _, err := f.JSON(-1, 0); !errors.Is(err, csig.ErrClosed) {
		t.Errorf("JSON after Close: %v", err)
	}
	if _, err := cd.CDHashFull(); !errors.Is(err, csig.ErrClosed) {
		t.Errorf("CDHashFull after Close: %v", err)
	}
	if _, err := r.JSON(0); !errors.Is(err, csig.ErrClosed) {
		t.Errorf("VerifyResult.JSON after its file closed: %v", err)
	}
	if !r.Valid() || len(r.Findings()) != len(r.Findings()) {
		t.Error("result lost its verdict")
	}
	r.Close()
	r.Close()
	if _, err := f.Verify(nil); !errors.Is(err, csig.ErrClosed) {
		t.Errorf("Verify after Close: %v", err)
	}
}

func TestAccessors(t *testing.T) {
	f, err := csig.Open(testdata("good", "fat-arm64-x86_64"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s, err := f.FindSlice("arm64")
	if err != nil {
		t.Fatal(err)
	}
	if s.Arch() != "arm64" || s.Offset() != 0x8000 || !s.Is64() || s.BigEndian() {
		t.Errorf("arm64 slice: arch %s offset %#x", s.Arch(), s.Offset())
	}
	if _, err := f.FindSlice("ppc64"); !errors.Is(err, csig.ErrNotFound) {
		t.Errorf("FindSlice(ppc64) = %v", err)
	}
	if _, err := f.Slice(2); !errors.Is(err, csig.ErrNotFound) {
		t.Errorf("Slice(2) = %v", err)
	}
	if s.File() != f {
		t.Error("Slice.File")
	}
	if u, err := s.UUID(); err != nil || u == [16]byte{} {
		t.Errorf("UUID = %x, %v", u, err)
	}
	bv, err := s.BuildVersion()
	if err != nil || bv.PlatformName != "macOS" || bv.MinOS == 0 {
		t.Errorf("BuildVersion = %+v, %v", bv, err)
	}
	if got := len(s.Bytes()); uint64(got) != s.Size() {
		t.Errorf("Bytes() has %d bytes, Size() %d", got, s.Size())
	}
	if csig.FiletypeName(s.Filetype()) != "MH_EXECUTE" || csig.LoadCommandName(0x19) != "LC_SEGMENT_64" {
		t.Error("names")
	}
	if !strings.Contains(csig.MachHeaderFlagsString(s.Flags()), "MH_PIE") {
		t.Errorf("MachHeaderFlagsString(%#x) = %q", s.Flags(), csig.MachHeaderFlagsString(s.Flags()))
	}
	cd := s.Signature().BestCD()
	if got := csig.CDFlagsString(cd.Flags()); got != "adhoc,linker-signed" {
		t.Errorf("CDFlagsString = %q", got)
	}
	if csig.HashTypeName(cd.HashType()) != "sha256" || cd.PageSize() != 4096 {
		t.Errorf("hash %s page %d", csig.HashTypeName(cd.HashType()), cd.PageSize())
	}
	if csig.SlotName(csig.SlotCodeDirectory) != "CodeDirectory" {
		t.Errorf("SlotName(0) = %q", csig.SlotName(0))
	}
	if csig.ArchName(0x0100000c, 0) != "arm64" {
		t.Error("ArchName")
	}
	if _, err := s.Signature().CMS(); !errors.Is(err, csig.ErrNotFound) {
		t.Errorf("CMS of a linker signature: %v", err)
	}
	if _, err := csig.Digest(99, nil); !errors.Is(err, csig.ErrUnsupported) && !errors.Is(err, csig.ErrInval) {
		t.Errorf("Digest(99) = %v", err)
	}
	r, err := f.Verify(&csig.VerifyOptions{OneSlice: true, Slice: 5})
	if !errors.Is(err, csig.ErrInval) {
		t.Errorf("Verify(slice 5) = %v, %v", r, err)
	}
}

// TestConcurrent shares one handle between many goroutines (run with -race),
// with one goroutine closing it at the end.
func TestConcurrent(t *testing.T) {
	f, err := csig.Open(testdata("good", "fat64"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := f.JSON(-1, csig.JSONPretty|csig.JSONLoadCommands)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 64)
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 10; i++ {
				got, err := f.JSON(-1, csig.JSONPretty|csig.JSONLoadCommands)
				if err != nil || !bytes.Equal(got, want) {
					errs <- fmt.Errorf("goroutine %d: JSON differs (%v)", g, err)
					return
				}
				for _, s := range f.Slices() {
					sig := s.Signature()
					if sig == nil || sig.BestCD().Identifier() == "" || len(s.LoadCommands()) == 0 {
						errs <- fmt.Errorf("goroutine %d: slice %d lost data", g, s.Index())
						return
					}
				}
				if i%5 == 0 {
					r, err := f.Verify(&csig.VerifyOptions{Jobs: 2})
					if err != nil || !r.Valid() {
						errs <- fmt.Errorf("goroutine %d: verify %v", g, err)
						return
					}
					r.Close()
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// Close racing with readers: readers see data or ErrClosed, never freed memory.
	s := f.Slices()[1]
	var wg2 sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg2.Add(1)
		go func() {
			defer wg2.Done()
			for i := 0; i < 50; i++ {
				if _, err := f.JSON(0, 0); err != nil && !errors.Is(err, csig.ErrClosed) {
					t.Error(err)
				}
				_ = s.Arch()
			}
		}()
	}
	f.Close()
	wg2.Wait()
}

// TestFinalizers drops unclosed handles and children and collects them:
// the finalizers must free each C object once, children must keep their
// parent alive.
func TestFinalizers(t *testing.T) {
	var keep []*csig.CodeDirectory
	for i := 0; i < 50; i++ {
		f, err := csig.Open(testdata("good", "adhoc-arm64"))
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			keep = append(keep, f.Slices()[0].Signature().BestCD())
		}
		if _, err := f.Verify(&csig.VerifyOptions{Jobs: 1}); err != nil {
			t.Fatal(err)
		}
	}
	runtime.GC()
	runtime.GC()
	for _, cd := range keep {
		if cd.Identifier() != "adhoc-arm64" {
			t.Fatalf("a child outlived its file: %q", cd.Identifier())
		}
	}
	runtime.KeepAlive(keep)
}
