/* timeutil.c - dates as the documents and the CLI write them (see csig/common.h). */
#include <stdio.h>
#include <string.h>
#include "der.h"
#include "json.h"
#include "util.h"

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

int csig_time_parse(const char *s, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, se = 0;
	if (!s || !out)
		return CSIG_E_INVAL;
	size_t n = strlen(s);
	if (n < 10 || digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
	    s[7] != '-' || digits(s + 8, 2, &d) || mo < 1 || mo > 12 || d < 1 || d > 31)
		return CSIG_E_SYNTAX;
	const char *p = s + 10;
	int64_t offset = 0;
	if (*p == 'T' || *p == 't' || *p == ' ') {
		if (strlen(p) < 9 || digits(p + 1, 2, &h) || p[3] != ':' ||
		    digits(p + 4, 2, &mi) || p[6] != ':' || digits(p + 7, 2, &se) ||
		    h > 23 || mi > 59 || se > 60)
			return CSIG_E_SYNTAX;
		p += 9;
		if (*p == '.') {
			p++;
			if (*p < '0' || *p > '9')
				return CSIG_E_SYNTAX;
			while (*p >= '0' && *p <= '9')
				p++;
		}
		if (*p == 'Z' || *p == 'z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int oh, om;
			if (strlen(p) != 6 || digits(p + 1, 2, &oh) || p[3] != ':' ||
			    digits(p + 4, 2, &om) || oh > 23 || om > 59)
				return CSIG_E_SYNTAX;
			offset = (int64_t)(oh * 3600 + om * 60) * (*p == '+' ? 1 : -1);
			p += 6;
		} else {
			return CSIG_E_SYNTAX;
		}
	}
	if (*p)
		return CSIG_E_SYNTAX;
	*out = csig__days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 + h * 3600 +
	       mi * 60 + se - offset;
	return CSIG_OK;
}

char *csig_time_format(int64_t t, char *buf, size_t n)
{
	char tmp[32];
	if (!buf || n == 0)
		return buf;
	csig__format_time(t, tmp);
	snprintf(buf, n, "%s", tmp);
	return buf;
}
