"""Remotes (S3, LINSTOR, EBS): what the controller answers and lists, and what it refuses."""
import json

import pytest

from fakestor.apicallrc import signed64
from linstor import sharedconsts as C

S3 = {"remote_name": "bak", "endpoint": "https://s3.example.com", "bucket": "linstor", "region": "eu-1",
      "access_key": "AKIA", "secret_key": "s3cr3t"}


def code(value: int) -> int:
    return signed64(value)


def unlock(http) -> None:
    assert http.post("/v1/encryption/passphrase", data=json.dumps({"new_passphrase": "pw"})).status_code == 201


def post(http, path, data):
    return http.post(path, data=json.dumps(data))


@pytest.fixture
def unlocked(http):
    unlock(http)
    return http


def test_s3_remote_needs_the_master_key(http, controller):
    reply = post(http, "/v1/remotes/s3", S3)
    assert reply.status_code == 404
    entry = reply.get_json()[0]
    assert entry["ret_code"] == code(C.FAIL_NOT_FOUND_CRYPT_KEY | C.MASK_MOD | C.MASK_REMOTE)
    assert entry["message"] == "Unable to create encrypt key without having a master key"
    assert entry["correction"] == "Create or enter the master passphrase"
    assert controller.cluster.remotes == {}


def test_s3_remote_is_listed_without_its_keys(unlocked):
    reply = post(unlocked, "/v1/remotes/s3", dict(S3, use_path_style=True))
    assert reply.status_code == 200
    assert reply.get_json() == [{"ret_code": C.MASK_MOD | C.MASK_REMOTE | C.CREATED, "message": "Remote created",
                                 "obj_refs": {"Remote": "bak"}}]
    listed = unlocked.get("/v1/remotes").get_json()
    # the controller never fills use_path_style in its answer
    assert listed == {"s3_remotes": [{"remote_name": "bak", "endpoint": "https://s3.example.com",
                                      "bucket": "linstor", "region": "eu-1", "use_path_style": False}]}
    assert unlocked.get("/v1/remotes/s3").get_json() == listed["s3_remotes"]
    assert unlocked.get("/v1/remotes/linstor").get_json() == []


def test_missing_parameters_are_named_in_order(unlocked, controller):
    reply = post(unlocked, "/v1/remotes/s3", {"remote_name": "bak", "bucket": "b", "secret_key": ""})
    assert reply.status_code == 500
    entry = reply.get_json()[0]
    assert entry["ret_code"] == code(C.FAIL_INVLD_BACKUP_CONFIG | C.MASK_BACKUP | C.MASK_MOD)
    assert entry["message"] == ("The remote could not be created because the following required parameters are "
                                "missing: [endpoint, region, access_key, secret_key]")
    assert entry["details"] == "Remote: bak"
    assert entry["error_report_ids"]
    one = post(unlocked, "/v1/remotes/linstor", {"remote_name": "other"}).get_json()[0]
    assert one["message"].endswith("following required parameter is missing: [url]")
    assert controller.cluster.remotes == {}


def test_remote_names_follow_the_host_name_rules_and_are_unique(unlocked):
    bad = post(unlocked, "/v1/remotes/s3", dict(S3, remote_name="no_underscores")).get_json()[0]
    assert bad["ret_code"] == code(C.FAIL_INVLD_REMOTE_NAME | C.MASK_MOD | C.MASK_REMOTE)
    assert bad["message"] == "The given remote name 'no_underscores' is invalid."
    assert post(unlocked, "/v1/remotes/s3", S3).status_code == 200
    again = post(unlocked, "/v1/remotes/linstor", {"remote_name": "BAK", "url": "x"})
    assert again.status_code == 500
    assert again.get_json()[0]["ret_code"] == code(C.FAIL_EXISTS_REMOTE | C.MASK_MOD | C.MASK_REMOTE)
    assert "A remote with the name 'BAK' already exists." in again.get_json()[0]["message"]


@pytest.mark.parametrize("given,stored", [("ctrl2", "http://ctrl2:3370"), ("https://ctrl2", "https://ctrl2:3371"),
                                          ("http://ctrl2:8080", "http://ctrl2:8080")])
