#!/usr/bin/env python3
"""Checks an HTML report written by `icts scan -o html`.

Usage: check_html.py FILE [FINDINGS]

The page must parse with html.parser with every non-void element closed in
order, hold exactly one script element and nothing that loads a resource
(no <link>, <iframe>, <object>, <embed>, <img>/<script src>, no url() in
CSS), and, when FINDINGS is given, show that many findings
(<details class="finding ...">). Exits 1 with the first problem.
"""
import sys
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
        "source", "track", "wbr"}
LOADERS = {"link", "iframe", "object", "embed", "img", "audio", "video", "source", "frame",
           "base"}


class Checker(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []
        self.problems = []
        self.scripts = 0
        self.findings = 0
        self.in_style = False

    def where(self):
        line, col = self.getpos()
        return f"{line}:{col + 1}"

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in LOADERS:
            self.problems.append(f"{self.where()}: <{tag}> loads or points to a resource")
        if tag == "script":
            self.scripts += 1
            if "src" in a:
                self.problems.append(f"{self.where()}: external script")
        if "src" in a:
            self.problems.append(f"{self.where()}: src attribute")
        for k, v in attrs:
            if k.startswith("on"):
                self.problems.append(f"{self.where()}: event handler attribute {k}")
            if k == "href" and v and not (v.startswith("https://") or v.startswith("http://")
                                          or v.startswith("#")):
                self.problems.append(f"{self.where()}: href {v!r}")
        if tag == "details" and "finding" in (a.get("class") or "").split():
            self.findings += 1
        if tag == "style":
            self.in_style = True
        if tag not in VOID:
            self.stack.append((tag, self.where()))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag == "style":
            self.in_style = False
        if tag in VOID:
            return
        if not self.stack or self.stack[-1][0] != tag:
            top = self.stack[-1] if self.stack else ("nothing", "")
            self.problems.append(f"{self.where()}: </{tag}> closes <{top[0]}> opened at {top[1]}")
            return
        self.stack.pop()

    def handle_data(self, data):
        if self.in_style and "url(" in data:
            self.problems.append(f"{self.where()}: url() in CSS")


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit(__doc__)
    with open(argv[1], encoding="utf-8") as f:
        text = f.read()
    if not text.startswith("<!DOCTYPE html>"):
        sys.exit(f"{argv[1]}: no doctype")
    c = Checker()
    c.feed(text)
    c.close()
    if c.stack:
        c.problems.append(f"<{c.stack[-1][0]}> opened at {c.stack[-1][1]} is never closed")
    if c.scripts != 1:
        c.problems.append(f"{c.scripts} script elements; the page has one of its own")
    if len(argv) == 3 and c.findings != int(argv[2]):
        c.problems.append(f"{c.findings} findings shown, {argv[2]} expected")
    if c.problems:
        sys.exit(f"{argv[1]}: " + "; ".join(c.problems[:5]))


if __name__ == "__main__":
    main(sys.argv)
