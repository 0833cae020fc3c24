import json
import logging

from aevon.logs import JsonFormatter, request_id


def test_log_lines_are_json_with_the_request_and_correlation_id() -> None:
    record = logging.LogRecord("api", logging.WARNING, __file__, 1, "slow %s", ("store",), None)
    token = request_id.set("req-42")
    try:
        line = json.loads(JsonFormatter().format(record))
    finally:
        request_id.reset(token)
    assert line["message"] == "slow store"
    assert (line["level"], line["logger"]) == ("WARNING", "api")
    assert line["requestId"] == line["correlationId"] == "req-42"
    assert "requestId" not in json.loads(JsonFormatter().format(record))
