package csig_test

import (
	"errors"
	"fmt"
	"log"
	"os"

	"libcsig.dev/csig"
)

// Print the facts of a signed thin Mach-O.
func ExampleOpen() {
	f, err := csig.Open("../../testdata/good/adhoc-arm64")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	for _, s := range f.Slices() {
		cd := s.Signature().BestCD()
		fmt.Println(s.Arch(), csig.FiletypeName(s.Filetype()))
		fmt.Println(cd.Identifier(), csig.HashTypeName(cd.HashType()), csig.CDFlagsString(cd.Flags()))
		fmt.Printf("cdhash %x\n", cd.CDHash())
	}
	// Output:
	// arm64 MH_EXECUTE
	// adhoc-arm64 sha256 adhoc,linker-signed
	// cdhash 3507d10cb7ee41dd675d4ae39f2668491dcee099
}

// Verify every slice of a fat file.
func ExampleFile_Verify() {
	data, err := os.ReadFile("../../testdata/good/fat-mixed")
	if err != nil {
		log.Fatal(err)
	}
	f, err := csig.OpenBytes(data)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	r, err := f.Verify(nil)
	if err != nil {
		log.Fatal(err)
	}
	defer r.Close()
	fmt.Println("valid:", r.Valid())
	for _, fd := range r.Findings() {
		if fd.Severity == csig.SevError {
			fmt.Printf("slice %d: %s\n", fd.Slice, fd.ID)
		}
	}
	// Output:
	// valid: false
	// slice 0: unsigned
}

// Errors compare by code with errors.Is.
func ExampleError() {
	_, err := csig.OpenBytes([]byte{0xcf, 0xfa, 0xed})
	fmt.Println(errors.Is(err, csig.ErrTruncated))
	var e *csig.Error
	if errors.As(err, &e) {
		fmt.Println(e.Name)
	}
	// Output:
	// true
	// CSIG_E_TRUNCATED
}

// The JSON document is the library's, identical to `csig info --json`.
func ExampleFile_JSON() {
	f, err := csig.Open("../../testdata/good/handmade-ppc-be")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	doc, err := f.JSON(-1, 0)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(doc) > 0 && doc[0] == '{')
	// Output: true
}

// Compile a requirement and judge it against facts.
func ExampleRequirement_Eval() {
	blob, _, err := csig.CompileRequirement(`identifier "com.example.app"`)
	if err != nil {
		log.Fatal(err)
	}
	req, err := csig.ParseRequirement(blob, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer req.Close()
	res, err := req.Eval(&csig.ReqContext{Identifier: "com.example.app"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.Verdict)
	// Output: satisfied
}
