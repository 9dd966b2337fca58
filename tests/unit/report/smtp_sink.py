#!/usr/bin/env python3
"""A one-message SMTP sink on loopback for the report tests: prints its port, accepts one
connection, and writes what arrived as JSON (envelope, and the message decoded by Python's own
email package, an oracle independent of our encoder) to the file named on the command line."""
import email
import email.policy
import json
import socketserver
import sys

OUT = sys.argv[1]


class Handler(socketserver.StreamRequestHandler):
    timeout = 30

    def reply(self, text):
        self.wfile.write((text + "\r\n").encode("ascii"))
        self.wfile.flush()

    def handle(self):
        envelope = {"mail_from": None, "rcpt": []}
        self.reply("220 sink ESMTP")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("ascii", "replace").strip()
            upper = command.upper()
            if upper.startswith("EHLO"):
                self.reply("250-sink")
                self.reply("250 8BITMIME")
            elif upper.startswith("HELO") or upper.startswith("NOOP") or upper.startswith("RSET"):
                self.reply("250 OK")
            elif upper.startswith("MAIL FROM:"):
                envelope["mail_from"] = command[10:].split()[0]
                self.reply("250 OK")
            elif upper.startswith("RCPT TO:"):
                envelope["rcpt"].append(command[8:].split()[0])
                self.reply("250 OK")
            elif upper == "DATA":
                self.reply("354 go on")
                data = []
                while True:
                    part = self.rfile.readline()
                    if not part or part in (b".\r\n", b".\n"):
                        break
                    data.append(part[1:] if part.startswith(b"..") else part)
                message = email.message_from_bytes(b"".join(data), policy=email.policy.default)
                envelope["subject"] = str(message["subject"])
                envelope["from"] = str(message["from"])
                envelope["to"] = str(message["to"])
                for kind in ("plain", "html"):
                    body = message.get_body(preferencelist=(kind,))
                    envelope[kind] = body.get_content() if body is not None else None
                with open(OUT, "w", encoding="utf-8") as out:
                    json.dump(envelope, out)
                self.reply("250 OK queued")
            elif upper == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


server = socketserver.TCPServer(("127.0.0.1", 0), Handler)
server.timeout = 60  # never wait forever for the client
print(server.server_address[1], flush=True)
server.handle_request()
server.server_close()
