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
 */
int csig__ecdsa_verify(int curve, const uint8_t *pub, size_t pub_len,
		       const uint8_t *digest, size_t digest_len,
		       const uint8_t *r, size_t r_len,
		       const uint8_t *s, size_t s_len);

#endif
