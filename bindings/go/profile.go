package csig

/*
#include <stdlib.h>
#include <csig.h>
*/
import "C"

import (
	"math"
	"os"
	"runtime"
	"time"
	"unsafe"
)

// ProfileContainer says how a provisioning profile was stored.
type ProfileContainer int

const (
	ProfileCMS        ProfileContainer = C.CSIG_PROFILE_CMS         // CMS SignedData with attached content
	ProfileBareXML    ProfileContainer = C.CSIG_PROFILE_BARE_XML    // unsigned XML plist
	ProfileBareBinary ProfileContainer = C.CSIG_PROFILE_BARE_BINARY // unsigned bplist00
)

// ProfileVerdict is the outcome of Profile.Check (see csig/profile.h for
// the order the rules apply in).
type ProfileVerdict int

const (
	ProfileValid     ProfileVerdict = C.CSIG_PROFILE_VALID
	ProfileExpired   ProfileVerdict = C.CSIG_PROFILE_EXPIRED
	ProfileUntrusted ProfileVerdict = C.CSIG_PROFILE_UNTRUSTED
	ProfileTampered  ProfileVerdict = C.CSIG_PROFILE_TAMPERED
	ProfileUnsigned  ProfileVerdict = C.CSIG_PROFILE_UNSIGNED
	ProfileMalformed ProfileVerdict = C.CSIG_PROFILE_MALFORMED
)

// String is the library's name: "valid", "expired", "untrusted", ...
func (v ProfileVerdict) String() string { return goStr(C.csig_profile_verdict_name(C.int(v))) }

// ProfileKind is the kind of a profile by TN3125's rules.
type ProfileKind int

const (
	ProfileKindUnknown     ProfileKind = C.CSIG_PROFILE_KIND_UNKNOWN
	ProfileKindDevelopment ProfileKind = C.CSIG_PROFILE_KIND_DEVELOPMENT
	ProfileKindAdHoc       ProfileKind = C.CSIG_PROFILE_KIND_AD_HOC
	ProfileKindAppStore    ProfileKind = C.CSIG_PROFILE_KIND_APP_STORE
	ProfileKindEnterprise  ProfileKind = C.CSIG_PROFILE_KIND_ENTERPRISE
	ProfileKindDeveloperID ProfileKind = C.CSIG_PROFILE_KIND_DEVELOPER_ID
)

// String is the library's name: "development", "ad-hoc", "app-store", ...
func (k ProfileKind) String() string { return goStr(C.csig_profile_kind_name(C.int(k))) }

// Profile is a provisioning profile (.mobileprovision, .provisionprofile):
// a CMS SignedData with attached plist content, or a bare XML or binary
// plist.  Close it.  Its CMS, plist, values and certificates are borrowed
// and keep it alive.
type Profile struct {
	h handle
	p *C.csig_profile
}

// ParseProfile parses a provisioning profile held in memory (copied).  A
// CMS whose content is not a usable profile parses (its verdict is then
// ProfileMalformed); errors are ErrBadMagic (neither CMS nor a plist), the
// CMS and plist parsers' errors, ErrInval for empty input, ErrNoMem.
func ParseProfile(data []byte, opts *Options) (*Profile, error) {
	co := opts.c(0)
	var p *C.csig_profile
	var e C.csig_error
	var rc C.int
	cBytes(data, func(b unsafe.Pointer, n C.size_t) {
		rc = C.csig_profile_parse(&p, b, n, &co, &e)
	})
	if rc != 0 {
		return nil, newError(rc, &e)
	}
	pr := &Profile{p: p}
	runtime.SetFinalizer(pr, (*Profile).Close)
	return pr, nil
}

// OpenProfile reads the file at path and parses it with ParseProfile.
// A read failure is the *os.PathError.
func OpenProfile(path string) (*Profile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseProfile(data, nil)
}

// Close releases the profile.  Idempotent.
func (p *Profile) Close() error {
	p.h.close(func() {
		C.csig_profile_free(p.p)
		p.p = nil
	})
	runtime.SetFinalizer(p, nil)
	return nil
}

func (p *Profile) str(fn func(*C.csig_profile) *C.char) string {
	if !p.h.acquire() {
		return ""
	}
	defer p.h.release()
	return goStr(fn(p.p))
}

