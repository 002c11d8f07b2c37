/*
 * rsa.c - RSA PKCS#1 v1.5 signature verification; see pk.h.
 *
 * The whole encoded message is rebuilt and compared byte for byte (RFC 8017
 * 8.2.2 step 4, "compare"), never parsed: parsing the padding is where the
 * classic Bleichenbacher-2006 forgeries come from.  Only the DigestInfo with
 * an explicit NULL parameter is accepted (the DER form RFC 8017 9.2 note 1
 * lists); the variant with absent parameters is rejected, as Go and
 * BoringSSL do.
 *
 * Policy on keys: a modulus must be odd and 512..8192 bits; the public
 * exponent must be odd, > 1 and at most 64 bits (Apple and every CA use
 * 65537; a huge exponent would only make a verification slow).
 */
#include <string.h>
#include "bignum.h"
#include "hash.h"
#include "pk.h"
#include "rd.h"
#include "util.h"

#define RSA_MIN_BITS 512
#define RSA_MAX_E_LIMBS 2 /* 64-bit public exponent at most */

/* DER of DigestInfo { AlgorithmIdentifier { oid, NULL }, OCTET STRING(len) }
 * up to the digest bytes (RFC 8017 9.2 note 1). */
static const uint8_t di_sha1[] = {
	0x30, 0x21, 0x30, 0x09, 0x06, 0x05, 0x2b, 0x0e, 0x03, 0x02, 0x1a,
	0x05, 0x00, 0x04, 0x14
};
static const uint8_t di_sha256[] = {
	0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65,
	0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20
};
static const uint8_t di_sha384[] = {
	0x30, 0x41, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65,
	0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30
};
static const uint8_t di_sha512[] = {
	0x30, 0x51, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65,
	0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40
};

static int digest_info(int hash_alg, const uint8_t **prefix, size_t *plen,
		       size_t *dlen)
{
	switch (hash_alg) {
	case CSIG_HASH_SHA1:
		*prefix = di_sha1, *plen = sizeof(di_sha1), *dlen = 20;
		return 0;
	case CSIG_HASH_SHA256:
		*prefix = di_sha256, *plen = sizeof(di_sha256), *dlen = 32;
		return 0;
	case CSIG_HASH_SHA384:
		*prefix = di_sha384, *plen = sizeof(di_sha384), *dlen = 48;
		return 0;
	case CSIG_HASH_SHA512:
		*prefix = di_sha512, *plen = sizeof(di_sha512), *dlen = 64;
		return 0;
	default:
		return -1;
	}
}

/* see pk.h */
int csig__rsa_pkcs1_verify(const uint8_t *n, size_t n_len,
			   const uint8_t *e, size_t e_len,
			   int hash_alg, const uint8_t *digest, size_t digest_len,
			   const uint8_t *sig, size_t sig_len)
{
	const uint8_t *prefix;
	size_t plen, dlen;

	if ((!n && n_len) || (!e && e_len) || (!digest && digest_len) ||
	    (!sig && sig_len))
		return CSIG_E_INVAL;
	if (digest_info(hash_alg, &prefix, &plen, &dlen) != 0)
		return CSIG_E_UNSUPPORTED;
	if (digest_len != dlen)
		return CSIG_E_INVAL;

	/* modulus: odd, 512..8192 bits */
	csig_limb nl[CSIG_MONT_LIMBS];
	if (csig__ln_from_be(nl, CSIG_MONT_LIMBS, n, n_len) != 0)
		return CSIG_E_UNSUPPORTED; /* above 8192 bits */
	size_t nbits = csig__ln_bits(nl, CSIG_MONT_LIMBS);
	if (nbits < RSA_MIN_BITS)
		return nbits == 0 ? CSIG_E_BADVALUE : CSIG_E_UNSUPPORTED;
	if ((nl[0] & 1u) == 0)
		return CSIG_E_BADVALUE;
	size_t k = (nbits + 7) / 8;                    /* octets of n */
	size_t kl = (nbits + CSIG_LIMB_BITS - 1) / CSIG_LIMB_BITS;

	/* exponent: odd, > 1, at most 64 bits */
	csig_limb el[RSA_MAX_E_LIMBS];
	if (csig__ln_from_be(el, RSA_MAX_E_LIMBS, e, e_len) != 0)
		return CSIG_E_UNSUPPORTED;
	if ((el[0] & 1u) == 0 || csig__ln_bits(el, RSA_MAX_E_LIMBS) < 2)
		return CSIG_E_BADVALUE;

	/* RFC 8017 8.2.2 step 1: the signature is exactly k octets */
	if (sig_len != k)
		return 0;
	/* step 2a/RSAVP1: s < n */
	csig_limb s[CSIG_MONT_LIMBS];
	if (csig__ln_from_be(s, kl, sig, sig_len) != 0 ||
	    csig__ln_cmp(s, nl, kl) >= 0)
		return 0;

	/* m = s^e mod n */
	csig_mont mont;
	if (csig__mont_init(&mont, nl, kl) != 0)
		return CSIG_E_BADVALUE;
	csig__mont_to(&mont, s, s);
	csig__mont_exp(&mont, s, s, el, RSA_MAX_E_LIMBS);
	csig__mont_from(&mont, s, s);

	uint8_t em[CSIG_RSA_MAX_BITS / 8], want[CSIG_RSA_MAX_BITS / 8];
	if (csig__ln_to_be(s, kl, em, k) != 0)
		return 0;

	/* EMSA-PKCS1-v1_5 (RFC 8017 9.2): 00 01 FF..FF 00 || T, at least
	 * eight FF octets; a modulus too short for T cannot carry it */
	size_t tlen = plen + dlen;
	if (k < tlen + 11)
		return 0;
	size_t ps = k - tlen - 3;
	want[0] = 0x00;
	want[1] = 0x01;
	memset(want + 2, 0xff, ps);
	want[2 + ps] = 0x00;
	memcpy(want + 3 + ps, prefix, plen);
	{
		csig_rd rd;
		rd_init(&rd, digest, digest_len, 0, "digest", NULL);
		if (rd_copy(&rd, want + 3 + ps + plen, dlen) != CSIG_OK)
			return CSIG_E_INVAL;
	}
	return memcmp(em, want, k) == 0 ? 1 : 0;
}
