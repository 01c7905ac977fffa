"""What the browser test asserts of a rendered report page, from the DOM
chromium dumped after rendering: nothing in it loads or runs anything, the
main elements are there, enough shapes are drawn, and given texts appear
(as text, so hostile strings must have been escaped).

usage: page_check.py DOM LABEL [--id ID]... [--class NAME=MIN]...
           [--drawn CLASS,CLASS,...=MIN] [--tables MIN] [--text TEXT]...
Exits 1 naming every failed check.
"""
import argparse
import sys
from html.parser import HTMLParser

LOADING_TAGS = ('script', 'img', 'link', 'iframe', 'object', 'embed',
                'audio', 'video', 'source', 'form')


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags, self.ids, self.classes, self.text = {}, set(), {}, []
        self.bad = []

    def handle_starttag(self, tag, attrs):
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag in LOADING_TAGS:
            self.bad.append(tag)
        for k, v in attrs:
            v = v or ''
            if k in ('src', 'srcset') or k.startswith('on'):
                self.bad.append('%s %s=%r' % (tag, k, v))
            if k in ('href', 'xlink:href') and not v.startswith('#'):
                self.bad.append('%s %s=%r' % (tag, k, v))
            if k == 'id':
                self.ids.add(v)
            if k == 'class':
                for c in v.split():
                    self.classes[c] = self.classes.get(c, 0) + 1

    def handle_data(self, data):
        self.text.append(data)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('dom')
    ap.add_argument('label')
    ap.add_argument('--id', action='append', default=[])
    ap.add_argument('--class', dest='classes', action='append', default=[])
    ap.add_argument('--drawn')
    ap.add_argument('--tables', type=int, default=0)
    ap.add_argument('--text', action='append', default=[])
    a = ap.parse_args()

    p = Page()
    p.feed(open(a.dom, encoding='utf-8').read())
    text = ''.join(p.text)
    errors = []
    if p.bad:
        errors.append('loading or active markup: %s' % p.bad[:5])
    for i in a.id:
        if i not in p.ids:
            errors.append('no element #%s' % i)
    for spec in a.classes:
        c, n = spec.split('=')
        if p.classes.get(c, 0) < int(n):
            errors.append('class %s: %d elements, want %s'
                          % (c, p.classes.get(c, 0), n))
    drawn = 0
    if a.drawn:
        names, n = a.drawn.split('=')
        drawn = sum(p.classes.get(c, 0) for c in names.split(','))
        if drawn < int(n):
            errors.append('only %d region paths drawn, want %s' % (drawn, n))
    if p.tags.get('table', 0) < a.tables:
        errors.append('only %d tables' % p.tags.get('table', 0))
    for s in a.text:
        if s not in text:
            errors.append('text missing: %r' % s)
    if errors:
        print('FAIL (%s): %s' % (a.label, '\n'.join(errors)))
        sys.exit(1)
    print('%s: %d tags, %d region paths' % (a.label, sum(p.tags.values()),
                                           drawn))


main()
