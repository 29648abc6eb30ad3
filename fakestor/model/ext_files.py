"""External files: files the satellites write where a resource definition asks for them.

Rules from LINSTOR 1.31.3 (``CtrlExternalFilesApiCallHandler``, ``CtrlExternalFilesHelper``,
``ExternalFileName``, ``CtrlRscDfnApiCallHandler#setDeployFile``).

A file is registered under its exact path (lookups for writes are case-sensitive; a single
``GET`` matches case-insensitively, as the controller's REST class does). Deploying a file on a
resource definition is the property ``files/<path>`` = ``True`` on it; undeploying removes the
property. Whether a satellite may write a path is decided by the satellite's own start-up
configuration (``--allow-ext-files``, ``LS_ALLOW_EXT_FILES``, ``[files] allowExtFiles``), not
by any LINSTOR property: the fake keeps that list per node, set through
``set_ext_file_whitelist`` (a control LINSTOR has no REST call for).
"""
import base64
import binascii
from dataclasses import dataclass
from typing import Dict, List, Optional

from linstor import sharedconsts as C

from ..apicallrc import ApiError, Context, RcEntry, bare_error
from . import names

MAX_NAME_LENGTH = 1024  # ExternalFileName.MAX_LENGTH
FILES_NAMESPACE = "files"  # InternalApiConsts.NAMESPC_FILES


@dataclass
class ExternalFile:
    path: str
    uuid: str
    content: str  # base64, as the controller sends it


def ext_file_ctx(path: str) -> Context:
    """The context of every external-file write (the controller uses the modify operation for
    both set and delete)."""
    return Context(C.MASK_MOD, C.MASK_EXT_FILES, {C.KEY_EXT_FILE: path}, "External file: %s" % path)


def name_problem(path: Optional[str]) -> Optional[str]:
    """Why ``path`` is no valid external file name (``ExternalFileName``), or None."""
    if path is None:
        return "Invalid Name: Name must not be null"
    if len(path) > MAX_NAME_LENGTH:
        return "Invalid name: Name length %d is greater than maximum length %d" % (len(path), MAX_NAME_LENGTH)
    if not path.startswith("/"):
        return "Invalid name: The path must be absolute!"
    if not path.isascii():
        return "Invalid name: The path must contain only ASCII characters"
    return None


def invalid_name(path: str, ctx: Optional[Context]) -> ApiError:
    problem = name_problem(path)
    msg = "The given external file name '%s' is invalid." % path
    if ctx is None:
        return bare_error(C.FAIL_INVLD_EXT_FILE_NAME, msg, cause=problem, report=True)
    return ctx.error(C.FAIL_INVLD_EXT_FILE_NAME, msg, cause=problem, report=True)


def java_path(text: str) -> str:
    """A path as Java's ``Paths.get`` keeps it: repeated and trailing slashes dropped."""
    parts = [p for p in text.split("/") if p]
    lead = "/" if text.startswith("/") else ""
    return lead + "/".join(parts) if parts else lead


def _normalized_parent(path: str) -> Optional[str]:
    """``Paths.get(path).normalize().getParent()`` of an absolute path."""
    parts: List[str] = []
    for part in path.split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if parts:
                parts.pop()
            continue
        parts.append(part)
    if not parts:
        return None
    return "/" + "/".join(parts[:-1])


def deploy_key(path: str) -> str:
    """The resource-definition property that deploys ``path`` (the controller's props container
    drops the empty path segments of ``files/`` + path)."""
    return "/".join(p for p in (FILES_NAMESPACE + "/" + path).split("/") if p)


