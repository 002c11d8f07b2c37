/*
 * cms_int.h - the csig_cms handle, shared by cms.c only (and tests that
 * include internals).  Internal.
 */
#ifndef CSIG_CMS_INT_H
#define CSIG_CMS_INT_H

#include "csig/cms.h"
#include "x509_int.h"

typedef struct cms_cdhash2 {
	const char *oid;
	int alg;             /* CSIG_HASH_* */
	csig_bytes digest;
} cms_cdhash2;

typedef struct cms_signer {
	int version;
	int sid_kind;        /* 1 issuerAndSerialNumber, 2 subjectKeyIdentifier */
	csig_bytes sid_issuer, sid_serial, sid_skid;
	const char *digest_oid;
	int digest_alg;
	int has_signed_attrs;
	csig_bytes signed_attrs;    /* the whole [0] element as encoded */
	size_t signed_attrs_hdr;
	int signed_attrs_indef;
	size_t n_signed_attrs;
	const char *content_type;
	int has_signing_time;
	int64_t signing_time;
	int has_message_digest;
	csig_bytes message_digest;
	int has_cdhashes_plist;
	csig_bytes cdhashes_plist;
	cms_cdhash2 *cdh2;
	size_t n_cdh2;
	const char *sig_alg_oid;
	csig_bytes signature;
	csig_cms *tst;       /* RFC 3161 token, owned */
	const csig_cert *cert;
} cms_signer;

struct csig_cms {
	csig_arena arena;
	uint8_t *own;        /* CSIG_OPEN_COPY buffer */
	csig_bytes der;
	int version;
	const char **digest_oids;
	size_t n_digest;
	const char *econtent_type;
	int detached;
	csig_bytes content;
	csig_cert **certs;   /* owned */
	size_t n_certs;
	size_t n_other_certs;
	int has_crls;
	cms_signer *signers;
	size_t n_signers;
	const csig_cert **chain;
	size_t n_chain;
	csig_cert *store_root;  /* embedded Apple root completing the chain, owned */
	/* TSTInfo, when this is a timestamp token */
	int is_tst;
	int64_t tst_gen_time;
	const char *tst_policy;
	const char *tst_hash_oid;
	int tst_hash_alg;
	csig_bytes tst_imprint;
	const char *tst_serial_hex;
};

/* JSON of a CMS and (if non-NULL) its verification result. */
void csig__cms_json(csig_json *j, const csig_cms *cms, const csig_cms_result *res);

#endif
