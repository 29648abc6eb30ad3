"""``POST /v1/controller/backup/db`` on the fake's H2 database."""
import datetime

from fakestor.apicallrc import unsigned64
from linstor import sharedconsts as C

PATH = "/v1/controller/backup/db"


def post(http, **kw):
    resp = http.post(PATH, **kw)
    return resp.status_code, resp.get_json()


def test_a_named_backup_is_created_and_recorded(http, controller):
    status, reply = post(http, json={"backup_name": "before-upgrade"})
    assert status == 201
    assert [(rc, e["message"], e["obj_refs"]) for rc, e in [(unsigned64(e["ret_code"]), e) for e in reply]] == [
        (C.MASK_SUCCESS | C.MASK_CRT, "Database backup created: /var/lib/linstor/before-upgrade.zip",
         {"backup_location": "/var/lib/linstor/before-upgrade.zip"})]
    assert [b.path for b in controller.cluster.db_backups] == ["/var/lib/linstor/before-upgrade.zip"]
    # a name that ends in .zip keeps it
    assert post(http, json={"backup_name": "x.zip"})[1][0]["message"] == "Database backup created: /var/lib/linstor/x.zip"


def test_without_a_name_the_time_names_it(http, controller):
    status, reply = post(http, json={})
    assert status == 201
    stamp = datetime.datetime.fromtimestamp(controller.clock.now(), tz=datetime.timezone.utc)
    assert reply[0]["obj_refs"]["backup_location"] == "/var/lib/linstor/linstordb-backup-%s.zip" % (
        stamp.strftime("%Y-%m-%d_%H-%M-%S"))


def test_bad_bodies(http, controller):
    status, reply = post(http, data="")
    assert status == 400
    assert unsigned64(reply[0]["ret_code"]) == unsigned64(C.API_CALL_PARSE_ERROR)
    assert reply[0]["error_report_ids"]
    status, reply = post(http, data="null")
    assert status == 500
    assert reply[0]["message"] == "Exception thrown."
    assert controller.cluster.db_backups == []
