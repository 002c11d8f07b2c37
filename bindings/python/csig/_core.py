"""Declarations of csig/common.h, csig/macho.h, csig/codedir.h, csig/json.h.

One line per C function, in header order.  ``check=True`` marks calls
returning a CSIG_E_* code (errcheck raises on a negative value).
"""

from __future__ import annotations

from ctypes import (POINTER, c_char_p, c_int, c_int32, c_int64, c_size_t,
                    c_uint, c_uint8, c_uint32, c_uint64, c_void_p)

from . import errors  # noqa: F401  (installs errcheck before declaring)
from ._lib import (P_ERR, P_OPTS, PP, Blob_, CsigBytes, Finding_, Lc_,
                   VerifyOptions, declare)

VP = c_void_p
P_U8 = POINTER(c_uint8)
P_U32 = POINTER(c_uint32)
P_U64 = POINTER(c_uint64)
P_SIZE = POINTER(c_size_t)
P_BYTES = POINTER(CsigBytes)
P_FINDING = POINTER(Finding_)
P_LC = POINTER(Lc_)
P_BLOB = POINTER(Blob_)

# common.h
open_options_init = declare("csig_open_options_init", c_int, [P_OPTS, c_uint], True)
version_number = declare("csig_version_number", c_int, [])
version_string = declare("csig_version_string", c_char_p, [])
free = declare("csig_free", None, [VP])
time_parse = declare("csig_time_parse", c_int, [c_char_p, POINTER(c_int64)], True)
time_format = declare("csig_time_format", c_char_p, [c_int64, VP, c_size_t])

# macho.h
file_open = declare("csig_file_open", c_int, [PP, VP, c_size_t, P_OPTS, P_ERR], True)
file_open_path = declare("csig_file_open_path", c_int, [PP, c_char_p, P_OPTS, P_ERR], True)
file_free = declare("csig_file_free", None, [VP])
file_kind = declare("csig_file_kind", c_int, [VP])
file_size = declare("csig_file_size", c_uint64, [VP])
file_bytes = declare("csig_file_bytes", CsigBytes, [VP])
file_fat_magic = declare("csig_file_fat_magic", c_uint32, [VP])
file_slice_count = declare("csig_file_slice_count", c_size_t, [VP])
file_slice = declare("csig_file_slice", VP, [VP, c_size_t])
file_find_slice = declare("csig_file_find_slice", c_int, [VP, c_char_p, PP], True)
file_finding_count = declare("csig_file_finding_count", c_size_t, [VP])
file_finding = declare("csig_file_finding", P_FINDING, [VP, c_size_t])

slice_index = declare("csig_slice_index", c_size_t, [VP])
slice_offset = declare("csig_slice_offset", c_uint64, [VP])
slice_size = declare("csig_slice_size", c_uint64, [VP])
slice_bytes = declare("csig_slice_bytes", CsigBytes, [VP])
slice_magic = declare("csig_slice_magic", c_uint32, [VP])
slice_is64 = declare("csig_slice_is64", c_int, [VP])
slice_big_endian = declare("csig_slice_big_endian", c_int, [VP])
slice_cputype = declare("csig_slice_cputype", c_int32, [VP])
slice_cpusubtype = declare("csig_slice_cpusubtype", c_int32, [VP])
slice_fat_cputype = declare("csig_slice_fat_cputype", c_int32, [VP])
slice_fat_cpusubtype = declare("csig_slice_fat_cpusubtype", c_int32, [VP])
slice_arch = declare("csig_slice_arch", c_char_p, [VP])
slice_filetype = declare("csig_slice_filetype", c_uint32, [VP])
slice_flags = declare("csig_slice_flags", c_uint32, [VP])
slice_ncmds = declare("csig_slice_ncmds", c_uint32, [VP])
slice_sizeofcmds = declare("csig_slice_sizeofcmds", c_uint32, [VP])
slice_lc_count = declare("csig_slice_lc_count", c_size_t, [VP])
slice_lc = declare("csig_slice_lc", P_LC, [VP, c_size_t])
slice_code_signature = declare("csig_slice_code_signature", c_int, [VP, P_U32, P_U32], True)
slice_uuid = declare("csig_slice_uuid", c_int, [VP, P_U8], True)
slice_build_version = declare("csig_slice_build_version", c_int,
                              [VP, P_U32, P_U32, P_U32], True)
slice_info_plist = declare("csig_slice_info_plist", c_int, [VP, P_BYTES], True)

