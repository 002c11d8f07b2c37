"""A PEP 517 build backend in ~80 lines of standard library, so that
``pip install bindings/python`` works offline: the package is pure Python
(no compile step), and a wheel is only a zip with three metadata files.
setuptools would need ``wheel`` from an index when that is not installed.
"""

import base64
import hashlib
import io
import os
import tarfile
import zipfile

NAME = "csig"
VERSION = "1.0.0"
HERE = os.path.dirname(os.path.abspath(__file__))
TAG = "py3-none-any"


def _metadata():
    with open(os.path.join(HERE, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    return ("Metadata-Version: 2.1\nName: %s\nVersion: %s\n"
            "Summary: Read and check Apple code signatures on any OS "
            "(ctypes binding of libcsig)\nRequires-Python: >=3.8\n"
            "Provides-Extra: test\nRequires-Dist: pytest; extra == \"test\"\n"
            "Description-Content-Type: text/markdown\n\n%s" % (NAME, VERSION, readme))


def _files():
    pkg = os.path.join(HERE, NAME)
    for name in sorted(os.listdir(pkg)):
        if name.endswith(".py") or name == "py.typed":
            yield "%s/%s" % (NAME, name), os.path.join(pkg, name)


def _record_line(arc, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
    return "%s,sha256=%s,%d" % (arc, digest.decode(), len(data))


def _wheel(wheel_directory, entries):
    dist = "%s-%s.dist-info" % (NAME, VERSION)
    fname = "%s-%s-%s.whl" % (NAME, VERSION, TAG)
    meta = {
        dist + "/METADATA": _metadata().encode("utf-8"),
        dist + "/WHEEL": ("Wheel-Version: 1.0\nGenerator: csig build_backend\n"
                          "Root-Is-Purelib: true\nTag: %s\n" % TAG).encode(),
        dist + "/top_level.txt": (NAME + "\n").encode(),
    }
    record = []
    with zipfile.ZipFile(os.path.join(wheel_directory, fname), "w",
                         zipfile.ZIP_DEFLATED) as z:
        for arc, data in list(entries) + list(meta.items()):
            z.writestr(arc, data)
            record.append(_record_line(arc, data))
        record.append(dist + "/RECORD,,")
        z.writestr(dist + "/RECORD", "\n".join(record) + "\n")
    return fname


def get_requires_for_build_wheel(config_settings=None):
    return []


get_requires_for_build_sdist = get_requires_for_build_editable = get_requires_for_build_wheel


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    entries = []
    for arc, path in _files():
        with open(path, "rb") as f:
            entries.append((arc, f.read()))
    return _wheel(wheel_directory, entries)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    return _wheel(wheel_directory, [("%s.pth" % NAME, (HERE + "\n").encode())])


def build_sdist(sdist_directory, config_settings=None):
    base = "%s-%s" % (NAME, VERSION)
    fname = base + ".tar.gz"
    with tarfile.open(os.path.join(sdist_directory, fname), "w:gz") as t:
        for rel in ["pyproject.toml", "build_backend.py", "README.md"] + [
                a for a, _ in _files()]:
            t.add(os.path.join(HERE, rel), arcname="%s/%s" % (base, rel))
        pkg_info = _metadata().encode("utf-8")
        ti = tarfile.TarInfo("%s/PKG-INFO" % base)
        ti.size = len(pkg_info)
        t.addfile(ti, io.BytesIO(pkg_info))
    return fname
