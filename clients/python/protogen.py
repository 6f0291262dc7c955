"""Generates Python modules from Runnel's .proto files at run time, into a cache directory.

Nothing generated is committed: the first run compiles proto/src/main/proto/runnel/v1/*.proto
(plus the example's own rpc_status.proto) into a directory named after a hash of their contents,
and later runs reuse it. Changing a .proto file changes the hash, so stale code is never imported.

Two compilers are tried, in this order:
  1. grpc_tools.protoc (pip's grpcio-tools, version 1.36 or newer), the usual Python tool;
  2. protoc with grpc_python_plugin (Debian: protobuf-compiler and protobuf-compiler-grpc).
Debian 12's python3-grpc-tools bundles protoc 3.5.1, which predates proto3 `optional` fields, so
on Debian the second one does the work.
"""

import hashlib
import importlib
import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import types
from pathlib import Path

import google.protobuf

HERE = Path(__file__).resolve().parent
# The repository's public API protos, relative to this file's place in the repository.
DEFAULT_PROTO_ROOT = HERE.parent.parent / "proto" / "src" / "main" / "proto"
LOCAL_PROTO_ROOT = HERE / "proto"
API_PROTOS = (
    "runnel/v1/records.proto",
    "runnel/v1/errors.proto",
    "runnel/v1/log.proto",
    "runnel/v1/admin.proto",
)
LOCAL_PROTOS = ("runnel/example/rpc_status.proto",)
# Part of the cache key: bump it when the way code is generated changes.
GENERATOR_VERSION = "1"
# A compiler that runs longer than this is treated as hung.
COMPILE_TIMEOUT_S = 120


class ProtoGenError(Exception):
    """The protos could not be found, compiled or imported; the message says what to install."""


def default_cache_root():
    """$RUNNEL_PY_CACHE, else $XDG_CACHE_HOME/runnel/python, else ~/.cache/runnel/python."""
    if os.environ.get("RUNNEL_PY_CACHE"):
        return Path(os.environ["RUNNEL_PY_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "runnel" / "python"


def load(proto_root=None, cache_root=None):
    """Generates the modules if needed, imports them and returns them as one namespace.

    Attributes: records, errors, log, admin (message modules), log_grpc, admin_grpc (stubs) and
    status (the example's RpcStatus, for decoding error details).
    """
    proto_root = Path(proto_root or DEFAULT_PROTO_ROOT)
    out = ensure_generated(proto_root, Path(cache_root or default_cache_root()))
    # The generated modules import each other as "runnel.v1.xxx_pb2", so their root goes on the path.
    sys.path.insert(0, str(out))
    imp = importlib.import_module
    try:
        return types.SimpleNamespace(
            records=imp("runnel.v1.records_pb2"),
            errors=imp("runnel.v1.errors_pb2"),
            log=imp("runnel.v1.log_pb2"),
            admin=imp("runnel.v1.admin_pb2"),
            log_grpc=imp("runnel.v1.log_pb2_grpc"),
            admin_grpc=imp("runnel.v1.admin_pb2_grpc"),
            status=imp("runnel.example.rpc_status_pb2"),
        )
    except ImportError as e:
        raise ProtoGenError(f"generated code in {out} does not import: {e}") from e


def ensure_generated(proto_root, cache_root):
    """Returns the directory holding generated code for these protos, generating it if missing."""
    target = cache_root / _cache_key(proto_root)
    if (target / "COMPLETE").exists():
        return target
    try:
        cache_root.mkdir(parents=True, exist_ok=True)
        # Generate next to the target and rename, so a crash or a parallel run never leaves half a
        # tree behind.
        work = Path(tempfile.mkdtemp(prefix="tmp-", dir=cache_root))
    except OSError as e:
        raise ProtoGenError(f"cannot write generated code to {cache_root}: {e}") from e
    try:
        _compile(proto_root, work)
        (work / "COMPLETE").write_text("generated from " + str(proto_root) + "\n")
        try:
            os.rename(work, target)
        except OSError:
            if not (target / "COMPLETE").exists():  # else a parallel run got there first
                raise
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return target


def _cache_key(proto_root):
    digest = hashlib.sha256()
    digest.update(f"{GENERATOR_VERSION} protobuf-{google.protobuf.__version__}\n".encode())
    for root, names in ((proto_root, API_PROTOS), (LOCAL_PROTO_ROOT, LOCAL_PROTOS)):
        for name in names:
            path = root / name
            if not path.is_file():
                raise ProtoGenError(f"proto file not found: {path} (pass --proto-dir)")
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def _compilers():
    """(description, command prefix) for each available compiler, in order of preference."""
    found = []
    if importlib.util.find_spec("grpc_tools") is not None:
        found.append(("grpc_tools.protoc", [sys.executable, "-m", "grpc_tools.protoc"]))
    protoc, plugin = shutil.which("protoc"), shutil.which("grpc_python_plugin")
    if protoc and plugin:
        found.append(("protoc with grpc_python_plugin",
                      [protoc, f"--plugin=protoc-gen-grpc_python={plugin}"]))
    return found


def _compile(proto_root, out):
    compilers = _compilers()
    if not compilers:
        raise ProtoGenError(
            "no protobuf compiler found: install grpcio-tools (pip), or on Debian the packages "
            "protobuf-compiler and protobuf-compiler-grpc")
    args = [f"-I{proto_root}", f"-I{LOCAL_PROTO_ROOT}",
            f"--python_out={out}", f"--grpc_python_out={out}", *API_PROTOS, *LOCAL_PROTOS]
    failures = []
    for description, command in compilers:
        try:
            done = subprocess.run(command + args, capture_output=True, text=True,
                                  timeout=COMPILE_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            failures.append(f"{description}: no answer within {COMPILE_TIMEOUT_S} s")
            continue
        if done.returncode == 0:
            return
        failures.append(f"{description}: {(done.stderr or done.stdout).strip()}")
        # Drop partial output before the next compiler writes its own.
        for child in out.iterdir():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    raise ProtoGenError(
        "could not compile the protos:\n  " + "\n  ".join(failures)
        + "\nproto3 optional fields need protoc 3.15 or newer: on Debian install "
        "protobuf-compiler and protobuf-compiler-grpc, elsewhere pip install grpcio-tools")
