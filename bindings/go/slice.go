package csig

/*
#include <csig.h>
*/
import "C"

// Slice is one Mach-O image of a File (the only one of a thin file).
// It keeps its File alive.
type Slice struct {
	f *File
	p *C.csig_slice
}

// File returns the file the slice belongs to.
func (s *Slice) File() *File { return s.f }

// Index is the slice's position in the file.
func (s *Slice) Index() int {
	if !s.f.h.acquire() {
		return 0
	}
	defer s.f.h.release()
	return int(C.csig_slice_index(s.p))
}

// Arch is the architecture name: "arm64", "arm64e", "x86_64", "i386", ...
func (s *Slice) Arch() string {
	if !s.f.h.acquire() {
		return ""
	}
	defer s.f.h.release()
	return goStr(C.csig_slice_arch(s.p))
}

// CPUType is the mach header's cputype.
func (s *Slice) CPUType() int32 {
	if !s.f.h.acquire() {
		return 0
	}
	defer s.f.h.release()
	return int32(C.csig_slice_cputype(s.p))
}

// CPUSubtype is the mach header's cpusubtype.
func (s *Slice) CPUSubtype() int32 {
	if !s.f.h.acquire() {
		return 0
	}
	defer s.f.h.release()
	return int32(C.csig_slice_cpusubtype(s.p))
}

// FatCPUType is the cputype of the fat_arch entry (the header's for thin files).
func (s *Slice) FatCPUType() int32 {
	if !s.f.h.acquire() {
		return 0
	}
	defer s.f.h.release()
	return int32(C.csig_slice_fat_cputype(s.p))
}

// FatCPUSubtype is the cpusubtype of the fat_arch entry.
func (s *Slice) FatCPUSubtype() int32 {
	if !s.f.h.acquire() {
		return 0
	}
	defer s.f.h.release()
	return int32(C.csig_slice_fat_cpusubtype(s.p))
}

// Offset is the absolute offset of the slice in the file.
func (s *Slice) Offset() uint64 {
	if !s.f.h.acquire() {
		return 0
	}
	defer s.f.h.release()
	return uint64(C.csig_slice_offset(s.p))
}

// Size is the length of the slice.
func (s *Slice) Size() uint64 {
	if !s.f.h.acquire() {
		return 0
	}
	defer s.f.h.release()
	return uint64(C.csig_slice_size(s.p))
}

// Bytes returns a copy of the slice's bytes.
func (s *Slice) Bytes() []byte {
	if !s.f.h.acquire() {
		return nil
	}
	defer s.f.h.release()
	return goBytes(C.csig_slice_bytes(s.p))
}

// Magic is the mach_header magic as stored (0xfeedfacf, 0xcefaedfe, ...).
func (s *Slice) Magic() uint32 {
	if !s.f.h.acquire() {
		return 0
	}
	defer s.f.h.release()
	return uint32(C.csig_slice_magic(s.p))
}

// Is64 reports a 64-bit mach header.
func (s *Slice) Is64() bool {
	if !s.f.h.acquire() {
		return false
	}
	defer s.f.h.release()
	return C.csig_slice_is64(s.p) != 0
}

// BigEndian reports a big-endian mach header.
func (s *Slice) BigEndian() bool {
	if !s.f.h.acquire() {
		return false
	}
	defer s.f.h.release()
	return C.csig_slice_big_endian(s.p) != 0
}

// Filetype is the mach header's filetype (2 = MH_EXECUTE, ...).
func (s *Slice) Filetype() uint32 {
	if !s.f.h.acquire() {
		return 0
	}
	defer s.f.h.release()
	return uint32(C.csig_slice_filetype(s.p))
}

// Flags is the mach header's flags.
func (s *Slice) Flags() uint32 {
	if !s.f.h.acquire() {
		return 0
	}
	defer s.f.h.release()
	return uint32(C.csig_slice_flags(s.p))
}

// NCmds is the header's ncmds.
func (s *Slice) NCmds() uint32 {
	if !s.f.h.acquire() {
		return 0
	}
	defer s.f.h.release()
	return uint32(C.csig_slice_ncmds(s.p))
}

// SizeOfCmds is the header's sizeofcmds.
func (s *Slice) SizeOfCmds() uint32 {
	if !s.f.h.acquire() {
		return 0
	}
	defer s.f.h.release()
	return uint32(C.csig_slice_sizeofcmds(s.p))
}

// LoadCommand is one load command as found.
type LoadCommand struct {
	Cmd     uint32 // raw value, LC_REQ_DYLD bit included
	CmdSize uint32
	Offset  uint64 // absolute file offset of the command
	Name    string // "LC_SEGMENT_64", or "" when unknown
}

