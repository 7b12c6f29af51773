#!/usr/bin/env python3
"""A loopback imitation of the Hugging Face Hub, for skipchat's Hub tests and `scripts/bench-pull.sh`.

Serves the repositories under ROOT: ROOT/ORG/NAME/<files>. It answers as huggingface.co does
(huggingface_hub's file_download.py and hf_api.py are the reference for what a client reads):

- GET /api/models/ORG/NAME[/revision/REV]  -> {"id", "sha", "siblings": [{"rfilename"}], "gated"}
- HEAD|GET /ORG/NAME/resolve/REV/FILE      -> LFS files (.gguf, .safetensors, .bin): 302 to /cdn/SHA256
  with X-Repo-Commit, X-Linked-Etag ("sha256"), X-Linked-Size; other files: 200 with ETag (git blob sha1).
- GET /cdn/SHA256 (Range honoured: 206 + Content-Range) -> the bytes.

Control files in a repository directory (never listed as files):
- .token      gated: without `Authorization: Bearer <its content>` -> 401; with another token -> 403.
- .wrong-hash one file name a line: the advertised sha256 is of other bytes.
- .cut        NAME=BYTES a line: the first GET of NAME sends the full Content-Length but closes after BYTES.
- .size       NAME=BYTES a line: X-Linked-Size claims BYTES (a file too big for the disk).
- .no-range   one file name a line: the CDN ignores Range and sends the whole file (200).
- .cdn        "other-host": resolve redirects to http://localhost:PORT/cdn/SHA256 (another host than
              127.0.0.1, as the real CDN is); "hop": resolve redirects to /cdn/SHA256 on this host, which
              redirects again to http://localhost:PORT/cdn/SHA256 (a token must not follow either).
Options: --root DIR, --log FILE (one JSON line per request: method, path, range, auth, host), --rate BYTES_PER_S
(throttle /cdn, for the lock test). Prints the port on the first line of stdout, then serves until killed.
"""
import argparse
import hashlib
import json
import os
import socket
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

LFS_SUFFIXES = (".gguf", ".safetensors", ".bin")
CHUNK = 1 << 20


def git_blob_sha1(data):
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(CHUNK), b""):
            h.update(block)
    return h.hexdigest()


class Repo:
    def __init__(self, directory):
        self.directory = directory
        self.files = sorted(
            os.path.relpath(os.path.join(d, f), directory)
            for d, _, names in os.walk(directory) for f in names if not f.startswith(".")
        )
        self.token = self._read(".token")
        self.wrong_hash = set(self._lines(".wrong-hash"))
        self.cut = {k: int(v) for k, v in (l.split("=") for l in self._lines(".cut"))}
        self.sizes = {k: int(v) for k, v in (l.split("=") for l in self._lines(".size"))}
        self.cdn = self._read(".cdn")
        self.no_range = set(self._lines(".no-range"))
        digest = hashlib.sha1()
        for name in self.files:
            digest.update(name.encode() + b"\0" + str(os.path.getsize(os.path.join(directory, name))).encode())
        self.commit = digest.hexdigest()

    def _read(self, name):
        path = os.path.join(self.directory, name)
        return open(path).read().strip() if os.path.exists(path) else None

    def _lines(self, name):
        text = self._read(name)
        return [l.strip() for l in text.splitlines() if l.strip()] if text else []