func (p *Profile) list(count func(*C.csig_profile) C.size_t, at func(*C.csig_profile, C.size_t) *C.char) []string {
	if !p.h.acquire() {
		return nil
	}
	defer p.h.release()
	n := count(p.p)
	out := make([]string, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		if s := at(p.p, i); s != nil {
			out = append(out, C.GoString(s))
		}
	}
	return out
}

func (p *Profile) int64(fn func(*C.csig_profile, *C.int64_t) C.int) (int64, error) {
	if !p.h.acquire() {
		return 0, ErrClosed
	}
	defer p.h.release()
	var x C.int64_t
	if rc := fn(p.p, &x); rc != 0 {
		return 0, codeError(rc)
	}
	return int64(x), nil
}

func (p *Profile) tristate(fn func(*C.csig_profile) C.int) (value, ok bool) {
	if !p.h.acquire() {
		return false, false
	}
	defer p.h.release()
	switch fn(p.p) {
	case 1:
		return true, true
	case 0:
		return false, true
	}
	return false, false
}

// Container says how the profile was stored (0 once closed).
func (p *Profile) Container() ProfileContainer {
	if !p.h.acquire() {
		return 0
	}
	defer p.h.release()
	return ProfileContainer(C.csig_profile_container(p.p))
}

// IsSigned reports a CMS-signed profile.
func (p *Profile) IsSigned() bool {
	if !p.h.acquire() {
		return false
	}
	defer p.h.release()
	return C.csig_profile_is_signed(p.p) != 0
}

// CMS is the profile's CMS (borrowed), or nil for a bare plist.
func (p *Profile) CMS() *CMS {
	if !p.h.acquire() {
		return nil
	}
	defer p.h.release()
	m := C.csig_profile_cms(p.p)
	if m == nil {
		return nil
	}
	return &CMS{h: &p.h, p: m, keep: p}
}

// Plist is the profile's plist document (borrowed; its Close does
// nothing), or nil when the content is not a plist.
func (p *Profile) Plist() *Plist {
	if !p.h.acquire() {
		return nil
	}
	defer p.h.release()
	return borrowedPlist(C.csig_profile_plist(p.p), &p.h, p)
}

func (p *Profile) value(v *C.csig_pval) *Value {
	if v == nil {
		return nil
	}
	return &Value{h: &p.h, p: v, keep: p}
}

// Root is the plist's root node, or nil.
func (p *Profile) Root() *Value {
	if !p.h.acquire() {
		return nil
	}
	defer p.h.release()
	return p.value(C.csig_profile_root(p.p))
}

// MalformedReason says why the profile is malformed (a sentence naming the
// key), or "" when it is usable.
func (p *Profile) MalformedReason() string {
	return p.str(func(c *C.csig_profile) *C.char { return C.csig_profile_malformed_reason(c) })
}

// Name is the Name key ("" when absent or not a string).
func (p *Profile) Name() string {
	return p.str(func(c *C.csig_profile) *C.char { return C.csig_profile_name(c) })
}

// UUID is the UUID key.
func (p *Profile) UUID() string {
	return p.str(func(c *C.csig_profile) *C.char { return C.csig_profile_uuid(c) })
}

// AppIDName is the AppIDName key.
func (p *Profile) AppIDName() string {
	return p.str(func(c *C.csig_profile) *C.char { return C.csig_profile_app_id_name(c) })
}

// TeamName is the TeamName key.
func (p *Profile) TeamName() string {
	return p.str(func(c *C.csig_profile) *C.char { return C.csig_profile_team_name(c) })
}

// AppIDPrefixes is ApplicationIdentifierPrefix (string items only).
func (p *Profile) AppIDPrefixes() []string {
	return p.list(func(c *C.csig_profile) C.size_t { return C.csig_profile_app_id_prefix_count(c) },
		func(c *C.csig_profile, i C.size_t) *C.char { return C.csig_profile_app_id_prefix(c, i) })
}

// TeamIDs is TeamIdentifier.
func (p *Profile) TeamIDs() []string {
	return p.list(func(c *C.csig_profile) C.size_t { return C.csig_profile_team_id_count(c) },
		func(c *C.csig_profile, i C.size_t) *C.char { return C.csig_profile_team_id(c, i) })
}

