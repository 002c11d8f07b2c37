"""csig: Python binding of libcsig, which reads and checks Apple code
signatures (Mach-O, SuperBlob, CodeDirectory, cdhashes) on any OS.

Standard library only: the C library is loaded with ctypes (see
``csig._lib`` for the search order) and every fact comes from a C call;
JSON documents are the library's own bytes.

>>> import csig
>>> with csig.open("testdata/good/adhoc-arm64") as m:      # doctest: +SKIP
...     cd = m.slices[0].best_cd
...     print(cd.identifier, cd.cdhash.hex(), m.verify().valid)
adhoc-arm64 ... True
"""

from ._lib import path as library_path
from . import _core
from .errors import CsigError, errname, strerror  # noqa: F401
from .errors import BY_CODE as _BY_CODE
from .macho import (BuildVersion, CodeSignatureCommand, Finding, LoadCommand,
                    MachO, Severity, Slice, arch_name, lc_name, open)
from .codedir import Blob, CodeDirectory, ExecSegment, Signature, VerifyResult
# Optional parts of the library: the classes exist either way and raise
# NotImplementedError when the loaded libcsig lacks the functions.
from .plist import Plist, PValue
from .cms import Certificate, Cms, CmsResult, Signer, apple_oid_name
from .req import (ReqCert, ReqResult, Requirement, RequirementSet, TraceEntry,
                  compile_requirement)
from .profile import MatchResult, MatchRow, Profile, ProfileResult
from .zip import Zip, ZipEntry
from .bundle import Bundle, BundleResult
from ._time import time_format, time_parse
from .scan import sniff
from .audit import Audit, UpdateCheck, check_update

# Every generated error class is importable from the package:
# csig.TruncatedError, csig.BadMagicError, ...
globals().update({cls.__name__: cls for cls in _BY_CODE.values()})

#: "MAJOR.MINOR.PATCH" of the library actually loaded.
__version__ = _core.version_string().decode()
#: CSIG_VERSION_NUMBER of the library actually loaded.
version_number = _core.version_number()


def version() -> str:
    """Version string of the loaded libcsig."""
    return __version__


__all__ = [
    "CsigError", "MachO", "Slice", "Signature", "CodeDirectory", "Blob",
    "VerifyResult", "Finding", "Severity", "LoadCommand", "BuildVersion",
    "CodeSignatureCommand", "ExecSegment", "Plist", "PValue", "Cms", "CmsResult",
    "Signer", "Certificate", "apple_oid_name",
    "Requirement", "RequirementSet", "ReqResult", "ReqCert", "TraceEntry",
    "compile_requirement", "Profile", "ProfileResult", "MatchResult", "MatchRow",
    "Zip", "ZipEntry", "Bundle", "BundleResult", "time_parse", "time_format",
    "sniff", "Audit", "UpdateCheck", "check_update",
    "errname", "strerror",
    "arch_name", "lc_name", "version", "version_number", "library_path",
]
