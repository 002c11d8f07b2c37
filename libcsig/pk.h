/*
 * pk.h - public-key signature verification written here: big-number
 * arithmetic, RSA PKCS#1 v1.5 and ECDSA over P-256 / P-384.  Internal.
 *
 * Verification only, so constant time is not required; correctness on every
 * edge the test vectors cover is.  All inputs are untrusted byte strings
 * (big-endian unsigned integers, leading zeros allowed).  Functions return
 * 1 when the signature verifies, 0 when it does not, and a negative
 * CSIG_E_* code when the inputs are malformed or unsupported (e.g. a
 * modulus above 8192 bits).
 */
#ifndef CSIG_PK_H
#define CSIG_PK_H

#include <stddef.h>
#include <stdint.h>

#define CSIG_RSA_MAX_BITS 8192

/*
 * RSA PKCS#1 v1.5 (RFC 8017 8.2.2): sig^e mod n must equal
 * 00 01 FF..FF 00 DigestInfo(hash_alg, digest).  hash_alg is a hash.h
 * CSIG_HASH_* value (SHA1, SHA256, SHA384, SHA512); digest is that many bytes.
 *
 * The whole encoded message is compared, so only the DER DigestInfo with an
 * explicit NULL parameter verifies (absent parameters are rejected, as Go and
 * BoringSSL do).  Returns 1 / 0, or:
 *   CSIG_E_INVAL        NULL pointer with a nonzero length; digest_len not
 *                       the size of hash_alg
 *   CSIG_E_UNSUPPORTED  hash_alg not SHA1/256/384/512; modulus below 512 or
 *                       above 8192 bits; public exponent above 64 bits
 *   CSIG_E_BADVALUE     modulus zero or even; exponent even, 0 or 1
 * A signature whose length is not that of the modulus (leading zeros of n
 * stripped), or whose value is >= n, returns 0 (RFC 8017 8.2.2 step 1).
 */
int csig__rsa_pkcs1_verify(const uint8_t *n, size_t n_len,
			   const uint8_t *e, size_t e_len,
			   int hash_alg, const uint8_t *digest, size_t digest_len,
			   const uint8_t *sig, size_t sig_len);

enum { CSIG_CURVE_P256 = 1, CSIG_CURVE_P384 = 2 };

/*
 * ECDSA (FIPS 186-4 / SEC 1): pub is the uncompressed point 04||X||Y;
 * r and s are the integers from the DER Ecdsa-Sig-Value; digest is the
 * message hash (truncated to the curve order's bit length as SEC 1 says).
 *
 * Returns 1 / 0 (r or s outside [1, n-1], including encodings longer than
 * the order, returns 0; both s and n - s verify, as ECDSA allows), or:
 *   CSIG_E_INVAL        NULL pointer with a nonzero length; digest_len 0
 *   CSIG_E_UNSUPPORTED  unknown curve; compressed point (02/03)
 *   CSIG_E_TRUNCATED    pub shorter than 1 + 2 * field size (or empty)
 *   CSIG_E_TRAILING     pub longer than that
 *   CSIG_E_BADVALUE     pub form byte not 04 (incl. infinity 00); a
 *                       coordinate >= p; point not on the curve
 */
int csig__ecdsa_verify(int curve, const uint8_t *pub, size_t pub_len,
		       const uint8_t *digest, size_t digest_len,
		       const uint8_t *r, size_t r_len,
		       const uint8_t *s, size_t s_len);

#endif
