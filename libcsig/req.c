/*
 * req.c - decoding and validation of requirement blobs and requirement sets
 * (see csig/req.h; FORMAT.md section 3).
 */
#include <string.h>
#include "req_int.h"
#include "rd.h"

typedef struct dec {
	csig_req *req;
	csig_rd rd;
	size_t cap;
	unsigned limit;
	csig_error *err;
} dec;

static unsigned depth_limit(const csig_open_options *opts)
{
	if (opts && opts->max_depth && opts->max_depth < CSIG_REQ_DEPTH_MAX)
		return opts->max_depth;
	return CSIG_REQ_DEPTH_MAX;
}

static int new_node(dec *d, uint32_t *idx)
{
	csig_req *q = d->req;
	if (q->n_nodes == d->cap) {
		size_t ncap = d->cap ? d->cap * 2 : 16;
		req_node *nn = ncap < UINT32_MAX / 2
			? csig__realloc(q->nodes, ncap * sizeof(*nn)) : NULL;
		if (!nn)
			return CSIG_FAIL(d->err, CSIG_E_NOMEM, 0,
					 "requirement: out of memory for %zu expression nodes",
					 ncap);
		q->nodes = nn;
		d->cap = ncap;
	}
	req_node *n = &q->nodes[q->n_nodes];
	memset(n, 0, sizeof(*n));
	n->kid[0] = n->kid[1] = REQ_NO_KID;
	*idx = (uint32_t)q->n_nodes++;
	return CSIG_OK;
}

static int get_u32(dec *d, uint32_t *v, const char *field)
{
	d->rd.what = field;
	return rd_u32be(&d->rd, v);
}

static int get_i32(dec *d, int32_t *v, const char *field)
{
	uint32_t u;
	int e = get_u32(d, &u, field);
	if (!e)
		*v = (int32_t)u;
	return e;
}

/* data = u32 length + bytes + zero padding to 4 (Reader::getData). */
static int get_data(dec *d, csig_bytes *out, const char *field)
{
	uint64_t at = rd_abs(&d->rd);
	uint32_t n;
	int e = get_u32(d, &n, field);
	if (e)
		return e;
	if (n > rd_left(&d->rd))
		return CSIG_FAIL(d->err, CSIG_E_TRUNCATED, at,
				 "requirement: %s length %u at 0x%llx exceeds the %zu bytes left",
				 field, n, (unsigned long long)at, rd_left(&d->rd));
	e = rd_bytes(&d->rd, n, &out->ptr);
	if (e)
		return e;
	out->len = n;
	/* Apple aligns the cursor up; padding past the end is tolerated. */
	size_t pad = (4 - (n & 3)) & 3;
	if (pad > rd_left(&d->rd))
		pad = rd_left(&d->rd);
	return rd_skip(&d->rd, pad);
}

static int has_prefix(csig_bytes b, const char *p)
{
	size_t n = strlen(p);
	return b.len >= n && memcmp(b.ptr, p, n) == 0;
}

static int get_match(dec *d, uint32_t idx)
{
	uint32_t mop;
	int e = get_u32(d, &mop, "match operation");
	if (e)
		return e;
	req_node *n = &d->req->nodes[idx];
	n->has_match = 1;
	n->mop = mop;
	if (mop == REQ_MATCH_EXISTS || mop == REQ_MATCH_ABSENT)
		return CSIG_OK;
	if (mop >= REQ_MATCH_ON && mop <= REQ_MATCH_ON_OR_AFTER) {
		uint64_t ts;
		d->rd.what = "match timestamp";
		e = rd_u64be(&d->rd, &ts);
		if (!e)
			d->req->nodes[idx].ts = (int64_t)ts;
		return e;
	}
	if (mop >= REQ_MATCH_COUNT)
		d->req->flags |= REQ_F_UNKNOWN_MATCH;
	/* Unknown operations are assumed to carry one data operand (reqinterp). */
	csig_bytes v;
	e = get_data(d, &v, "match value");
	if (!e)
		d->req->nodes[idx].mval = v;
	return e;
}

