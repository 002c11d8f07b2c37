/* Tiny program linked into the thin/fat executable fixtures (see ../make-fixtures.sh). */
extern int puts(const char *);

int main(void)
{
	puts("hello from a libcsig fixture");
	return 0;
}
