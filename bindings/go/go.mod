module libcsig.dev/csig

go 1.22
