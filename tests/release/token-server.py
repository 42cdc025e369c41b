"""A Bearer token service for the release tests (ghcr.io's kind of auth).

Usage: token-server.py KEY CERT USER PASSWORD_FILE PORT_FILE

Serves GET /token?service=S&scope=repository:NAME:ACTIONS on a free
loopback port (written to PORT_FILE once listening).  With HTTP Basic
credentials USER and the password in PASSWORD_FILE it answers
{"token": JWT, "access_token": JWT}: an RS256 JWT signed with KEY whose
x5c header holds CERT, which docker-registry's token authentication
trusts through its rootcertbundle, granting the scopes asked for.  Other
credentials get 401.  The signature is made by the openssl command, so
nothing beyond the standard library and openssl is needed.
"""

import base64
import http.server
import json
import os
import subprocess
import sys
import time
import urllib.parse


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def main():
    key, cert, user, password_file, port_file = sys.argv[1:]
    with open(password_file) as f:
        password = f.read().strip()
    expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
    der = subprocess.run(["openssl", "x509", "-in", cert, "-outform", "DER"],
                         capture_output=True, check=True).stdout

    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def reply(self, code, body, headers=()):
            data = json.dumps(body).encode()
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            url = urllib.parse.urlparse(self.path)
            query = urllib.parse.parse_qs(url.query)
            if url.path != "/token" or "service" not in query:
                self.reply(404, {"error": "not found"})
                return
            if self.headers.get("Authorization", "") != expected:
                self.reply(401, {"errors": [{"code": "UNAUTHORIZED", "message": "bad credentials"}]},
                           [("WWW-Authenticate", 'Basic realm="atlas-test-token"')])
                return
            access = []
            for scope in query.get("scope", []):
                for one in scope.split(" "):
                    kind, name, actions = one.split(":")
                    access.append({"type": kind, "name": name, "actions": actions.split(",")})
            now = int(time.time())
            header = {"typ": "JWT", "alg": "RS256", "x5c": [base64.b64encode(der).decode()]}
            claims = {"iss": "atlas-test-issuer", "sub": user, "aud": query["service"][0],
                      "exp": now + 300, "nbf": now - 10, "iat": now,
                      "jti": os.urandom(8).hex(), "access": access}
            signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
            signature = subprocess.run(["openssl", "dgst", "-sha256", "-sign", key],
                                       input=signing_input.encode(), capture_output=True,
                                       check=True).stdout
            token = signing_input + "." + b64url(signature)
            self.reply(200, {"token": token, "access_token": token, "expires_in": 300})

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    with open(port_file + ".tmp", "w") as f:
        f.write(str(server.server_address[1]))
    os.rename(port_file + ".tmp", port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
