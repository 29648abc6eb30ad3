"""Remotes: S3 buckets, other LINSTOR clusters and EBS accounts backups and EBS pools use.

Rules from LINSTOR 1.31.3 (``CtrlRemoteApiCallHandler``). Every remote call answers in a
"modify remote" context (even create and delete). Access keys, secret keys and passphrases
are encrypted with the master key on the real controller, so creating an S3 or EBS remote
(or a LINSTOR remote with a passphrase) needs the master passphrase; the fake checks that
and then keeps no secret at all: the controller never lists them.

An S3 remote is also the fake's bucket: ``objects`` holds what backups uploaded (see
``backups.py``), keyed by S3 key.
"""
import re
import uuid as uuidlib
from dataclasses import dataclass, field
from typing import Dict, List, Optional

from linstor import sharedconsts as C

from ..apicallrc import ApiError, Context, RcEntry, bare_error
from . import names

KIND_S3, KIND_LINSTOR, KIND_EBS = "s3", "linstor", "ebs"
_KIND_TEXT = {KIND_S3: "s3", KIND_LINSTOR: "linstor", KIND_EBS: "ebs"}
_LINSTOR_URL = re.compile(r"(https?://)?([^:]+)(:[0-9]+)?")
_REGION_FROM_AZ = re.compile(r"([^-]+-[^-]+-.)")
DEFAULT_HTTP_PORT, DEFAULT_HTTPS_PORT = 3370, 3371
# where an EBS storage pool names its remote (StorDriver/EBS/Remote)
EBS_POOL_REMOTE_KEY = "%s/%s/%s" % (C.NAMESPC_STORAGE_DRIVER, C.NAMESPC_EBS, C.KEY_REMOTE)
EBS_POOL = "EbsPool"
# SpecStltPortAutoRange: the ports of the controller's special satellites
SPECIAL_PORTS = (10000, 10999)


@dataclass
class BucketObject:
    """One object in an S3 remote's bucket: a backup's ``.meta`` file (``meta`` set) or a volume's data."""

    key: str
    size_bytes: int = 0
    meta: Optional[dict] = None


@dataclass
class Remote:
    name: str
    kind: str
    uuid: str
    url: str = ""  # S3/EBS endpoint or LINSTOR URL
    bucket: Optional[str] = None
    region: Optional[str] = None
    availability_zone: Optional[str] = None
    cluster_id: Optional[str] = None
    flags: List[str] = field(default_factory=list)
    objects: Dict[str, BucketObject] = field(default_factory=dict)


def remote_ctx(name: Optional[str]) -> Context:
    return Context(C.MASK_MOD, C.MASK_REMOTE, {C.KEY_REMOTE: str(name)}, "Remote: %s" % name)


def remote_description(name: Optional[str]) -> str:
    return "Remote: %s" % name


def check_host_like_name(name: Optional[str], code: int, what: str, ctx: Optional[Context]) -> str:
    """A remote or schedule name follows the host name rules (``LinstorParsingUtils``); the refusal
    is reported in ``ctx``, or without a context when there is none."""
    try:
        names.check_node_name(name or "")
    except names.InvalidName as err:
        msg = "The given %s name '%s' is invalid." % (what, name)
        if ctx is None:
            raise bare_error(code, msg, cause=str(err))
        raise ctx.error(code, msg, cause=str(err), report=True)
    return name


def check_remote_name(name: Optional[str], ctx: Optional[Context]) -> str:
    """``LinstorParsingUtils.asRemoteName``."""
    return check_host_like_name(name, C.FAIL_INVLD_REMOTE_NAME, "remote", ctx)


def remote_not_registered(name: str) -> ApiError:
    """``CtrlApiDataLoader.loadRemote(name, true)`` outside any context."""
    return bare_error(C.FAIL_NOT_FOUND_REMOTE, "Remote '%s' not registered." % name,
                      cause="The specified remote '%s' could not be found in the database" % name,
                      correction="Create a remote with the name '%s' first." % name)


def _missing(ctx: Context, given: Dict[str, Optional[str]]) -> None:
    missing = [k for k, v in given.items() if not v]
    if missing:
        raise ctx.error(C.FAIL_INVLD_BACKUP_CONFIG | C.MASK_BACKUP,
                        "The remote could not be created because the following required %s missing: [%s]"
                        % ("parameter is" if len(missing) == 1 else "parameters are", ", ".join(missing)),
                        report=True)


