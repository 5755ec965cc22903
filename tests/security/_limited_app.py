"""Run in a subprocess: one "app server" hitting a rate-limited route; prints the statuses.

Used by test_limiter_redis.py to show that two processes share limits through Redis (each
process has its own Limiter, as two app servers would).
"""

from __future__ import annotations

import json
import sys


def main(instance: str, storage_url: str, route_id: str, hits: int) -> None:
    from caseprep import create_app
    from caseprep.appshell.extensions import limiter

    config = {"instance_path": instance, "env": "testing", "kdf_n": 2**10}
    if storage_url != "memory://":
        config["redis_url"] = storage_url
    app = create_app(config)

    def limited():
        return "ok"

    limited.__name__ = f"limited_{route_id}"
    app.add_url_rule(f"/_test/limited/{route_id}", view_func=limiter.limit("3 per minute")(limited),
                     methods=["GET"])
    client = app.test_client()
    statuses = [client.get(f"/_test/limited/{route_id}").status_code for _ in range(hits)]
    print(json.dumps(statuses))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]))