static int expr(dec *d, unsigned depth, uint32_t *out)
{
	uint64_t at = rd_abs(&d->rd);
	if (depth > d->limit)
		return CSIG_FAIL(d->err, CSIG_E_DEPTH, at,
				 "requirement: expression at 0x%llx nests deeper than %u levels",
				 (unsigned long long)at, d->limit);
	uint32_t op, idx = 0;
	int e = get_u32(d, &op, "opcode");
	if (e)
		return e;
	if ((e = new_node(d, &idx)))
		return e;
	*out = idx;
	d->req->nodes[idx].op = op;
	d->req->nodes[idx].off = (uint32_t)(d->rd.pos - 4);
	int32_t slot = 0;
	csig_bytes a = { NULL, 0 }, b = { NULL, 0 };
	uint32_t kid;
	switch (op & ~REQ_OP_FLAG_MASK) {
	case REQ_OP_FALSE: case REQ_OP_TRUE: case REQ_OP_APPLE_ANCHOR:
	case REQ_OP_APPLE_GENERIC_ANCHOR: case REQ_OP_TRUSTED_CERTS:
	case REQ_OP_NOTARIZED: case REQ_OP_LEGACY_DEV_ID:
		return CSIG_OK;
	case REQ_OP_IDENT:
		e = get_data(d, &a, "identifier");
		break;
	case REQ_OP_CDHASH:
		e = get_data(d, &a, "cdhash");
		break;
	case REQ_OP_NAMED_ANCHOR:
		e = get_data(d, &a, "anchor name");
		break;
	case REQ_OP_NAMED_CODE:
		e = get_data(d, &a, "code name");
		break;
	case REQ_OP_ANCHOR_HASH:
		if (!(e = get_i32(d, &slot, "certificate slot")))
			e = get_data(d, &a, "certificate hash");
		break;
	case REQ_OP_INFO_KEY_VALUE:
		if (!(e = get_data(d, &a, "info key")))
			e = get_data(d, &b, "info value");
		break;
	case REQ_OP_TRUSTED_CERT:
	case REQ_OP_PLATFORM:
		e = get_i32(d, &slot, (op & ~REQ_OP_FLAG_MASK) == REQ_OP_PLATFORM
			    ? "platform" : "certificate slot");
		break;
	case REQ_OP_INFO_KEY_FIELD:
	case REQ_OP_ENTITLEMENT_FIELD:
		if (!(e = get_data(d, &a, "key")))
			e = get_match(d, idx);
		break;
	case REQ_OP_CERT_FIELD: case REQ_OP_CERT_GENERIC:
	case REQ_OP_CERT_POLICY: case REQ_OP_CERT_FIELD_DATE:
		if (!(e = get_i32(d, &slot, "certificate slot")) &&
		    !(e = get_data(d, &a, (op & ~REQ_OP_FLAG_MASK) == REQ_OP_CERT_FIELD
				   ? "certificate field" : "OID")))
			e = get_match(d, idx);
		if (!e && (op & ~REQ_OP_FLAG_MASK) == REQ_OP_CERT_FIELD &&
		    (has_prefix(a, "field.") || has_prefix(a, "extension.") ||
		     has_prefix(a, "policy.") || has_prefix(a, "timestamp.")))
			d->req->flags |= REQ_F_NOCOMPILE;  /* a field key that reads as an OID key */
		break;
	case REQ_OP_AND:
	case REQ_OP_OR:
		if ((e = expr(d, depth + 1, &kid)))
			return e;
		d->req->nodes[idx].kid[0] = kid;
		if ((e = expr(d, depth + 1, &kid)))
			return e;
		d->req->nodes[idx].kid[1] = kid;
		return CSIG_OK;
	case REQ_OP_NOT:
		if ((e = expr(d, depth + 1, &kid)))
			return e;
		d->req->nodes[idx].kid[0] = kid;
		return CSIG_OK;
	default:
		if (op & (REQ_OP_GENERIC_FALSE | REQ_OP_GENERIC_SKIP)) {
			uint32_t size;
			uint64_t sat = rd_abs(&d->rd);
			if ((e = get_u32(d, &size, "opcode payload size")))
				return e;
			if (size > rd_left(&d->rd))
				return CSIG_FAIL(d->err, CSIG_E_TRUNCATED, sat,
						 "requirement: opcode 0x%08x at 0x%llx claims a %u-byte payload, %zu bytes left",
						 op, (unsigned long long)at, size,
						 rd_left(&d->rd));
			if ((e = rd_skip(&d->rd, size)))
				return e;
			d->req->nodes[idx].skip = size;
			d->req->flags |= REQ_F_UNKNOWN_OP;
			if (op & REQ_OP_GENERIC_FALSE)
				return CSIG_OK;
			if ((e = expr(d, depth + 1, &kid)))
				return e;
			d->req->nodes[idx].kid[0] = kid;
			return CSIG_OK;
		}
		return CSIG_FAIL(d->err, CSIG_E_UNSUPPORTED, at,
				 "requirement: unknown opcode %u (0x%08x) at 0x%llx without GenericFalse/GenericSkip flags",
				 op, op, (unsigned long long)at);
	}
	if (e)
		return e;
	req_node *n = &d->req->nodes[idx];
	n->slot = slot;
	n->a = a;
	n->b = b;
	return CSIG_OK;
}

