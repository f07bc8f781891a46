"""A small HTTP provider for the messages tests: answers each POST with {"id": "P<n>"} (or 400 for a body whose
"to" starts with "bad"), and appends the request's signature header and body as one JSON line to OUT/requests.jsonl.

Usage: python3 provider_sink.py OUT — prints its port (127.0.0.1) first, then serves until killed.
"""
import http.server
import json
import os
import sys
import threading

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
count = {"n": 0}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with open(os.path.join(out, "requests.jsonl"), "a") as log:
            log.write(json.dumps({"signature": self.headers.get("X-Patron-Signature"), "body": body.decode()}) + "\n")
        if json.loads(body).get("to", "").startswith("bad"):
            answer, status = b'{"error":"invalid number"}', 400
        else:
            count["n"] += 1
            answer, status = json.dumps({"id": f"P{count['n']}"}).encode(), 200
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


def exit_when_stdin_closes():
    """Ends the process when the test that started it goes away (its end of our standard input closes)."""
    sys.stdin.read()
    os._exit(0)


threading.Thread(target=exit_when_stdin_closes, daemon=True).start()
server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