arch_name = declare("csig_arch_name", c_char_p, [c_int32, c_int32])
lc_name = declare("csig_lc_name", c_char_p, [c_uint32])
filetype_name = declare("csig_filetype_name", c_char_p, [c_uint32])
platform_name = declare("csig_platform_name", c_char_p, [c_uint32])
mh_flags_string = declare("csig_mh_flags_string", c_char_p, [c_uint32, VP, c_size_t])

# codedir.h
slice_signature = declare("csig_slice_signature", VP, [VP])
sig_bytes = declare("csig_sig_bytes", CsigBytes, [VP])
sig_file_offset = declare("csig_sig_file_offset", c_uint64, [VP])
sig_blob_count = declare("csig_sig_blob_count", c_size_t, [VP])
sig_blob = declare("csig_sig_blob", P_BLOB, [VP, c_size_t])
sig_find_blob = declare("csig_sig_find_blob", P_BLOB, [VP, c_uint32])
sig_cd_count = declare("csig_sig_cd_count", c_size_t, [VP])
sig_cd = declare("csig_sig_cd", VP, [VP, c_size_t])
sig_best_cd = declare("csig_sig_best_cd", VP, [VP])
sig_cms = declare("csig_sig_cms", c_int, [VP, P_BYTES], True)
sig_cms_parsed = declare("csig_sig_cms_parsed", VP, [VP])
sig_entitlements = declare("csig_sig_entitlements", VP, [VP])
sig_entitlements_der = declare("csig_sig_entitlements_der", VP, [VP])
sig_constraint = declare("csig_sig_constraint", VP, [VP, c_uint32])
sig_requirements = declare("csig_sig_requirements", VP, [VP])
req_eval_slice = declare("csig_req_eval_slice", c_int, [VP, VP, VP, PP, P_ERR], True)

codedir_slot = declare("csig_codedir_slot", c_uint32, [VP])
codedir_bytes = declare("csig_codedir_bytes", CsigBytes, [VP])
codedir_version = declare("csig_codedir_version", c_uint32, [VP])
codedir_flags = declare("csig_codedir_flags", c_uint32, [VP])
codedir_hash_type = declare("csig_codedir_hash_type", c_int, [VP])
codedir_hash_size = declare("csig_codedir_hash_size", c_uint, [VP])
codedir_page_shift = declare("csig_codedir_page_shift", c_uint, [VP])
codedir_n_special_slots = declare("csig_codedir_n_special_slots", c_uint32, [VP])
codedir_n_code_slots = declare("csig_codedir_n_code_slots", c_uint32, [VP])
codedir_code_limit = declare("csig_codedir_code_limit", c_uint64, [VP])
codedir_platform = declare("csig_codedir_platform", c_uint8, [VP])
codedir_identifier = declare("csig_codedir_identifier", c_char_p, [VP])
codedir_team_id = declare("csig_codedir_team_id", c_char_p, [VP])
codedir_exec_segment = declare("csig_codedir_exec_segment", c_int,
                               [VP, P_U64, P_U64, P_U64], True)
codedir_runtime = declare("csig_codedir_runtime", c_uint32, [VP])
codedir_slot_hash = declare("csig_codedir_slot_hash", c_int, [VP, c_int, P_BYTES], True)
codedir_cdhash = declare("csig_codedir_cdhash", None, [VP, P_U8])
codedir_cdhash_full = declare("csig_codedir_cdhash_full", c_int, [VP, P_U8, P_SIZE], True)

hash_type_name = declare("csig_hash_type_name", c_char_p, [c_int])
slot_name = declare("csig_slot_name", c_char_p, [c_uint32])
cd_flags_string = declare("csig_cd_flags_string", c_char_p, [c_uint32, VP, c_size_t])
execseg_flags_string = declare("csig_execseg_flags_string", c_char_p,
                               [c_uint64, VP, c_size_t])
digest = declare("csig_digest", c_int, [c_int, VP, c_size_t, P_U8, P_SIZE], True)

verify = declare("csig_verify", c_int, [PP, VP, POINTER(VerifyOptions), P_ERR], True)
verify_result_free = declare("csig_verify_result_free", None, [VP])
verify_result_valid = declare("csig_verify_result_valid", c_int, [VP])
verify_result_count = declare("csig_verify_result_count", c_size_t, [VP])
verify_result_finding = declare("csig_verify_result_finding", P_FINDING, [VP, c_size_t])
verify_result_bytes_hashed = declare("csig_verify_result_bytes_hashed", c_uint64, [VP])

# json.h
file_json = declare("csig_file_json", c_int,
                    [VP, c_int, c_uint, PP, P_SIZE, P_ERR], True)
verify_result_json = declare("csig_verify_result_json", c_int,
                             [VP, VP, c_uint, PP, P_SIZE, P_ERR], True)