int csig__req_parse_at(csig_req **out, const void *blob, size_t len,
		       uint64_t base, const csig_open_options *opts,
		       csig_error *err)
{
	if (out)
		*out = NULL;
	if (!out || (!blob && len))
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "csig_req_parse: NULL argument");
	if (opts && opts->version != CSIG_OPEN_OPTIONS_VERSION)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0,
				 "csig_req_parse: unknown options version %u", opts->version);
	csig_rd r;
	rd_init(&r, blob, len, base, "requirement header", err);
	uint32_t magic, length, kind;
	int e;
	if ((e = rd_u32be(&r, &magic)))
		return e;
	if (magic != CSIG_REQ_MAGIC)
		return CSIG_FAIL(err, CSIG_E_BADMAGIC, base,
				 "requirement: magic 0x%08x at 0x%llx is not 0xfade0c00",
				 magic, (unsigned long long)base);
	if ((e = rd_u32be(&r, &length)) || (e = rd_u32be(&r, &kind)))
		return e;
	if (length < 12)
		return CSIG_FAIL(err, CSIG_E_BADVALUE, base + 4,
				 "requirement: length %u at 0x%llx is below the 12-byte header",
				 length, (unsigned long long)(base + 4));
	if (length != len)
		return CSIG_FAIL(err, length > len ? CSIG_E_TRUNCATED : CSIG_E_TRAILING,
				 base + 4,
				 "requirement: length field %u at 0x%llx but %zu bytes given",
				 length, (unsigned long long)(base + 4), len);
	if (kind != CSIG_REQ_KIND_EXPR && kind != CSIG_REQ_KIND_LWCR)
		return CSIG_FAIL(err, CSIG_E_UNSUPPORTED, base + 8,
				 "requirement: kind %u at 0x%llx is neither 1 (expression) nor 2 (lightweight)",
				 kind, (unsigned long long)(base + 8));

	csig_req *q = csig__calloc_n(1, sizeof(*q));
	if (!q)
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "requirement: out of memory");
	q->blob = csig__malloc(len);
	if (!q->blob) {
		csig__free(q);
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "requirement: out of memory for %zu bytes", len);
	}
	memcpy(q->blob, blob, len);
	q->len = len;
	q->base = base;
	q->kind = kind;

	dec d;
	memset(&d, 0, sizeof(d));
	d.req = q;
	d.limit = depth_limit(opts);
	d.err = err;
	rd_init(&d.rd, q->blob, len, base, "requirement", err);
	e = rd_seek(&d.rd, 12);
	if (!e && kind == CSIG_REQ_KIND_EXPR) {
		uint32_t root;
		e = expr(&d, 1, &root);
	} else if (!e) {
		e = get_data(&d, &q->lwcr, "lightweight requirement DER");
	}
	if (!e && rd_left(&d.rd))
		e = CSIG_FAIL(err, CSIG_E_TRAILING, rd_abs(&d.rd),
			      "requirement: %zu bytes after the expression at 0x%llx",
			      rd_left(&d.rd), (unsigned long long)rd_abs(&d.rd));
	if (e) {
		csig_req_free(q);
		return e;
	}
	*out = q;
	return CSIG_OK;
}

int csig_req_parse(csig_req **out, const void *blob, size_t len,
		   const csig_open_options *opts, csig_error *err)
{
	return csig__req_parse_at(out, blob, len, 0, opts, err);
}

void csig_req_free(csig_req *req)
{
	if (!req)
		return;
	csig__free(req->nodes);
	csig__free(req->blob);
	csig__free(req);
}

uint32_t csig_req_kind(const csig_req *req)
{
	return req ? req->kind : 0;
}

csig_bytes csig_req_raw(const csig_req *req)
{
	csig_bytes b = { NULL, 0 };
	if (req) {
		b.ptr = req->blob;
		b.len = req->len;
	}
	return b;
}

