package csig

/*
#include <stdlib.h>
#include <csig.h>
*/
import "C"

import (
	"strings"
	"time"
	"unsafe"
)

// ParseTime parses a date the way the csig tool's --at option does
// (csig_time_parse): "YYYY-MM-DD" (midnight UTC) or RFC 3339
// "YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm)".  The result is whole seconds,
// UTC.  ErrSyntax when text is not such a date.
func ParseTime(text string) (time.Time, error) {
	if strings.IndexByte(text, 0) >= 0 { // C would see only the part before it
		return time.Time{}, ErrSyntax
	}
	ct := C.CString(text)
	defer C.free(unsafe.Pointer(ct))
	var t C.int64_t
	if rc := C.csig_time_parse(ct, &t); rc != 0 {
		return time.Time{}, codeError(rc)
	}
	return time.Unix(int64(t), 0).UTC(), nil
}

// FormatTime formats t (truncated to whole seconds) as the library does in
// its documents (csig_time_format): "YYYY-MM-DDTHH:MM:SSZ".
func FormatTime(t time.Time) string {
	var buf [64]C.char
	C.csig_time_format(C.int64_t(t.Unix()), &buf[0], C.size_t(len(buf)))
	return C.GoString(&buf[0])
}

// unixOrZero converts a time to Unix seconds, the zero time to 0 (the
// library's "default" for at_time).
func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}
