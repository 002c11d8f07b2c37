// Tiny Go program for the go-arm64 / go-amd64 fixtures (see ../../make-fixtures.sh).
package main

func main() {
	println("hello from a libcsig fixture")
}