// LoadCommands returns the load commands that could be read.
func (s *Slice) LoadCommands() []LoadCommand {
	if !s.f.h.acquire() {
		return nil
	}
	defer s.f.h.release()
	n := C.csig_slice_lc_count(s.p)
	out := make([]LoadCommand, 0, int(n))
	for i := C.size_t(0); i < n; i++ {
		lc := C.csig_slice_lc(s.p, i)
		if lc == nil {
			continue
		}
		out = append(out, LoadCommand{
			Cmd:     uint32(lc.cmd),
			CmdSize: uint32(lc.cmdsize),
			Offset:  uint64(lc.offset),
			Name:    goStr(lc.name),
		})
	}
	return out
}

// CodeSignature returns LC_CODE_SIGNATURE's dataoff (relative to the
// slice) and datasize, or ErrNotFound.
func (s *Slice) CodeSignature() (dataoff, datasize uint32, err error) {
	if !s.f.h.acquire() {
		return 0, 0, ErrClosed
	}
	defer s.f.h.release()
	var off, size C.uint32_t
	if rc := C.csig_slice_code_signature(s.p, &off, &size); rc != 0 {
		return 0, 0, codeError(rc)
	}
	return uint32(off), uint32(size), nil
}

// UUID returns LC_UUID, or ErrNotFound.
func (s *Slice) UUID() ([16]byte, error) {
	var u [16]byte
	if !s.f.h.acquire() {
		return u, ErrClosed
	}
	defer s.f.h.release()
	var cu [16]C.uint8_t
	if rc := C.csig_slice_uuid(s.p, &cu[0]); rc != 0 {
		return u, codeError(rc)
	}
	for i := range cu {
		u[i] = byte(cu[i])
	}
	return u, nil
}

// BuildVersion is LC_BUILD_VERSION (or LC_VERSION_MIN_*).  MinOS and SDK
// are nibble-encoded as stored: major<<16 | minor<<8 | patch.
type BuildVersion struct {
	Platform     uint32 // PLATFORM_* number
	PlatformName string // "macOS", "iOS", ... ("" when unknown)
	MinOS        uint32
	SDK          uint32
}

// BuildVersion returns the slice's build version, or ErrNotFound.
func (s *Slice) BuildVersion() (BuildVersion, error) {
	if !s.f.h.acquire() {
		return BuildVersion{}, ErrClosed
	}
	defer s.f.h.release()
	var plat, minos, sdk C.uint32_t
	if rc := C.csig_slice_build_version(s.p, &plat, &minos, &sdk); rc != 0 {
		return BuildVersion{}, codeError(rc)
	}
	return BuildVersion{
		Platform:     uint32(plat),
		PlatformName: goStr(C.csig_platform_name(plat)),
		MinOS:        uint32(minos),
		SDK:          uint32(sdk),
	}, nil
}

// InfoPlist returns a copy of the __TEXT,__info_plist section, or ErrNotFound.
func (s *Slice) InfoPlist() ([]byte, error) {
	if !s.f.h.acquire() {
		return nil, ErrClosed
	}
	defer s.f.h.release()
	var b C.csig_bytes
	if rc := C.csig_slice_info_plist(s.p, &b); rc != 0 {
		return nil, codeError(rc)
	}
	return goBytes(b), nil
}

// Signature returns the slice's embedded signature, or nil when the slice
// has none or it is unreadable (see File.Findings for why).
func (s *Slice) Signature() *Signature {
	if !s.f.h.acquire() {
		return nil
	}
	defer s.f.h.release()
	sig := C.csig_slice_signature(s.p)
	if sig == nil {
		return nil
	}
	return &Signature{f: s.f, p: sig}
}

// ---- names ----

// ArchName is the architecture name of a cputype/subtype pair ("unknown"
// when the library has none).
func ArchName(cputype, cpusubtype int32) string {
	return goStr(C.csig_arch_name(C.int32_t(cputype), C.int32_t(cpusubtype)))
}

// LoadCommandName is "LC_SEGMENT_64" etc., or "" for an unknown number.
func LoadCommandName(cmd uint32) string { return goStr(C.csig_lc_name(C.uint32_t(cmd))) }

// FiletypeName is "MH_EXECUTE" etc., or "".
func FiletypeName(filetype uint32) string {
	return goStr(C.csig_filetype_name(C.uint32_t(filetype)))
}

// PlatformName is "macOS", "iOS", ... for a PLATFORM_* number, or "".
func PlatformName(platform uint32) string {
	return goStr(C.csig_platform_name(C.uint32_t(platform)))
}

// flagBufSize holds any flag string the library writes (every known name
// plus hex for the rest).
const flagBufSize = 1024

// MachHeaderFlagsString is "MH_NOUNDEFS|MH_DYLDLINK|..." for mach header flags.
func MachHeaderFlagsString(flags uint32) string {
	var buf [flagBufSize]C.char
	C.csig_mh_flags_string(C.uint32_t(flags), &buf[0], flagBufSize)
	return C.GoString(&buf[0])
}