class State:
    def __init__(self, root, log, rate):
        self.root = root
        self.log = log
        self.rate = rate
        self.lock = threading.Lock()
        self.cuts = {}     # sha256 -> bytes the first GET sends
        self.cuts_done = set()
        self.hops = set()  # sha256 whose /cdn on 127.0.0.1 redirects to localhost
        self.no_range = set()  # sha256 whose /cdn ignores Range
        self.hashes = {}   # path -> sha256
        self.blobs = {}    # sha256 -> path

    def sha256(self, path):
        with self.lock:
            if path not in self.hashes:
                self.hashes[path] = sha256_file(path)
                self.blobs[self.hashes[path]] = path
            return self.hashes[path]

    def write_log(self, entry):
        if self.log:
            with self.lock, open(self.log, "a") as f:
                f.write(json.dumps(entry) + "\n")


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "FakeHub/1"

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.route(head=True)

    def do_GET(self):
        self.route(head=False)

    def route(self, head):
        state = self.server.state
        state.write_log({"method": self.command, "path": self.path, "range": self.headers.get("Range"),
                         "auth": self.headers.get("Authorization"), "host": self.headers.get("Host")})
        parts = [unquote(p) for p in self.path.split("?")[0].split("/") if p]
        try:
            if parts[:2] == ["api", "models"] and len(parts) >= 4:
                return self.api(parts[2] + "/" + parts[3], head)
            if parts and parts[0] == "cdn" and len(parts) == 2:
                return self.cdn(parts[1], head)
            if len(parts) >= 5 and parts[2] == "resolve":
                return self.resolve(parts[0] + "/" + parts[1], "/".join(parts[4:]), head)
        except (BrokenPipeError, ConnectionResetError):
            return
        self.error(404, "EntryNotFound", "not found")

    def repo(self, repo_id):
        directory = os.path.join(self.server.state.root, repo_id)
        return Repo(directory) if os.path.isdir(directory) else None

    def authorised(self, repo):
        if repo.token is None:
            return True
        given = self.headers.get("Authorization")
        if given is None:
            self.error(401, "GatedRepo", "Access to this model is restricted. You must have access to it and be authenticated.")
            return False
        if given != "Bearer " + repo.token:
            self.error(403, "GatedRepo", "Access to this model is restricted and you are not in the authorized list.")
            return False
        return True

    def api(self, repo_id, head):
        repo = self.repo(repo_id)
        if repo is None:
            return self.error(401, "RepoNotFound", "Repository not found")
        body = json.dumps({"id": repo_id, "modelId": repo_id, "sha": repo.commit, "gated": "manual" if repo.token else False,
                           "siblings": [{"rfilename": f} for f in repo.files]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def resolve(self, repo_id, name, head):
        repo = self.repo(repo_id)
        if repo is None:
            # The Hub answers an unknown (or private) repository with 401 and X-Error-Code RepoNotFound.
            return self.error(401, "RepoNotFound", "Repository not found")
        if not self.authorised(repo):
            return
        path = os.path.join(repo.directory, name)
        if name not in repo.files:
            return self.error(404, "EntryNotFound", "Entry not found")
        if not name.endswith(LFS_SUFFIXES):
            data = open(path, "rb").read()
            self.send_response(200)
            self.send_header("X-Repo-Commit", repo.commit)
            self.send_header("ETag", '"%s"' % git_blob_sha1(data))
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            if not head:
                self.wfile.write(data)
            return
        sha = self.server.state.sha256(path)
        advertised = hashlib.sha256(b"other bytes").hexdigest() if name in repo.wrong_hash else sha
        if name in repo.cut:
            with self.server.state.lock:
                self.server.state.cuts.setdefault(sha, repo.cut[name])
        size = repo.sizes.get(name, os.path.getsize(path))
        with self.server.state.lock:
            if repo.cdn == "hop":
                self.server.state.hops.add(sha)
            if name in repo.no_range:
                self.server.state.no_range.add(sha)
        self.send_response(302)
        self.send_header("Location", (self.other_host() if repo.cdn == "other-host" else "") + "/cdn/" + sha)
        self.send_header("X-Repo-Commit", repo.commit)
        self.send_header("X-Linked-Etag", '"%s"' % advertised)
        self.send_header("X-Linked-Size", str(size))
        self.send_header("ETag", '"%s"' % advertised)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def cdn(self, sha, head):
        state = self.server.state
        path = state.blobs.get(sha)
        if path is None:
            return self.error(404, "EntryNotFound", "no such blob")
        if sha in state.hops and not self.headers.get("Host", "").startswith("localhost"):
            self.send_response(302)
            self.send_header("Location", self.other_host() + "/cdn/" + sha)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        size = os.path.getsize(path)
        start = 0
        spec = self.headers.get("Range")
        if spec and spec.startswith("bytes=") and spec[6:].endswith("-") and sha not in state.no_range:
            start = int(spec[6:-1])
        if start > size:
            return self.error(416, "RangeNotSatisfiable", "range not satisfiable")
        limit = size
        with state.lock:
            cut = state.cuts.get(sha)
            if cut and sha not in state.cuts_done and not head:
                state.cuts_done.add(sha)
                limit = min(size, start + cut)
        self.send_response(206 if start else 200)
        if start:
            self.send_header("Content-Range", "bytes %d-%d/%d" % (start, size - 1, size))
        self.send_header("Content-Length", str(size - start))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        if head:
            return
        with open(path, "rb") as f:
            f.seek(start)
            remaining = limit - start
            if state.rate is None and limit == size:
                self.connection.sendfile(f, start, remaining)
                return
            while remaining > 0:
                block = f.read(min(CHUNK if state.rate is None else 65536, remaining))
                if not block:
                    break
                self.wfile.write(block)
                remaining -= len(block)
                if state.rate:
                    time.sleep(len(block) / state.rate)
        if limit < size:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True

    def other_host(self):
        return "http://localhost:%d" % self.server.server_address[1]

    def error(self, status, code, message):
        body = json.dumps({"error": message}).encode()
        self.send_response(status)
        self.send_header("X-Error-Code", code)
        self.send_header("X-Error-Message", message)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True)
    parser.add_argument("--log")
    parser.add_argument("--rate", type=float)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    server.state = State(args.root, args.log, args.rate)
    print(server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