def decode_content(content: Optional[str]) -> bytes:
    """The request's base64 content as ``java.util.Base64.getDecoder()`` reads it; a missing or
    malformed one fails before the handler runs (an unknown error, as the controller answers)."""
    if content is None:
        raise ApiError(RcEntry(C.FAIL_UNKNOWN_ERROR, "An unknown error occurred.", report=True))
    try:
        return base64.b64decode(content.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        bad = next((ch for ch in content if not (ch.isascii() and (ch.isalnum() or ch in "+/="))), None)
        detail = ("Illegal base64 character %x" % ord(bad)) if bad is not None else \
            "Input byte array has wrong 4-byte ending unit"
        raise ApiError(RcEntry(C.FAIL_UNKNOWN_ERROR, "An unknown error occurred.", details=detail, report=True))


class ExtFileOps:
    def _init_state(self) -> None:
        self.ext_files: Dict[str, ExternalFile] = {}
        # node key -> the paths the node's satellite was started to allow
        self.ext_file_whitelists: Dict[str, List[str]] = {}

    # -- lookups ----------------------------------------------------------------------------
    def list_ext_files(self) -> List[ExternalFile]:
        return [f for _, f in sorted(self.ext_files.items())]

    def find_ext_file(self, path: str) -> Optional[ExternalFile]:
        """The first file whose path equals ``path`` ignoring case (the single ``GET``)."""
        return next((f for f in self.list_ext_files() if f.path.lower() == path.lower()), None)

    def _load_ext_file(self, path: str, ctx: Context) -> ExternalFile:
        if name_problem(path) is not None:
            raise invalid_name(path, ctx)
        ext_file = self.ext_files.get(path)
        if ext_file is None:
            raise ctx.error(C.FAIL_NOT_FOUND_EXT_FILE, "External file '%s' not registered." % path,
                            cause="The specified external file '%s' could not be found in the database" % path,
                            correction="Create an external file with the name '%s' first." % path)
        return ext_file

    # -- the satellites' whitelists ---------------------------------------------------------
    def set_ext_file_whitelist(self, node_name: str, paths: List[str]) -> List[str]:
        """The directories a node's satellite may write external files into (its start-up
        configuration; the controller learns it when the satellite connects)."""
        self.ext_file_whitelists[names.key(node_name)] = [java_path(p) for p in paths]
        return self.ext_file_whitelist(node_name)

    def ext_file_whitelist(self, node_name: str) -> List[str]:
        return list(self.ext_file_whitelists.get(names.key(node_name), []))

    def ext_file_allowed(self, path: str, node_name: str) -> bool:
        """Whether the node's satellite allows ``path`` (its normalized parent directory is
        whitelisted); False for unknown nodes and invalid names, as the controller answers."""
        if name_problem(path) is not None or not isinstance(node_name, str):
            return False
        try:
            names.check_node_name(node_name)
        except names.InvalidName:
            return False
        if names.key(node_name) not in self.nodes:
            return False
        parent = _normalized_parent(path)
        return parent is not None and parent in self.ext_file_whitelists.get(names.key(node_name), [])

    # -- writes -----------------------------------------------------------------------------
    def set_ext_file(self, path: str, content: bytes) -> List[RcEntry]:
        """Registers the file or replaces its content (an empty content leaves a registered file
        as it is). The satellites answer nothing, so neither does the call."""
        ctx = ext_file_ctx(path)
        if name_problem(path) is not None:
            raise invalid_name(path, ctx)
        ext_file = self.ext_files.get(path)
        if ext_file is None:
            if not content:
                raise ctx.error(C.FAIL_INVLD_EXT_FILE, "The content must not be null or empty", report=True)
            self.ext_files[path] = ExternalFile(path, self.ids.uuid(), base64.b64encode(content).decode("ascii"))
        elif content:
            ext_file.content = base64.b64encode(content).decode("ascii")
        return []

    def delete_ext_file(self, path: str) -> List[RcEntry]:
        ctx = ext_file_ctx(path)
        if name_problem(path) is not None:
            raise invalid_name(path, ctx)
        desc = "External file: %s" % path
        ext_file = self.ext_files.get(path)
        if ext_file is None:
            return [ctx.entry(C.WARN_NOT_FOUND, "%s not found in LINSTOR database." % desc)]
        entries = [ctx.entry(C.DELETED, "%s marked for deletion." % desc, details="%s UUID is: %s"
                             % (desc, ext_file.uuid))]
        key = deploy_key(path)
        for _, rd in sorted(self.resource_definitions.items()):
            if rd.props.pop(key, None) is not None:
                entries += [ctx.entry(C.MODIFIED, "Updated Resource definition '%s' on '%s'" % (rd.name, node))
                            for node in self._online_resource_nodes(rd)]
        del self.ext_files[path]
        entries.append(ctx.entry(C.DELETED, "%s deleted." % desc, details="%s UUID was: %s" % (desc, ext_file.uuid)))
        return entries

    def deploy_ext_file(self, rsc_name: str, path: str, deploy: bool = True) -> List[RcEntry]:
        """``POST``/``DELETE .../files/{path}``: sets or removes the deploy property."""
        ctx = Context(C.MASK_MOD, C.MASK_RSC_DFN, {C.KEY_RSC_DFN: rsc_name}, "Resource definition: %s" % rsc_name)
        rd = self.get_resource_definition(rsc_name, ctx)
        self._load_ext_file(path, ctx)
        key = deploy_key(path)
        if deploy:
            rd.props[key] = C.VAL_TRUE
        else:
            rd.props.pop(key, None)
        verb = "Deployed" if deploy else "Undeployed"
        return [ctx.entry(C.MODIFIED, "%s %s on resource '%s' on '%s'" % (verb, path, rd.name, node))
                for node in self._online_resource_nodes(rd)]

    def _online_resource_nodes(self, rd) -> List[str]:
        """The nodes a change of ``rd`` is sent to: those with a resource of it that are online."""
        out = []
        for key, rsc in sorted(rd.resources.items()):
            node = self.nodes.get(key)
            if node is not None and node.connection_status == "ONLINE":
                out.append(rsc.node_name)
        return out