// Platforms is Platform ("iOS", "OSX", ...).
func (p *Profile) Platforms() []string {
	return p.list(func(c *C.csig_profile) C.size_t { return C.csig_profile_platform_count(c) },
		func(c *C.csig_profile, i C.size_t) *C.char { return C.csig_profile_platform(c, i) })
}

// Devices is ProvisionedDevices (UDIDs; empty when absent, see HasDevices).
func (p *Profile) Devices() []string {
	return p.list(func(c *C.csig_profile) C.size_t { return C.csig_profile_device_count(c) },
		func(c *C.csig_profile, i C.size_t) *C.char { return C.csig_profile_device(c, i) })
}

// HasDevices reports a ProvisionedDevices key (even an empty one).
func (p *Profile) HasDevices() bool {
	v, _ := p.tristate(func(c *C.csig_profile) C.int { return C.csig_profile_has_devices(c) })
	return v
}

// CreationDate is the CreationDate key: ErrNotFound when absent,
// ErrBadValue when of another type.
func (p *Profile) CreationDate() (time.Time, error) {
	t, err := p.int64(func(c *C.csig_profile, x *C.int64_t) C.int { return C.csig_profile_creation_date(c, x) })
	if err != nil {
		return time.Time{}, err
	}
	return time.Unix(t, 0).UTC(), nil
}

// ExpirationDate is the ExpirationDate key (errors as CreationDate).
func (p *Profile) ExpirationDate() (time.Time, error) {
	t, err := p.int64(func(c *C.csig_profile, x *C.int64_t) C.int { return C.csig_profile_expiration_date(c, x) })
	if err != nil {
		return time.Time{}, err
	}
	return time.Unix(t, 0).UTC(), nil
}

// TimeToLive is the TimeToLive key in days (errors as CreationDate, plus
// ErrOverflow).
func (p *Profile) TimeToLive() (int64, error) {
	return p.int64(func(c *C.csig_profile, x *C.int64_t) C.int { return C.csig_profile_time_to_live(c, x) })
}

// Version is the Version key (errors as TimeToLive).
func (p *Profile) Version() (int64, error) {
	return p.int64(func(c *C.csig_profile, x *C.int64_t) C.int { return C.csig_profile_version(c, x) })
}

// IsXcodeManaged is the IsXcodeManaged key; ok is false when it is absent
// or not a boolean.
func (p *Profile) IsXcodeManaged() (value, ok bool) {
	return p.tristate(func(c *C.csig_profile) C.int { return C.csig_profile_is_xcode_managed(c) })
}

// ProvisionsAllDevices is the ProvisionsAllDevices key; ok as IsXcodeManaged.
func (p *Profile) ProvisionsAllDevices() (value, ok bool) {
	return p.tristate(func(c *C.csig_profile) C.int { return C.csig_profile_provisions_all_devices(c) })
}

// Entitlements is the Entitlements dictionary, or nil.
func (p *Profile) Entitlements() *Value {
	if !p.h.acquire() {
		return nil
	}
	defer p.h.release()
	return p.value(C.csig_profile_entitlements(p.p))
}

// NumCertificates is the number of DeveloperCertificates entries,
// decodable or not.
func (p *Profile) NumCertificates() int {
	if !p.h.acquire() {
		return 0
	}
	defer p.h.release()
	return int(C.csig_profile_cert_count(p.p))
}

// Certificate is DeveloperCertificates entry i (borrowed: it keeps the
// profile alive and its Close does nothing).  An entry that did not decode
// gives the certificate parser's *Error; ErrNotFound when i is out of range.
func (p *Profile) Certificate(i int) (*Certificate, error) {
	if !p.h.acquire() {
		return nil, ErrClosed
	}
	defer p.h.release()
	if i < 0 {
		return nil, ErrNotFound
	}
	var msg *C.char
	if rc := C.csig_profile_cert_status(p.p, C.size_t(i), &msg); rc != 0 {
		err := &Error{Code: int(rc), Name: ErrName(int(rc)), Msg: goStr(msg)}
		if err.Msg == "" {
			err.Msg = StrError(int(rc))
		}
		return nil, err
	}
	c := C.csig_profile_cert(p.p, C.size_t(i))
	if c == nil {
		return nil, ErrNotFound
	}
	return &Certificate{h: &p.h, p: c, keep: p}, nil
}

