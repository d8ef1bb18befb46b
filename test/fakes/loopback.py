"""The start of every loopback fake: bind, say the port, serve.

serve(handler, port_file, port=0): binds a threaded HTTP server to
127.0.0.1:port (0: any free port), writes the port it got to port_file
atomically (a test waits for the file to appear, see wait_port_file in
lib.sh, and must never read half a number), then serves until killed.
"""
import os
from http.server import ThreadingHTTPServer


def serve(handler, port_file, port=0, request_queue_size=None):
    srv = ThreadingHTTPServer(("127.0.0.1", port), handler)
    srv.daemon_threads = True
    if request_queue_size is not None:
        srv.request_queue_size = request_queue_size
    with open(port_file + ".tmp", "w") as f:
        f.write(str(srv.server_address[1]))
    os.rename(port_file + ".tmp", port_file)
    srv.serve_forever()