def test_linstor_remote_url_gets_protocol_and_port(http, given, stored):
    # a LINSTOR remote without passphrase needs no master key
    reply = post(http, "/v1/remotes/linstor", {"remote_name": "other", "url": given})
    assert reply.get_json() == [{"ret_code": C.MASK_MOD | C.MASK_REMOTE | C.CREATED,
                                 "message": "Linstor remote successfully created", "obj_refs": {"Remote": "other"}}]
    assert http.get("/v1/remotes").get_json() == {"linstor_remotes": [{"remote_name": "other", "url": stored}]}


def test_linstor_remote_cluster_id_must_be_a_uuid(http, controller):
    reply = post(http, "/v1/remotes/linstor", {"remote_name": "other", "url": "x", "cluster_id": "nope"})
    assert reply.get_json()[0]["message"] == "The given cluster id is not a valid UUID"
    assert reply.status_code == 500
    assert controller.cluster.remotes == {}


def test_ebs_remote_derives_region_and_endpoint(unlocked):
    reply = post(unlocked, "/v1/remotes/ebs", {"remote_name": "aws", "availability_zone": "us-east-1a",
                                                "access_key": "a", "secret_key": "s"})
    assert reply.status_code == 200
    assert unlocked.get("/v1/remotes/ebs").get_json() == [
        {"remote_name": "aws", "endpoint": "https://ec2.us-east-1.amazonaws.com", "region": "us-east-1",
         "availability_zone": "us-east-1a"}]
    no_region = post(unlocked, "/v1/remotes/ebs", {"remote_name": "aws2", "availability_zone": "zone",
                                                    "access_key": "a", "secret_key": "s"}).get_json()[0]
    assert no_region["ret_code"] == code(C.FAIL_MISSING_EBS_TARGET | C.MASK_MOD | C.MASK_REMOTE)
    assert no_region["message"] == "Cannot construct region. You have to specify the region"


def test_modify_keeps_what_is_not_given_and_checks_the_kind(unlocked):
    post(unlocked, "/v1/remotes/s3", S3)
    reply = unlocked.put("/v1/remotes/s3/bak", data=json.dumps({"bucket": "other", "region": ""}))
    assert reply.status_code == 200 and reply.get_json() == []
    assert unlocked.get("/v1/remotes/s3").get_json()[0]["bucket"] == "other"
    assert unlocked.get("/v1/remotes/s3").get_json()[0]["region"] == "eu-1"
    wrong = unlocked.put("/v1/remotes/linstor/bak", data=json.dumps({"url": "x"}))
    assert wrong.get_json()[0]["message"] == "The remote with the name 'bak' is not a linstor remote."
    missing = unlocked.put("/v1/remotes/s3/gone", data=json.dumps({}))
    assert missing.status_code == 404
    assert missing.get_json()[0]["message"] == "Remote 'gone' not registered."


def test_ebs_modify_reports_the_derived_changes(unlocked):
    post(unlocked, "/v1/remotes/ebs", {"remote_name": "aws", "availability_zone": "us-east-1a", "access_key": "a",
                                       "secret_key": "s"})
    reply = unlocked.put("/v1/remotes/ebs/aws", data=json.dumps({"availability_zone": "eu-west-2b"}))
    assert [e["message"] for e in reply.get_json()] == [
        "EBS remote successfully updated",
        "Automatically updated region to eu-west-2 due to changed availability zone",
        "Automatically updated endpoint to https://ec2.eu-west-2.amazonaws.com due to changed region"]
    assert unlocked.get("/v1/remotes/ebs").get_json()[0]["region"] == "eu-west-2"


def test_delete_answers_twice_and_unknown_names_warn(unlocked, controller):
    post(unlocked, "/v1/remotes/s3", S3)
    uuid = controller.cluster.remotes["BAK"].uuid
    reply = unlocked.delete("/v1/remotes?remote_name=bak")
    assert reply.status_code == 200
    assert reply.get_json() == [
        {"ret_code": C.MASK_MOD | C.MASK_REMOTE | C.DELETED, "message": "Remote: bak marked for deletion.",
         "details": "Remote: bak UUID is: %s" % uuid, "obj_refs": {"Remote": "bak"}},
        {"ret_code": C.MASK_MOD | C.MASK_REMOTE | C.DELETED, "message": "Remote: bak deleted.",
         "details": "Remote: bak UUID was: %s" % uuid, "obj_refs": {"Remote": "bak"}}]
    assert unlocked.get("/v1/remotes").get_json() == {}
    gone = unlocked.delete("/v1/remotes?remote_name=bak").get_json()
    assert gone == [{"ret_code": code(C.WARN_NOT_FOUND | C.MASK_MOD | C.MASK_REMOTE),
                     "message": "Remote: bak not found.", "obj_refs": {"Remote": "bak"}}]


