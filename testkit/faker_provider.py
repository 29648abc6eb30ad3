"""A Faker provider for realistic LINSTOR names.

    from faker import Faker
    from testkit.faker_provider import LinstorProvider

    fake = Faker()
    fake.add_provider(LinstorProvider)
    fake.linstor_node_name()        # 'stor-fra2-07'
    fake.linstor_resource_name()    # 'pvc-3f1c2a9e-…'  (as Kubernetes CSI names volumes)

Every name follows the controller's rules for its kind (``fakestor.model.names``).
"""
from faker.providers import BaseProvider

_HOST_ROLES = ("stor", "node", "linstor", "drbd", "pve", "k8s-worker", "xcp", "one-host", "cinder", "sat")
_SITES = ("fra", "ams", "vie", "nyc", "sfo", "sin", "lon", "par", "ber", "muc", "zrh", "rack", "dc", "az")
_DOMAINS = ("example.com", "cluster.local", "lan", "storage.internal", "corp.example.net")
_POOL_STEMS = ("thin", "thinpool", "data", "ssd", "nvme", "hdd", "fast", "bulk", "lvm", "zfs", "tank", "pool")
_RG_STEMS = ("sc", "gold", "silver", "bronze", "replicated", "fast", "archive", "db", "vm-disks", "k8s")
_RG_SUFFIXES = ("2r", "3r", "ssd", "hdd", "nvme", "ha", "local", "default")
_KV_STEMS = ("csi", "proxmox", "opennebula", "cinder", "xcpng", "ansible", "backup")


class LinstorProvider(BaseProvider):
    def linstor_node_name(self, fqdn: bool = False) -> str:
        """A host name as satellites get them: ``<role>-<site><n>-<nn>`` (RFC 1123)."""
        name = "%s-%s%d-%02d" % (self.random_element(_HOST_ROLES), self.random_element(_SITES),
                                 self.random_int(1, 9), self.random_int(1, 40))
        return "%s.%s" % (name, self.random_element(_DOMAINS)) if fqdn else name

    def linstor_resource_name(self) -> str:
        """A resource name as Kubernetes CSI creates them: ``pvc-<uuid>``."""
        return "pvc-%s" % self.generator.uuid4()

    def linstor_storage_pool_name(self) -> str:
        """``thin``, ``ssd_01``, ``nvme-pool`` …: 3 to 48 characters."""
        stem = self.random_element(_POOL_STEMS)
        style = self.random_int(0, 2)
        if style == 0:
            return stem
        if style == 1:
            return "%s_%02d" % (stem, self.random_int(1, 20))
        return "%s-pool" % stem

    def linstor_resource_group_name(self) -> str:
        """``sc-gold-3r``, ``replicated_ssd`` …"""
        return "%s%s%s" % (self.random_element(_RG_STEMS), self.random_element(("-", "_")),
                           self.random_element(_RG_SUFFIXES))

    def linstor_snapshot_name(self) -> str:
        """``snapshot-<uuid>`` as CSI names them, or a dated backup name."""
        if self.random_int(0, 1):
            return "snapshot-%s" % self.generator.uuid4()
        return "back_%s" % self.generator.date_time().strftime("%Y%m%d_%H%M%S")

    def linstor_kvs_name(self) -> str:
        return "%s-%s" % (self.random_element(_KV_STEMS), self.random_element(("config", "state", "volumes")))