csig_bytes csig_req_lwcr_der(const csig_req *req)
{
	csig_bytes b = { NULL, 0 };
	if (req && req->kind == CSIG_REQ_KIND_LWCR)
		b = req->lwcr;
	return b;
}

const char *csig_req_type_name(uint32_t type)
{
	static const char names[][12] = {
		"invalid", "host", "guest", "designated", "library", "plugin"
	};
	return type < CSIG_ARRAY_LEN(names) ? names[type] : NULL;
}

/* ---- requirement sets --------------------------------------------------- */

int csig__reqset_parse_at(csig_reqset **out, const void *blob, size_t len,
			  uint64_t base, const csig_open_options *opts,
			  csig_error *err)
{
	if (out)
		*out = NULL;
	if (!out || (!blob && len))
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "csig_reqset_parse: NULL argument");
	if (opts && opts->version != CSIG_OPEN_OPTIONS_VERSION)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0,
				 "csig_reqset_parse: unknown options version %u", opts->version);
	csig_rd r;
	rd_init(&r, blob, len, base, "requirement set header", err);
	uint32_t magic, length, count;
	int e;
	if ((e = rd_u32be(&r, &magic)))
		return e;
	if (magic != CSIG_REQSET_MAGIC)
		return CSIG_FAIL(err, CSIG_E_BADMAGIC, base,
				 "requirement set: magic 0x%08x at 0x%llx is not 0xfade0c01",
				 magic, (unsigned long long)base);
	if ((e = rd_u32be(&r, &length)) || (e = rd_u32be(&r, &count)))
		return e;
	if (length < 12)
		return CSIG_FAIL(err, CSIG_E_BADVALUE, base + 4,
				 "requirement set: length %u at 0x%llx is below the 12-byte header",
				 length, (unsigned long long)(base + 4));
	if (length != len)
		return CSIG_FAIL(err, length > len ? CSIG_E_TRUNCATED : CSIG_E_TRAILING,
				 base + 4,
				 "requirement set: length field %u at 0x%llx but %zu bytes given",
				 length, (unsigned long long)(base + 4), len);
	unsigned maxc = CSIG_LIMIT_BLOBS;
	if (opts && opts->max_count && opts->max_count < maxc)
		maxc = opts->max_count;
	if (count > maxc)
		return CSIG_FAIL(err, CSIG_E_LIMIT, base + 8,
				 "requirement set: count %u at 0x%llx exceeds the limit of %u entries",
				 count, (unsigned long long)(base + 8), maxc);
	uint64_t index_end = 12 + (uint64_t)count * 8;
	if (index_end > len)
		return CSIG_FAIL(err, CSIG_E_TRUNCATED, base + 8,
				 "requirement set: index of %u entries ends at 0x%llx beyond length %zu",
				 count, (unsigned long long)index_end, len);

	csig_reqset *s = csig__calloc_n(1, sizeof(*s));
	if (!s)
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "requirement set: out of memory");
	s->blob = csig__malloc(len);
	s->types = csig__calloc_n(count, sizeof(*s->types));
	s->reqs = csig__calloc_n(count, sizeof(*s->reqs));
	if (!s->blob || !s->types || !s->reqs) {
		csig_reqset_free(s);
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "requirement set: out of memory");
	}
	memcpy(s->blob, blob, len);
	s->len = len;
	rd_init(&r, s->blob, len, base, "requirement set index", err);
	(void)rd_seek(&r, 12);
	for (uint32_t i = 0; i < count; i++) {
		uint32_t type, off, elen;
		uint64_t at = rd_abs(&r);
		if ((e = rd_u32be(&r, &type)) || (e = rd_u32be(&r, &off)))
			break;
		if (off < index_end || !csig_range_ok(off, 8, len)) {
			e = CSIG_FAIL(err, CSIG_E_BADOFFSET, at + 4,
				      "requirement set: entry %u (type %u) offset 0x%x at 0x%llx is outside [0x%llx, 0x%zx)",
				      i, type, off, (unsigned long long)(at + 4),
				      (unsigned long long)index_end, len);
			break;
		}
		if ((e = rd_at_u32be(&r, (uint64_t)off + 4, &elen)))
			break;
		if (!csig_range_ok(off, elen, len)) {
			e = CSIG_FAIL(err, CSIG_E_BADOFFSET, base + off + 4,
				      "requirement set: entry %u length %u at 0x%llx runs past the set's end 0x%zx",
				      i, elen, (unsigned long long)(base + off + 4), len);
			break;
		}
		csig_rd sub;
		if ((e = rd_sub(&r, off, elen, &sub, "requirement")))
			break;
		if ((e = csig__req_parse_at(&s->reqs[i], sub.p, sub.len,
					    base + off, opts, err)))
			break;
		s->types[i] = type;
		s->count = i + 1;
		if (i > 0 && s->types[i - 1] >= type)
			s->flags |= REQ_F_LOSSY;
	}
	if (e) {
		csig_reqset_free(s);
		return e;
	}
	s->count = count;
	*out = s;
	return CSIG_OK;
}

