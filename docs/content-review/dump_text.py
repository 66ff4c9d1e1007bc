"""Dump the reader-visible text of each page's <article> in a built site, one .txt per page."""
import sys, re
from html.parser import HTMLParser
from pathlib import Path

BLOCK = {"p","li","h1","h2","h3","h4","h5","h6","tr","div","section","dt","dd","br","table","summary","details","aside","figcaption","blockquote"}
class P(HTMLParser):
    def __init__(self):
        super().__init__(); self.depth=0; self.out=[]; self.skip=0
    def handle_starttag(self, tag, attrs):
        a=dict(attrs)
        if tag=="article": self.depth+=1
        if tag in ("script","style"): self.skip+=1
        if self.depth and tag in BLOCK: self.out.append("\n")
        if self.depth and tag=="li": self.out.append("- ")
        if self.depth and tag in ("h1","h2","h3","h4"): self.out.append("#"*int(tag[1])+" ")
        if self.depth and tag in ("td","th"): self.out.append(" | ")
    def handle_endtag(self, tag):
        if tag=="article": self.depth-=1
        if tag in ("script","style"): self.skip-=1
        if self.depth and tag in BLOCK: self.out.append("\n")
    def handle_data(self, d):
        if self.depth and not self.skip: self.out.append(d)
site, out = Path(sys.argv[1]), Path(sys.argv[2])
for f in sorted(site.rglob("index.html")):
    rel = f.parent.relative_to(site)
    if str(rel).startswith(("assets","search","api")): continue
    p=P(); p.feed(f.read_text())
    text=re.sub(r"[ \t]+"," ","".join(p.out)); text=re.sub(r"\n\s*\n+","\n\n",text).strip()
    name=(str(rel).replace("/","__") or "home")+".txt"
    (out/name).parent.mkdir(parents=True, exist_ok=True); (out/name).write_text(f"URL: /{rel}/\n\n{text}\n")
