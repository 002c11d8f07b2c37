/* Tiny library linked into the adhoc-arm64.dylib fixture (see ../make-fixtures.sh). */
extern int puts(const char *);
extern int csig_stub_value(void);	/* from libcsigstub.tbd: gives an @rpath LC_LOAD_DYLIB */

int csig_fixture_answer(void)
{
	return 42 + csig_stub_value();
}

void csig_fixture_hello(void)
{
	puts("hello from a libcsig fixture dylib");
}