// CertificateData is the raw bytes of DeveloperCertificates entry i (empty
// when out of range or not data).
func (p *Profile) CertificateData(i int) []byte {
	if i < 0 || !p.h.acquire() {
		return nil
	}
	defer p.h.release()
	return goBytes(C.csig_profile_cert_data(p.p, C.size_t(i)))
}

// Certificates lists the DeveloperCertificates entries that decode, in
// order (see Certificate for the others).
func (p *Profile) Certificates() []*Certificate {
	n := p.NumCertificates()
	out := make([]*Certificate, 0, n)
	for i := 0; i < n; i++ {
		if c, err := p.Certificate(i); err == nil {
			out = append(out, c)
		}
	}
	return out
}

// HasDERProfile reports a DER-Encoded-Profile key.
func (p *Profile) HasDERProfile() bool {
	v, _ := p.tristate(func(c *C.csig_profile) C.int { return C.csig_profile_has_der_profile(c) })
	return v
}

// DERProfile is the DER-Encoded-Profile bytes (empty when absent).
func (p *Profile) DERProfile() []byte {
	if !p.h.acquire() {
		return nil
	}
	defer p.h.release()
	return goBytes(C.csig_profile_der_profile(p.p))
}

// Kind is the profile's kind by TN3125's rules.
func (p *Profile) Kind() ProfileKind {
	if !p.h.acquire() {
		return ProfileKindUnknown
	}
	defer p.h.release()
	return ProfileKind(C.csig_profile_kind_of(p.p))
}

// ProfileResult is the outcome of Profile.Check, copied into Go.
type ProfileResult struct {
	Verdict ProfileVerdict
	At      time.Time // the time judged at
	// DaysToExpiry is whole days from At to ExpirationDate, rounded toward
	// minus infinity (0 on the last day, negative once expired); valid
	// when HasExpiry.
	DaysToExpiry int64
	HasExpiry    bool
	// Findings in check order: the CMS verification's ids, then
	// "unsigned", "content-not-plist", "malformed", "profile-expired",
	// "not-yet-valid", "dates-inverted", "developer-cert-undecodable",
	// "developer-cert-expired", "no-developer-certs".
	Findings []Finding
	// CMS is the CMS verification's outcome (nil when unsigned).  Its
	// fields are copied; its JSON and Close are no-ops (use Profile.JSON).
	CMS *CMSResult
}

// Check judges the profile at time at (the zero time means now): CMS
// digest, signature, chain, Apple root, certificate validity, dates and
// DeveloperCertificates.  The verdict is data; errors are ErrInval,
// ErrNoMem and ErrClosed.
func (p *Profile) Check(at time.Time) (*ProfileResult, error) {
	if at.IsZero() {
		at = time.Now()
	}
	if !p.h.acquire() {
		return nil, ErrClosed
	}
	defer p.h.release()
	var r *C.csig_profile_result
	var e C.csig_error
	if rc := C.csig_profile_check(p.p, C.int64_t(at.Unix()), &r, &e); rc != 0 {
		return nil, newError(rc, &e)
	}
	defer C.csig_profile_result_free(r)
	out := &ProfileResult{
		Verdict: ProfileVerdict(C.csig_profile_result_verdict(r)),
		At:      time.Unix(int64(C.csig_profile_result_at(r)), 0).UTC(),
	}
	if d := int64(C.csig_profile_result_days_to_expiry(r)); d != math.MinInt64 {
		out.DaysToExpiry, out.HasExpiry = d, true
	}
	n := C.csig_profile_result_finding_count(r)
	out.Findings = make([]Finding, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		if f := C.csig_profile_result_finding(r, i); f != nil {
			out.Findings = append(out.Findings, goFinding(f))
		}
	}
	if cr := C.csig_profile_result_cms(r); cr != nil {
		if m := C.csig_profile_cms(p.p); m != nil {
			out.CMS = &CMSResult{}
			out.CMS.fill(cr, m)
			out.CMS.h.closed = true
		}
	}
	return out, nil
}

