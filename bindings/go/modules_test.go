package csig_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"libcsig.dev/csig"
)

// sentinelByName maps "CSIG_E_BADVALUE" to its sentinel.
func sentinelByName(t *testing.T, name string) *csig.Error {
	t.Helper()
	for code := -200; code < 0; code++ {
		if csig.ErrName(code) == name {
			return csig.Sentinel(code)
		}
	}
	t.Fatalf("unknown error name %q", name)
	return nil
}

func TestPlistGood(t *testing.T) {
	files, _ := filepath.Glob(testdata("plist", "good", "*"))
	if len(files) == 0 {
		t.Skip("no testdata/plist/good")
	}
	jsonOf := map[string][]byte{}
	for _, path := range files {
		ext := filepath.Ext(path)
		if ext != ".xml" && ext != ".bplist" {
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := csig.ParsePlist(data, csig.PlistAny, nil)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(path), err)
			continue
		}
		want := csig.PlistXML
		if ext == ".bplist" {
			want = csig.PlistBinary
		}
		if doc.Format() != want || !bytes.Equal(doc.Source(), data) || doc.Root() == nil {
			t.Errorf("%s: format %d, source %d bytes", filepath.Base(path), doc.Format(), len(doc.Source()))
		}
		js, err := doc.JSON(nil, false)
		if err != nil || !json.Valid(js) {
			t.Errorf("%s: JSON %v", filepath.Base(path), err)
		}
		// Binary and XML renderings of one generated document agree.
		stem := strings.TrimSuffix(path, ext)
		if prev, ok := jsonOf[stem]; ok && !bytes.Equal(prev, js) {
			t.Errorf("%s: XML and binary forms give different JSON", filepath.Base(stem))
		}
		jsonOf[stem] = js
		xml, err := doc.XML(nil)
		if err != nil {
			t.Errorf("%s: XML: %v", filepath.Base(path), err)
		} else if again, err := csig.ParsePlist(xml, csig.PlistXML, nil); err != nil {
			t.Errorf("%s: re-parse of XML output: %v", filepath.Base(path), err)
		} else {
			js2, _ := again.JSON(nil, false)
			if !bytes.Equal(js, js2) {
				t.Errorf("%s: XML round trip changed the document", filepath.Base(path))
			}
			again.Close()
		}
		doc.Close()
		doc.Close()
		if doc.Root() != nil || doc.Findings() != nil {
			t.Errorf("closed document still answers")
		}
	}
}

