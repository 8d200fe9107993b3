"""A project EB deployed from its own Dockerfile: a stdlib HTTP server on 8000."""
from http.server import BaseHTTPRequestHandler, HTTPServer


class Hello(BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"hello from a Dockerfile-only project\n")


HTTPServer(("0.0.0.0", 8000), Hello).serve_forever()