// HasFinding reports a finding with id.
func (r *ProfileResult) HasFinding(id string) bool {
	for _, f := range r.Findings {
		if f.ID == id {
			return true
		}
	}
	return false
}

// JSON is the library's document of the profile with its verdict at time at
// (the zero time means now): keys, kind, certificates, entitlements, CMS,
// verdict and findings.  With pretty it is what `csig profile --json --at`
// prints, without the final newline.
func (p *Profile) JSON(at time.Time, pretty bool) ([]byte, error) {
	if at.IsZero() {
		at = time.Now()
	}
	if !p.h.acquire() {
		return nil, ErrClosed
	}
	defer p.h.release()
	var out *C.char
	var n C.size_t
	var e C.csig_error
	if rc := C.csig_profile_json(p.p, C.int64_t(at.Unix()), profileJSONFlags(pretty), &out, &n, &e); rc != 0 {
		return nil, newError(rc, &e)
	}
	return takeText(out, n), nil
}

func profileJSONFlags(pretty bool) C.uint {
	if pretty {
		return C.CSIG_PROFILE_JSON_PRETTY
	}
	return 0
}

// ProfileCheckRow is one row of a match: a check with the actual and
// allowed values as compact JSON text ("" when not applicable).
type ProfileCheckRow struct {
	ID      string // "team-id", "certificate", "application-identifier", "entitlement", "platform"
	OK      bool
	Key     string // the entitlement, for "entitlement" rows
	Actual  string
	Allowed string
	Message string
}

// ProfileMatch is the outcome of Profile.Match.  The rows are copied into
// Go; the C result is kept for JSON until Close.
type ProfileMatch struct {
	h    handle
	p    *C.csig_profile_match_result
	prof *Profile
	f    *File
	OK   bool // every row is ok
	Rows []ProfileCheckRow
}

// Match checks that a signed slice fits the profile: team identifier,
// signing certificate, application identifier, every claimed entitlement
// and the platform, one row each.  The outcome is data; errors are
// ErrInval, ErrNoMem and ErrClosed.
func (p *Profile) Match(s *Slice) (*ProfileMatch, error) {
	if s == nil {
		return nil, ErrInval
	}
	release, ok := acquireAll(&p.h, s.f.h)
	if !ok {
		return nil, ErrClosed
	}
	defer release()
	var m *C.csig_profile_match_result
	var e C.csig_error
	if rc := C.csig_profile_match(p.p, s.p, &m, &e); rc != 0 {
		return nil, newError(rc, &e)
	}
	out := &ProfileMatch{p: m, prof: p, f: s.f, OK: C.csig_profile_match_ok(m) != 0}
	n := C.csig_profile_match_count(m)
	out.Rows = make([]ProfileCheckRow, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		var id, key, actual, allowed, msg *C.char
		var rok C.int
		if C.csig_profile_match_item(m, i, &id, &rok, &key, &actual, &allowed, &msg) != 0 {
			continue
		}
		out.Rows = append(out.Rows, ProfileCheckRow{
			ID: goStr(id), OK: rok != 0, Key: goStr(key),
			Actual: goStr(actual), Allowed: goStr(allowed), Message: goStr(msg),
		})
	}
	runtime.SetFinalizer(out, (*ProfileMatch).Close)
	return out, nil
}

// JSON is the library's document of the match ({"ok":..., "checks":[...]}).
func (m *ProfileMatch) JSON(pretty bool) ([]byte, error) {
	release, ok := acquireAll(&m.h, &m.prof.h, m.f.h)
	if !ok {
		return nil, ErrClosed
	}
	defer release()
	var out *C.char
	var n C.size_t
	var e C.csig_error
	if rc := C.csig_profile_match_json(m.p, profileJSONFlags(pretty), &out, &n, &e); rc != 0 {
		return nil, newError(rc, &e)
	}
	return takeText(out, n), nil
}

// Close releases the C result; OK and Rows keep working.  Idempotent.
func (m *ProfileMatch) Close() error {
	m.h.close(func() {
		C.csig_profile_match_free(m.p)
		m.p = nil
	})
	runtime.SetFinalizer(m, nil)
	return nil
}