func TestPlistValues(t *testing.T) {
	src := `<?xml version="1.0" encoding="UTF-8"?>
<plist version="1.0"><dict>
<key>s</key><string>h&amp;i</string><key>i</key><integer>-7</integer>
<key>b</key><true/><key>a</key><array><integer>1</integer><real>2.5</real></array>
<key>d</key><data>AAEC</data><key>t</key><date>2001-01-01T00:00:00Z</date>
<key>s</key><string>last</string>
</dict></plist>`
	doc, err := csig.ParsePlist([]byte(src), csig.PlistAny, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer doc.Close()
	root := doc.Root()
	if root.Type() != csig.PlistDict || root.Type().String() != "dict" || root.Len() != 7 {
		t.Fatalf("root %v len %d", root.Type(), root.Len())
	}
	if s, err := root.Get("s").StringValue(); err != nil || s != "last" {
		t.Errorf("s = %q, %v (the last duplicate wins)", s, err)
	}
	if k, v := root.Entry(0); k == nil || v == nil {
		t.Error("Entry(0)")
	} else if ks, _ := k.StringValue(); ks != "s" {
		t.Errorf("first key %q", ks)
	} else if vs, _ := v.StringValue(); vs != "h&i" {
		t.Errorf("first value %q", vs)
	}
	if i, err := root.Get("i").Int(); err != nil || i != -7 {
		t.Errorf("i = %d, %v", i, err)
	}
	if _, err := root.Get("i").Uint(); !errors.Is(err, csig.ErrOverflow) {
		t.Errorf("Uint(-7) = %v, want ErrOverflow", err)
	}
	if _, err := root.Get("i").StringValue(); !errors.Is(err, csig.ErrBadValue) {
		t.Errorf("StringValue of an integer = %v, want ErrBadValue", err)
	}
	if b, err := root.Get("b").Bool(); err != nil || !b {
		t.Errorf("b = %v, %v", b, err)
	}
	if r, err := root.Get("a").Index(1).Real(); err != nil || r != 2.5 {
		t.Errorf("a[1] = %v, %v", r, err)
	}
	if d, err := root.Get("d").Data(); err != nil || !bytes.Equal(d, []byte{0, 1, 2}) {
		t.Errorf("d = %x, %v", d, err)
	}
	if tm, err := root.Get("t").Date(); err != nil || !tm.Equal(time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("t = %v, %v", tm, err)
	}
	if root.Get("missing") != nil || root.Get("a").Index(5) != nil {
		t.Error("absent lookups return nodes")
	}
	found := false
	for _, f := range doc.Findings() {
		found = found || f.Name == "duplicate-key"
	}
	if !found {
		t.Errorf("no duplicate-key finding in %+v", doc.Findings())
	}
	if txt, err := doc.Text(root.Get("a")); err != nil || len(txt) == 0 {
		t.Errorf("Text: %v", err)
	}
}

func TestPlistBad(t *testing.T) {
	fh, err := os.Open(testdata("plist", "bad", "MANIFEST"))
	if err != nil {
		t.Skip("no testdata/plist/bad/MANIFEST")
	}
	defer fh.Close()
	sc := bufio.NewScanner(fh)
	n := 0
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 2 || strings.HasPrefix(f[0], "#") {
			continue
		}
		n++
		data, err := os.ReadFile(testdata("plist", "bad", f[0]))
		if err != nil {
			t.Fatal(err)
		}
		want := sentinelByName(t, f[1])
		doc, err := csig.ParsePlist(data, csig.PlistAny, nil)
		if err == nil {
			doc.Close()
		}
		if !errors.Is(err, want) {
			t.Errorf("%s: %v, want %s", f[0], err, f[1])
		}
	}
	if n == 0 {
		t.Error("empty plist MANIFEST")
	}
}