def _url_with_defaults(url: str, ctx: Context) -> str:
    match = _LINSTOR_URL.search(url)
    if match is None:
        raise ctx.error(C.FAIL_UNKNOWN_ERROR, "Given URL '%s' did not match expected pattern of %s"
                        % (url, _LINSTOR_URL.pattern), report=True)
    protocol, domain, port = match.group(1), match.group(2), match.group(3)
    default_port = DEFAULT_HTTP_PORT
    if not protocol:
        protocol = "http://"
    elif protocol == "https://":
        default_port = DEFAULT_HTTPS_PORT
    return protocol + domain + (port or ":%d" % default_port)


def _is_uuid(text: str) -> bool:
    try:
        uuidlib.UUID(text)
    except ValueError:
        return False
    return bool(re.fullmatch(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", text))


class RemoteOps:
    def _init_state(self) -> None:
        self.remotes: Dict[str, Remote] = {}

    # -- lookups --------------------------------------------------------------------------
    def list_remotes(self, kind: Optional[str] = None) -> List[Remote]:
        self._remotes_due()
        return [r for _, r in sorted(self.remotes.items()) if kind is None or r.kind == kind]

    def find_remote(self, name: Optional[str]) -> Optional[Remote]:
        return self.remotes.get(names.key(name)) if name else None

    def load_remote(self, name: Optional[str]) -> Remote:
        """A registered remote by name, refused as ``CtrlApiDataLoader.loadRemote`` refuses (no context)."""
        check_remote_name(name, None)
        remote = self.find_remote(name)
        if remote is None:
            raise remote_not_registered(name)
        return remote

    def _require_master_key(self, ctx: Context) -> None:
        self.require_crypt_key(ctx, "Unable to create encrypt key without having a master key")

    def _check_name_available(self, name: str, ctx: Context) -> None:
        if names.key(name) in self.remotes:
            raise ctx.error(C.FAIL_EXISTS_REMOTE, "A remote with the name '%s' already exists. Please use a "
                                                  "different name or try to modify the remote instead." % name,
                            report=True)

    def _load_typed(self, name: str, kind: str, ctx: Context) -> Remote:
        check_remote_name(name, ctx)
        remote = self.find_remote(name)
        if remote is None:
            raise ctx.error(C.FAIL_NOT_FOUND_REMOTE, "Remote '%s' not registered." % name,
                            cause="The specified remote '%s' could not be found in the database" % name,
                            correction="Create a remote with the name '%s' first." % name)
        if remote.kind != kind:
            raise ctx.error(C.FAIL_EXISTS_REMOTE, "The remote with the name '%s' is not a %s remote."
                            % (remote.name, _KIND_TEXT[kind]), report=True)
        return remote

    # -- create ---------------------------------------------------------------------------
    def create_s3_remote(self, name: Optional[str], endpoint: Optional[str], bucket: Optional[str],
                         region: Optional[str], access_key: Optional[str], secret_key: Optional[str],
                         use_path_style: bool = False) -> List[RcEntry]:
        ctx = remote_ctx(name)
        _missing(ctx, {"remote_name": name, "endpoint": endpoint, "bucket": bucket, "region": region,
                       "access_key": access_key, "secret_key": secret_key})
        check_remote_name(name, ctx)
        self._check_name_available(name, ctx)
        self._require_master_key(ctx)
        remote = Remote(name, KIND_S3, self.ids.uuid(), url=endpoint, bucket=bucket, region=region)
        if use_path_style:
            remote.flags.append("S3_USE_PATH_STYLE")
        self.remotes[names.key(name)] = remote
        return [ctx.entry(C.CREATED | C.MASK_REMOTE, "Remote created")]

    def create_linstor_remote(self, name: Optional[str], url: Optional[str], passphrase: Optional[str] = None,
                              cluster_id: Optional[str] = None) -> List[RcEntry]:
        ctx = remote_ctx(name)
        _missing(ctx, {"remote_name": name, "url": url})
        check_remote_name(name, ctx)
        self._check_name_available(name, ctx)
        if cluster_id and not _is_uuid(cluster_id):
            raise ctx.error(C.FAIL_INVLD_CONF, "The given cluster id is not a valid UUID", report=True)
        if passphrase is not None:
            self._require_master_key(ctx)
        remote = Remote(name, KIND_LINSTOR, self.ids.uuid(), url=_url_with_defaults(url, ctx),
                        cluster_id=cluster_id or None)
        self.remotes[names.key(name)] = remote
        return [ctx.entry(C.CREATED, "Linstor remote successfully created")]

    def create_ebs_remote(self, name: Optional[str], availability_zone: Optional[str], access_key: Optional[str],
                          secret_key: Optional[str], endpoint: Optional[str] = None,
                          region: Optional[str] = None) -> List[RcEntry]:
        ctx = remote_ctx(name)
        _missing(ctx, {"remote_name": name, "availability_zone": availability_zone, "access_key": access_key,
                       "secret_key": secret_key})
        check_remote_name(name, ctx)
        self._check_name_available(name, ctx)
        region = self._ebs_region(region, availability_zone, ctx)
        endpoint = endpoint if endpoint is not None else "https://ec2.%s.amazonaws.com" % region
        self._require_master_key(ctx)
        self._check_endpoint(endpoint, ctx)
        remote = Remote(name, KIND_EBS, self.ids.uuid(), url=endpoint, region=region,
                        availability_zone=availability_zone)
        self.remotes[names.key(name)] = remote
        return [ctx.entry(C.CREATED | C.MASK_REMOTE, "Remote created")]

    @staticmethod
    def _ebs_region(region: Optional[str], availability_zone: str, ctx: Context) -> str:
        if region is not None:
            return region
        match = _REGION_FROM_AZ.search(availability_zone)
        if match is None:
            raise ctx.error(C.FAIL_MISSING_EBS_TARGET, "Cannot construct region. You have to specify the region")
        return match.group(1)

    @staticmethod
    def _check_endpoint(endpoint: str, ctx: Context) -> None:
        # java.net.URL refuses a text without a protocol it has a handler for
        if not re.match(r"(?i)(https?|ftp|file|jar|mailto):", endpoint):
            raise ctx.error(C.FAIL_INVLD_CONF, "End point '%s' is invalid." % endpoint)

    # -- modify ---------------------------------------------------------------------------
    def modify_s3_remote(self, name: str, endpoint: Optional[str] = None, bucket: Optional[str] = None,
                         region: Optional[str] = None, access_key: Optional[str] = None,
                         secret_key: Optional[str] = None) -> List[RcEntry]:
        ctx = remote_ctx(name)
        remote = self._load_typed(name, KIND_S3, ctx)
        if access_key or secret_key:
            self.require_crypt_key(ctx, "Unable to create encrypt key without having a master key")
        if endpoint:
            remote.url = endpoint
        if bucket:
            remote.bucket = bucket
        if region:
            remote.region = region
        # the controller answers with what the satellites say (nothing, for the fake's satellites)
        return []

    def modify_linstor_remote(self, name: str, url: Optional[str] = None, passphrase: Optional[str] = None,
                              cluster_id: Optional[str] = None) -> List[RcEntry]:
        ctx = remote_ctx(name)
        remote = self._load_typed(name, KIND_LINSTOR, ctx)
        new_url = _url_with_defaults(url, ctx) if url else remote.url
        if passphrase:
            self._require_master_key(ctx)
        if cluster_id and not _is_uuid(cluster_id):
            raise ctx.error(C.FAIL_INVLD_CONF, "The given cluster id is not a valid UUID", report=True)
        remote.url = new_url
        if cluster_id:
            remote.cluster_id = cluster_id
        return [ctx.entry(C.MODIFIED, "Linstor remote successfully updated")]

    def modify_ebs_remote(self, name: str, endpoint: Optional[str] = None, region: Optional[str] = None,
                          availability_zone: Optional[str] = None, access_key: Optional[str] = None,
                          secret_key: Optional[str] = None) -> List[RcEntry]:
        ctx = remote_ctx(name)
        remote = self._load_typed(name, KIND_EBS, ctx)
        entries = [ctx.entry(C.MODIFIED, "EBS remote successfully updated")]
        new_zone, new_region, new_url = remote.availability_zone, remote.region, remote.url
        if availability_zone:
            new_zone = availability_zone
            changed_region = self._ebs_region(region, availability_zone, ctx)
            if changed_region != region:
                entries.append(ctx.entry(C.MODIFIED, "Automatically updated region to %s due to changed "
                                                     "availability zone" % changed_region))
        else:
            changed_region = region
        if changed_region:
            new_region = changed_region
            changed_endpoint = endpoint if endpoint is not None else "https://ec2.%s.amazonaws.com" % changed_region
            if changed_endpoint != endpoint:
                entries.append(ctx.entry(C.MODIFIED, "Automatically updated endpoint to %s due to changed region"
                                         % changed_endpoint))
        else:
            changed_endpoint = endpoint
        if changed_endpoint:
            self._check_endpoint(changed_endpoint, ctx)
            new_url = changed_endpoint
        if access_key or secret_key:
            self._require_master_key(ctx)
        remote.availability_zone, remote.region, remote.url = new_zone, new_region, new_url
        return entries

    # -- delete ---------------------------------------------------------------------------
    def delete_remote(self, name: Optional[str]) -> List[RcEntry]:
        ctx = remote_ctx(name)
        check_remote_name(name, ctx)
        remote = self.find_remote(name)
        if remote is None:
            return [ctx.entry(C.WARN_NOT_FOUND, "%s not found." % remote_description(name))]
        if remote.kind == KIND_EBS:
            for node in self.nodes.values():
                for pool in node.storage_pools.values():
                    if (pool.props.get(EBS_POOL_REMOTE_KEY) or "").lower() == remote.name.lower():
                        raise ctx.error(C.FAIL_IN_USE, "Remote %s cannot be deleted as a storage pool still uses it"
                                        % remote.name, correction="Delete the storage pool first")
        self._remove_schedule_props_of_remote(remote)
        self._forget_remote_queue(remote)
        desc = remote_description(remote.name)
        if self._remote_has_running_shipments(remote):
            remote.flags.append("MARK_DELETED")
            return [ctx.entry(C.MODIFIED, "%s prepared for deletion. Waiting for ongoing shipments to complete or "
                                          "abort." % desc, details="%s UUID is: %s" % (desc, remote.uuid))]
        del self.remotes[names.key(remote.name)]
        return [ctx.entry(C.DELETED, "%s marked for deletion." % desc, details="%s UUID is: %s" % (desc, remote.uuid)),
                ctx.entry(C.DELETED, "%s deleted." % desc, details="%s UUID was: %s" % (desc, remote.uuid))]

    # -- EBS special satellites ------------------------------------------------------------------
    def create_ebs_node(self, name: Optional[str], remote_name: Optional[str]) -> List[RcEntry]:
        """``POST /v1/nodes/ebs`` (``CtrlNodeCrtApiCallHandler#createEbsNode``): an EBS_TARGET special
        satellite on the controller's host (127.0.0.1, a port of 10000-10999) and its pool
        ``EbsPool`` of the remote. The node is committed before the pool is created, as on the
        controller: a refused pool leaves the node."""
        ctx = Context(C.MASK_CRT, C.MASK_NODE, {C.KEY_NODE: str(name)}, "Node: %s" % name)
        check_remote_name(remote_name, ctx)
        remote = self.find_remote(remote_name)
        if remote is None:
            raise ctx.error(C.FAIL_NOT_FOUND_REMOTE, "Remote '%s' not registered." % remote_name,
                            cause="The specified remote '%s' could not be found in the database" % remote_name,
                            correction="Create a remote with the name '%s' first." % remote_name)
        if remote.kind != KIND_EBS:
            raise ctx.error(C.FAIL_EXISTS_REMOTE, "The remote with the name '%s' is not a EBS remote." % remote_name,
                            report=True)
        used = {nic.satellite_port for node in self.nodes.values() for nic in node.net_interfaces.values()
                if nic.address == "127.0.0.1"}
        port = next((p for p in range(SPECIAL_PORTS[0], SPECIAL_PORTS[1] + 1) if p not in used), None)
        if port is None:
            raise ctx.error(C.FAIL_POOL_EXHAUSTED_SPECIAL_SATELLTE_TCP_PORT, "No TCP/IP port number could be "
                                                                             "allocated for the EBS_TARGET node",
                            report=True)
        entries = self.create_node(name, "EBS_TARGET", [{"name": C.DEFAULT_NETIF, "address": "127.0.0.1",
                                                         "satellite_port": port,
                                                         "satellite_encryption_type": C.VAL_NETCOM_TYPE_PLAIN}])
        pool = self.create_storage_pool(name, EBS_POOL, "EBS_TARGET", {EBS_POOL_REMOTE_KEY: remote_name})
        return entries + pool

    # hooks other areas extend
    def _remotes_due(self) -> None:
        """Brings remotes up to the controller's clock (backups.py: finished uploads, remotes whose
        deletion waited for them)."""

    def _remove_schedule_props_of_remote(self, remote: Remote) -> None:
        """``ScheduleBackupService.removeTasks(remote)``: see schedules.py."""

    def _forget_remote_queue(self, remote: Remote) -> None:
        """``BackupInfoManager.deleteFromQueue(remote)``: see backups.py."""

    def _remote_has_running_shipments(self, remote: Remote) -> bool:
        return False