int csig_reqset_parse(csig_reqset **out, const void *blob, size_t len,
		      const csig_open_options *opts, csig_error *err)
{
	return csig__reqset_parse_at(out, blob, len, 0, opts, err);
}

void csig_reqset_free(csig_reqset *set)
{
	if (!set)
		return;
	if (set->reqs)
		for (size_t i = 0; i < set->count; i++)
			csig_req_free(set->reqs[i]);
	csig__free(set->reqs);
	csig__free(set->types);
	csig__free(set->blob);
	csig__free(set);
}

size_t csig_reqset_count(const csig_reqset *set)
{
	return set ? set->count : 0;
}

uint32_t csig_reqset_type(const csig_reqset *set, size_t i)
{
	return set && i < set->count ? set->types[i] : 0;
}

const csig_req *csig_reqset_get(const csig_reqset *set, size_t i)
{
	return set && i < set->count ? set->reqs[i] : NULL;
}

const csig_req *csig_reqset_find(const csig_reqset *set, uint32_t type)
{
	if (!set)
		return NULL;
	for (size_t i = 0; i < set->count; i++)
		if (set->types[i] == type)
			return set->reqs[i];
	return NULL;
}

csig_bytes csig_reqset_raw(const csig_reqset *set)
{
	csig_bytes b = { NULL, 0 };
	if (set) {
		b.ptr = set->blob;
		b.len = set->len;
	}
	return b;
}

/* ---- round-trip classes and JSON ---------------------------------------- */

int csig__req_roundtrip_class(const csig_req *req)
{
	if (!req || req->kind != CSIG_REQ_KIND_EXPR ||
	    (req->flags & (REQ_F_UNKNOWN_MATCH | REQ_F_NOCOMPILE)))
		return 2;
	return (req->flags & (REQ_F_UNKNOWN_OP | REQ_F_LOSSY)) ? 1 : 0;
}

int csig__reqset_roundtrip_class(const csig_reqset *set)
{
	if (!set || set->count == 0)
		return 2;
	int worst = (set->flags & REQ_F_LOSSY) ? 1 : 0;
	for (size_t i = 0; i < set->count; i++) {
		int c = csig__req_roundtrip_class(set->reqs[i]);
		if (c > worst)
			worst = c;
	}
	return worst;
}

void csig__req_json(csig_json *j, const csig_req *req)
{
	json_obj_begin(j);
	json_kv_u64(j, "kind", req->kind);
	char *text = NULL;
	size_t n = 0;
	if (csig_req_to_text(req, &text, &n, NULL) == CSIG_OK) {
		json_kv_strn(j, "text", text, n);
		csig__free(text);
	} else {
		json_key(j, "text");
		json_null(j);
	}
	json_kv_hex(j, "raw", req->blob, req->len);
	json_obj_end(j);
}

void csig__reqset_json(csig_json *j, const csig_reqset *s)
{
	json_obj_begin(j);
	json_kv_u64(j, "count", s->count);
	json_key(j, "requirements");
	json_arr_begin(j);
	for (size_t i = 0; i < s->count; i++) {
		const csig_req *q = s->reqs[i];
		json_obj_begin(j);
		json_kv_u64(j, "type", s->types[i]);
		const char *tn = csig_req_type_name(s->types[i]);
		json_key(j, "type_name");
		if (tn)
			json_str(j, tn);
		else
			json_null(j);
		json_kv_u64(j, "kind", q->kind);
		char *text = NULL;
		size_t n = 0;
		json_key(j, "text");
		if (csig_req_to_text(q, &text, &n, NULL) == CSIG_OK) {
			json_strn(j, text, n);
			csig__free(text);
		} else {
			json_null(j);
		}
		json_kv_hex(j, "raw", q->blob, q->len);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_kv_hex(j, "raw", s->blob, s->len);
	json_obj_end(j);
}