def test_ebs_remote_used_by_a_pool_stays(unlocked, controller):
    post(unlocked, "/v1/remotes/ebs", {"remote_name": "aws", "availability_zone": "us-east-1a", "access_key": "a",
                                       "secret_key": "s"})
    controller.cluster.nodes["ALPHA"].storage_pools["THIN"].props["StorDriver/EBS/Remote"] = "AWS"
    controller.cluster._nodes_changed()
    reply = unlocked.delete("/v1/remotes?remote_name=aws")
    assert reply.status_code == 500
    entry = reply.get_json()[0]
    assert entry["message"] == "Remote aws cannot be deleted as a storage pool still uses it"
    assert entry["correction"] == "Delete the storage pool first"
    assert "AWS" in controller.cluster.remotes


def test_deleting_a_remote_drops_its_schedule_switches(unlocked, controller):
    post(unlocked, "/v1/remotes/s3", S3)
    post(unlocked, "/v1/schedules", {"schedule_name": "nightly", "full_cron": "0 2 * * *"})
    assert unlocked.put("/v1/remotes/bak/backups/schedule/nightly/enable",
                        data=json.dumps({"node_name": "alpha"})).status_code == 200
    assert controller.cluster.controller_props["Schedule/bak/nightly/Enabled"] == "True"
    unlocked.delete("/v1/remotes?remote_name=bak")
    assert not [k for k in controller.cluster.controller_props if k.startswith("Schedule/")]


def test_bad_json_changes_nothing(unlocked, controller):
    reply = unlocked.post("/v1/remotes/s3", data=json.dumps(dict(S3, unknown_field=1)))
    assert reply.status_code == 500
    assert reply.get_json()[0]["message"] == "Unable to parse input json."
    assert controller.cluster.remotes == {}


def test_ebs_node_needs_an_ebs_remote_and_gets_its_pool(unlocked, controller):
    missing = post(unlocked, "/v1/nodes/ebs", {"name": "ebs1", "ebs_remote_name": "aws"})
    assert missing.status_code == 404
    assert missing.get_json()[0]["ret_code"] == code(C.FAIL_NOT_FOUND_REMOTE | C.MASK_CRT | C.MASK_NODE)
    post(unlocked, "/v1/remotes/s3", S3)
    wrong = post(unlocked, "/v1/nodes/ebs", {"name": "ebs1", "ebs_remote_name": "bak"}).get_json()[0]
    assert wrong["message"] == "The remote with the name 'bak' is not a EBS remote."
    assert "EBS1" not in controller.cluster.nodes
    post(unlocked, "/v1/remotes/ebs", {"remote_name": "aws", "availability_zone": "us-east-1a", "access_key": "a",
                                       "secret_key": "s"})
    reply = post(unlocked, "/v1/nodes/ebs", {"name": "ebs1", "ebs_remote_name": "aws"})
    assert reply.status_code == 201
    assert "New node 'ebs1' registered." in [e["message"] for e in reply.get_json()]
    node = unlocked.get("/v1/nodes/ebs1").get_json()
    assert node["type"] == "EBS_TARGET"
    assert [(n["address"], n["satellite_port"]) for n in node["net_interfaces"]] == [("127.0.0.1", 10000)]
    pools = unlocked.get("/v1/nodes/ebs1/storage-pools").get_json()
    assert [(p["storage_pool_name"], p["provider_kind"], p["props"]) for p in pools] == [
        ("EbsPool", "EBS_TARGET", {"StorDriver/EBS/Remote": "aws"})]
    # the remote is now in use
    assert unlocked.delete("/v1/remotes?remote_name=aws").status_code == 500
    second = post(unlocked, "/v1/nodes/ebs", {"name": "ebs2", "ebs_remote_name": "aws"})
    assert second.status_code == 201
    assert unlocked.get("/v1/nodes/ebs2").get_json()["net_interfaces"][0]["satellite_port"] == 10001
