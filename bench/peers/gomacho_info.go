// gomacho_info.go - the go-macho peer of `csig info` for bench/peers.py:
// open each Mach-O (thin or fat) with github.com/blacktop/go-macho, parse
// its code signature and print identifier, team and cdhash of every
// CodeDirectory.  Built by bench/peers.sh in a cache directory outside the
// repository (go-macho itself is never committed).
package main

import (
	"fmt"
	"os"

	macho "github.com/blacktop/go-macho"
)

func show(f *macho.File) {
	cs := f.CodeSignature()
	if cs == nil {
		fmt.Println("unsigned")
		return
	}
	for _, cd := range cs.CodeDirectories {
		fmt.Printf("%s %s %s\n", cd.ID, cd.TeamID, cd.CDHash)
	}
}

func main() {
	rc := 0
	for _, p := range os.Args[1:] {
		if ff, err := macho.OpenFat(p); err == nil {
			for _, a := range ff.Arches {
				show(a.File)
			}
			ff.Close()
			continue
		}
		f, err := macho.Open(p)
		if err != nil {
			fmt.Fprintln(os.Stderr, p, err)
			rc = 2
			continue
		}
		show(f)
		f.Close()
	}
	os.Exit(rc)
}
