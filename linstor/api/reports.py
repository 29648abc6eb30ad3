"""Error report, SOS report and space report calls of ``Linstor``."""
import json
import re
import time

from .. import sharedconsts as apiconsts
from ..errors import LinstorError
from ..responses import ApiCallResponse
from .base import ApiMixin, path_arg


def _epoch_ms(moment) -> int:
    """A naive datetime taken as local time, as milliseconds since the epoch."""
    return int(time.mktime(moment.timetuple()) * 1000)


def _attachment_name(content_disposition):
    found = re.findall(r"attachment;\s*filename\s*=\s*(\S+)", content_disposition or "")
    return found[0].strip('"') if found else None


class ReportsMixin(ApiMixin):
    def error_report_list(self, nodes=None, with_content=False, since=None, to=None, ids=None):
        query = [("withContent", "True" if with_content else "False")]
        if since:
            query.append(("since", str(_epoch_ms(since))))
        if to:
            query.append(("to", str(_epoch_ms(to))))
        reports = []
        if ids:
            for report_id in ids:
                replies = self._rest_request(apiconsts.API_REQ_ERROR_REPORTS, "GET",
                                             "/v1/error-reports/" + path_arg(report_id), query=query)
                reports += replies[:1]
        elif nodes:
            for node in nodes:
                reports += self._rest_request(apiconsts.API_REQ_ERROR_REPORTS, "GET", "/v1/error-reports",
                                              query=query + [("node", node)])
        else:
            reports = self._rest_request(apiconsts.API_REQ_ERROR_REPORTS, "GET", "/v1/error-reports", query=query)
        return reports

    def error_report_delete(self, nodes=None, since=None, to=None, exception=None, version=None, ids=None):
        self._require_version("1.4.0", msg="Error report delete API not supported by server")
        body = {}
        if nodes:
            body["nodes"] = list(nodes)
        if since:
            body["since"] = _epoch_ms(since)
        if to:
            body["to"] = _epoch_ms(to)
        if exception:
            body["exception"] = exception
        if version:
            body["version"] = version
        if ids:
            body["ids"] = list(ids)
        return self._rest_request(apiconsts.API_DEL_ERROR_REPORTS, "PATCH", "/v1/error-reports", body)

    def sos_report_create(self, since=None):
        self._require_version("1.2.0", msg="SOS API not supported by server")
        query = [("since", str(_epoch_ms(since)))] if since else []
        return self._rest_request(apiconsts.API_REQ_SOS_REPORT, "GET", "/v1/sos-report", query=query)

    def sos_report_download(self, since=None, to_file=None):
        self._require_version("1.2.0", msg="SOS API not supported by server")
        query = [("since", str(_epoch_ms(since)))] if since else []
        path = "/v1/sos-report/download"
        reply = self._send("GET", path, None, query)
        if reply is None or self._curl:  # curl mode only prints the request
            return []
        if reply.status >= 400:
            if reply.body and reply.headers.get("content-type", "").startswith("application/json"):
                data = json.loads(reply.body.decode("utf-8"))
                return [ApiCallResponse(x) for x in (data if isinstance(data, list) else [data])]
            if reply.body:
                raise LinstorError("HTTP-Status({}): {}".format(
                    reply.status, reply.body[:200].decode("utf-8", "replace")))
            raise LinstorError("REST api call method 'GET' to resource '{}' returned status {} with no data."
                               .format(path, reply.status))
        save_file = to_file or _attachment_name(reply.headers.get("content-disposition")) or "linstor.out"
        with open(save_file, "wb") as out:
            out.write(reply.body)
        return [ApiCallResponse({"ret_code": 0, "message": "File saved to: " + save_file,
                                 "obj_refs": {"path": save_file}})]

    def space_reporting_query(self):
        self._require_version("1.5.0", msg="Space reporting API not supported by server")
        return self._rest_request(apiconsts.API_RPT_SPC, "GET", "/v1/space-report")
