#!/usr/bin/env python3
"""Time from saving a page to the reload event of `fixbook serve`, on the benchmark corpus.

    bench/serve-reload.py                       # 10,000 pages, 20 body edits and 20 title edits
    bench/serve-reload.py --pages 1000 --edits 50
    bench/serve-reload.py --corpus DIR          # an existing corpus (copied first: edits do not touch it)

Starts `fixbook serve --port 0` on a copy of the corpus, subscribes to `/__fixbook/events` like a browser,
then edits pages one at a time: each edit writes the file and waits for the `reload` event. The time is
from just after the file is closed to the event's arrival, so it includes the watcher's debounce, the
reload of the file, validation, the re-render of the affected pages and the event itself. After each
edit the page is fetched to check that the new text is served, then the first search after the edit is
timed: the search manifest and one term shard, as a reader's first query fetches them (serve brings its
search index up to date on that request). Prints median and max per kind of edit.

Python 3 standard library only. Builds the release binary first unless FIXBOOK is set.
"""

import argparse
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAKE_CORPUS = os.path.join(ROOT, "..", "shared", "bench", "make-corpus.py")


class Events:
    """A minimal server-sent-events reader on a raw socket."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=30)
        self.sock.sendall(b"GET /__fixbook/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
        self.buf = b""

    def next_event(self, timeout):
        """Returns (event, data) of the next event, or None after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            while b"\n\n" in self.buf:
                block, self.buf = self.buf.split(b"\n\n", 1)
                event, data = None, []
                for line in block.decode("utf-8", "replace").splitlines():
                    if line.startswith("event: "):
                        event = line[7:]
                    elif line.startswith("data: "):
                        data.append(line[6:])
                if event:
                    return event, "\n".join(data)
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self.sock.settimeout(left)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                return None
            if not chunk:
                return None
            self.buf += chunk


def first_search(port):
    """Milliseconds to fetch the search manifest and the term shard in the middle of its list."""
    t = time.monotonic()
    manifest = urllib.request.urlopen(f"http://127.0.0.1:{port}/assets/search.json").read().decode()
    shards = re.findall(r'\["[^"]*","([0-9a-f]+)"\]', manifest)
    if shards:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/assets/search/t.{shards[len(shards) // 2]}.json").read()
    return (time.monotonic() - t) * 1000


def pages_of(content, kinds):
    out = []
    for section in sorted(os.listdir(content)):
        d = os.path.join(content, section)
        if section == "codes" or not os.path.isdir(d):
            continue
        for f in sorted(os.listdir(d)):
            if f.endswith(".md"):
                path = os.path.join(d, f)
                with open(path, encoding="utf-8") as fh:
                    head = fh.read(400)
                kind = next((l[6:].strip() for l in head.splitlines() if l.startswith("kind: ")), "")
                if kind in kinds:
                    out.append((section, f[:-3], path))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=int, default=10000)
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--corpus", help="an existing fixbook-flavour corpus folder")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()

    fixbook = os.environ.get("FIXBOOK")
    if not fixbook:
        subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "fixbook"], cwd=ROOT, check=True)
        target = os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target"))
        fixbook = os.path.join(target, "release", "fixbook")

    work = tempfile.mkdtemp(prefix="fixbook-serve-bench-")
    site = os.path.join(work, "site")
    try:
        if args.corpus:
            shutil.copytree(args.corpus, site)
        else:
            subprocess.run([sys.executable, MAKE_CORPUS, site, "--pages", str(args.pages)], check=True,
                           stdout=subprocess.DEVNULL)
        log = open(os.path.join(work, "serve.log"), "w")
        t0 = time.monotonic()
        proc = subprocess.Popen([fixbook, "--root", site, "serve", "--port", "0"], stdout=subprocess.PIPE,
                                stderr=log, text=True)
        try:
            line = proc.stdout.readline().strip()
            if not line.startswith("serving http://"):
                sys.exit(f"unexpected first line from serve: {line!r}")
            port = int(line.rsplit(":", 1)[1].strip("/"))
            print(f"serve ready on port {port} after {time.monotonic() - t0:.1f} s (first full build)")
            events = Events(port)
            if events.next_event(10) is None:
                sys.exit("no hello event")
            # serve builds its search index on the first search; the edits then measure keeping it up to date.
            first_search(port)
            rng = random.Random(args.seed)
            results, searches = {}, {}
            for mode in ("body", "title"):
                kinds = {"error", "cause", "fix", "guide"}
                chosen = rng.sample(pages_of(os.path.join(site, "content"), kinds), args.edits)
                times = []
                for n, (section, slug, path) in enumerate(chosen):
                    with open(path, encoding="utf-8") as fh:
                        text = fh.read()
                    marker = f"bench-{mode}-{n}-{rng.randrange(1 << 30)}"
                    if mode == "body":
                        text = text.rstrip("\n") + f"\n\nEdited by the benchmark: {marker}.\n"
                    else:
                        lines = text.split("\n")
                        i = next(k for k, l in enumerate(lines) if l.startswith("title: "))
                        lines[i] = f"title: \"Retitled {marker}\""
                        text = "\n".join(lines)
                    with open(path, "w", encoding="utf-8") as fh:
                        fh.write(text)
                    saved = time.monotonic()
                    while True:
                        ev = events.next_event(30)
                        if ev is None:
                            sys.exit(f"no reload event after editing {path}; see {log.name}")
                        if ev[0] == "errors":
                            sys.exit(f"serve reported errors: {ev[1][:500]}")
                        if ev[0] == "reload":
                            break
                    times.append((time.monotonic() - saved) * 1000)
                    html = urllib.request.urlopen(f"http://127.0.0.1:{port}/{section}/{slug}/").read().decode()
                    if marker not in html:
                        sys.exit(f"the new text of {section}/{slug} is not served")
                    searches.setdefault(mode, []).append(first_search(port))
                    time.sleep(0.15)
                results[mode] = times
            with open(log.name) as fh:
                rebuilt = [l.strip() for l in fh if l.startswith("rebuilt")]
        finally:
            proc.terminate()
            proc.wait(10)
        print(f"corpus: {site} ({args.pages if not args.corpus else 'given'} pages), {args.edits} edits per kind")
        for mode, times in results.items():
            print(f"{mode:>5} edit -> reload event: median {statistics.median(times):6.1f} ms, "
                  f"max {max(times):6.1f} ms, min {min(times):6.1f} ms")
        for mode, times in searches.items():
            print(f"first search after a {mode} edit (manifest + one shard): median "
                  f"{statistics.median(times):6.1f} ms, max {max(times):6.1f} ms")
        print("serve's own timings (after the debounce):", ", ".join(r.split(" in ")[1] for r in rebuilt[:5]), "...")
        print("pages re-rendered per edit:", sorted({int(r.split()[1]) for r in rebuilt}))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
