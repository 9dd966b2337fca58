#!/usr/bin/python3
"""The Zimbra test server's JSON API for the C++ e2e test, over HTTPS verified with CA_FILE.

  test_server_api.py state BASE_URL CA_FILE ACCOUNT
      prints GET /test/state?account=ACCOUNT as flat "path=value" lines (strings JSON-escaped
      without quotes; lists also as "path.size=N")
  test_server_api.py control BASE_URL CA_FILE JSON
      POSTs JSON to /test/control and prints the reply
  test_server_api.py requests BASE_URL CA_FILE SINCE
      prints GET /test/requests?since=SINCE (the server's request log) as flat lines
"""
import json
import ssl
import sys
import urllib.parse
import urllib.request


def walk(prefix, value):
    if isinstance(value, dict):
        for key, item in value.items():
            walk(f"{prefix}.{key}" if prefix else key, item)
    elif isinstance(value, list):
        print(f"{prefix}.size={len(value)}")
        for index, item in enumerate(value):
            walk(f"{prefix}[{index}]", item)
    elif isinstance(value, str):
        print(f"{prefix}={json.dumps(value)[1:-1]}")
    else:
        print(f"{prefix}={json.dumps(value)}")


def main():
    command, base, ca_file, argument = sys.argv[1:5]
    context = ssl.create_default_context(cafile=ca_file)
    if command == "state":
        url = f"{base}/test/state?account={urllib.parse.quote(argument)}"
        with urllib.request.urlopen(url, context=context, timeout=30) as response:
            walk("", json.load(response))
    elif command == "control":
        request = urllib.request.Request(f"{base}/test/control", data=argument.encode("utf-8"),
                                         headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(request, context=context, timeout=30) as response:
            print(response.read().decode("utf-8"))
    elif command == "requests":
        url = f"{base}/test/requests?since={urllib.parse.quote(argument)}"
        with urllib.request.urlopen(url, context=context, timeout=30) as response:
            walk("", json.load(response))
    else:
        sys.exit(f"unknown command {command}")


if __name__ == "__main__":
    main()