func TestEntitlementsAndRequirements(t *testing.T) {
	f, err := csig.Open(testdata("good", "pysigned-arm64"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sig := f.Slices()[0].Signature()
	ent, err := sig.Entitlements()
	if err != nil {
		t.Fatal(err)
	}
	defer ent.Close()
	if ent.Magic() != csig.EntMagicXML || ent.Root().Type() != csig.PlistDict || ent.Root().Len() == 0 {
		t.Errorf("entitlements: magic %#x, root %v", ent.Magic(), ent.Root().Type())
	}
	src, _ := os.ReadFile(testdata("src", "entitlements.plist"))
	if len(src) > 0 && !bytes.Equal(ent.Source(), src) {
		t.Errorf("entitlements source differs from src/entitlements.plist")
	}
	k, _ := ent.Root().Entry(0)
	key, _ := k.StringValue()
	if ent.Get(key) == nil {
		t.Errorf("Get(%q) = nil", key)
	}
	if _, err := ent.Bool("no.such.key"); !errors.Is(err, csig.ErrNotFound) {
		t.Errorf("Bool(absent) = %v", err)
	}
	if diffs, err := csig.CompareEntitlements(ent, ent); err != nil || len(diffs) != 0 {
		t.Errorf("self-compare: %v %v", diffs, err)
	}
	if _, err := sig.DEREntitlements(); !errors.Is(err, csig.ErrNotFound) {
		t.Errorf("DEREntitlements = %v, want ErrNotFound", err)
	}
	if _, err := sig.CMSSignature(); !errors.Is(err, csig.ErrNotFound) {
		t.Errorf("CMSSignature of an ad-hoc signature = %v", err)
	}

	set, err := sig.Requirements()
	if err != nil {
		t.Fatal(err)
	}
	if txt, err := set.Text(); set.Len() != 0 || err != nil || txt != "" {
		t.Errorf("empty set: %d entries, %q, %v", set.Len(), txt, err)
	}
	set.Close()

	blob, isSet, err := csig.CompileRequirement(`designated => identifier "com.example.app" and cdhash H"0123456789abcdef0123456789abcdef01234567"`)
	if err != nil || !isSet {
		t.Fatalf("compile set: %v %v", isSet, err)
	}
	set, err = csig.ParseRequirementSet(blob, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer set.Close()
	des := set.Find(csig.ReqTypeDesignated)
	if des == nil || set.Type(0) != csig.ReqTypeDesignated || csig.ReqTypeName(set.Type(0)) != "designated" {
		t.Fatal("no designated requirement")
	}
	text, err := des.Text()
	if err != nil || !strings.Contains(text, `identifier "com.example.app"`) {
		t.Errorf("Text = %q, %v", text, err)
	}
	one, isSet, err := csig.CompileRequirement(text)
	if err != nil || isSet || !bytes.Equal(one, des.Raw()) {
		t.Errorf("recompiled text differs: %v %v", isSet, err)
	}
	req, err := csig.ParseRequirement(one, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer req.Close()
	hash := [20]byte{0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0x01, 0x23, 0x45, 0x67}
	res, err := req.Eval(&csig.ReqContext{Identifier: "com.example.app", CDHashes: [][20]byte{hash}})
	if err != nil || res.Verdict != csig.ReqSatisfied || len(res.Trace) == 0 {
		t.Errorf("Eval = %+v, %v", res, err)
	}
	res, err = req.Eval(&csig.ReqContext{Identifier: "com.other"})
	if err != nil || res.Verdict != csig.ReqNotSatisfied || res.Verdict.String() != "not satisfied" {
		t.Errorf("Eval(other) = %+v, %v", res, err)
	}
	if _, _, err := csig.CompileRequirement(`identifier "x" and (`); !errors.Is(err, csig.ErrSyntax) {
		t.Errorf("bad text: %v, want ErrSyntax", err)
	}
	set.Close()
	if des.Raw() != nil {
		t.Error("requirement of a closed set still answers")
	}
}

// TestCMSReal reads Apple CMS signatures of the real fixtures.
func TestCMSReal(t *testing.T) {
	dir := realDir(t)
	f, err := csig.Open(filepath.Join(dir, "santa", "goodcert"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sig := f.Slices()[0].Signature()
	m, err := sig.CMSSignature()
	if err != nil {
		t.Fatal(err)
	}
	if !m.IsDetached() || m.ContentType() != "1.2.840.113549.1.7.1" || len(m.Certificates()) == 0 {
		t.Errorf("CMS: detached %v, type %s, %d certs", m.IsDetached(), m.ContentType(), len(m.Certificates()))
	}
	signers := m.Signers()
	if len(signers) != 1 || signers[0].Cert() == nil {
		t.Fatalf("%d signers", len(signers))
	}
	cd0 := sig.CodeDirectories()[0].Bytes()
	r, err := m.Verify(cd0, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if !r.DigestOK || !r.SignatureOK {
		t.Errorf("CMS verify: %+v", r)
	}
	if js, err := r.JSON(true); err != nil || !json.Valid(js) {
		t.Errorf("CMSResult.JSON: %v", err)
	}
	r.Close()
	r.Close()
	chain := m.Chain()
	if len(chain) == 0 {
		t.Fatal("empty chain")
	}
	leaf := chain[0]
	if leaf.SubjectCN() == "" || leaf.Subject() == "" || leaf.NotAfter().Before(leaf.NotBefore()) {
		t.Errorf("leaf: CN %q, %v..%v", leaf.SubjectCN(), leaf.NotBefore(), leaf.NotAfter())
	}
	pem, err := leaf.PEM()
	if err != nil || !strings.HasPrefix(pem, "-----BEGIN CERTIFICATE-----") {
		t.Errorf("PEM: %v", err)
	}
	own, err := csig.ParseCertificate(leaf.DER(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if own.SHA256() != leaf.SHA256() || own.SubjectCN() != leaf.SubjectCN() {
		t.Error("re-parsed leaf differs")
	}
	if len(chain) > 1 {
		if ok, err := leaf.VerifySignature(chain[1]); err != nil || !ok {
			t.Errorf("leaf not signed by its issuer: %v %v", ok, err)
		}
	}
	own.Close()
	own.Close()
	m.Close()
	if leaf.SubjectCN() != "" || m.Certificates() != nil {
		t.Error("certificate of a closed CMS still answers")
	}
}
