// Search worker for the public site: reads the sharded index of generator/pages/search_shards.py.
//
// Material's page script talks to its search worker by messages (SETUP 0 → READY 1, QUERY 2 →
// RESULT 3; integrations/search/worker/message in Material's source). This worker speaks the same
// protocol, so Material's search box, results, suggestions and highlighting work unchanged; but
// instead of building a lunr index of the whole site it fetches the manifest at SETUP, and per
// query only the term shards its words need and the pages of the hits it shows.
// site-overrides/main.html points Material at this file when `extra.sharded_search` is on (the
// public site and previews; the offline bundle keeps Material's worker and its inline index).
"use strict";

// One entry per site language (theme.language), matching LANGUAGES in search_shards.py: how text
// becomes terms. A stemmer goes in `stem`, the same algorithm as the Python side's.
var STOP_EN = "a an and are as at be but by for if in into is it no not of on or such that the their then there these they this to was will with";
var LANGUAGES = {
  en: { normalise: fold, stopWords: new Set(STOP_EN.split(" ")), stem: function (word) { return word; } }
};
var WORD = /[\p{L}\p{N}]+/gu;
var TITLE_WEIGHT = 16;
var MAX_PAGES = 10;          // pages a result lists; Material shows ten before "more"
var MAX_EXPANSIONS = 40;     // index terms one typed prefix may stand for
var SNIPPET = 300;           // characters of a section's text shown under its title

var base = new URL("../../search/shards/", self.location.href);
var language = LANGUAGES.en;
var manifest = null;         // {docs, pages: first document of each page, shards: Set}
var shards = new Map();      // shard name → Promise of {term: [delta, weight, …]}
var pages = new Map();       // page number → Promise of [[location, title, text], …]
var latest = 0;              // the newest query's number: older ones stop before fetching pages

function fold(text) {
  return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

function terms(text) {
  return language.normalise(text).match(WORD) || [];
}

function fetchJSON(path) {
  return fetch(new URL(path, base)).then(function (response) {
    if (!response.ok) throw new Error(path + ": " + response.status);
    return response.json();
  });
}

function hex(prefix) {
  return Array.from(new TextEncoder().encode(prefix), function (b) { return b.toString(16).padStart(2, "0"); }).join("");
}

// A term's shard: by its first `prefix` characters, or one more where the writer split a large shard.
function shard(term) {
  var longer = hex(term.slice(0, manifest.prefix + 1));
  var name = term.length > manifest.prefix && manifest.shards.has(longer) ? longer : hex(term.slice(0, manifest.prefix));
  if (!manifest.shards.has(name)) return Promise.resolve({});
  if (!shards.has(name)) shards.set(name, fetchJSON("t/" + name + ".json"));
  return shards.get(name);
}

function page(n) {
  if (!pages.has(n)) pages.set(n, fetchJSON("p/" + n + ".json"));
  return pages.get(n);
}

// The page a document belongs to: the last page whose first document is not after it.
function pageOf(doc) {
  var low = 0, high = manifest.pages.length - 1;
  while (low < high) {
    var mid = (low + high + 1) >> 1;
    if (manifest.pages[mid] <= doc) low = mid; else high = mid - 1;
  }
  return low;
}

function setup(config) {
  var lang = config && config.lang && config.lang[0];
  language = LANGUAGES[lang] || LANGUAGES.en;
  return fetchJSON("manifest.json").then(function (data) {
    var first = 0;
    manifest = {
      docs: data.docs, prefix: data.prefix, shards: new Set(data.shards),
      pages: data.pages.map(function (delta) { return (first += delta); })
    };
  });
}

// Each query word with the index terms it matches: itself, and for the word still being typed
// (the last, unless followed by a space) every term it begins, as Material's search does.
function clauses(query) {
  var words = terms(query);
  var open = !/\s$/.test(query);
  var seen = new Set();
  var list = [];
  words.forEach(function (word, i) {
    var prefix = open && i === words.length - 1;
    if (seen.has(word) || (!prefix && language.stopWords.has(word))) return;
    seen.add(word);
    list.push({ word: word, term: language.stem(word), prefix: prefix && word.length >= manifest.prefix });
  });
  return list;
}

function expand(clause, table) {
  var found = [];
  if (table[clause.term]) found.push({ term: clause.term, postings: table[clause.term], exact: true });
  if (clause.prefix) {
    var more = Object.keys(table).filter(function (term) { return term !== clause.term && term.startsWith(clause.word); });
    more.sort(function (a, b) { return table[b].length - table[a].length; });
    more.slice(0, MAX_EXPANSIONS).forEach(function (term) { found.push({ term: term, postings: table[term], exact: false }); });
  }
  return found;
}

// Score documents: per word the best of its terms, idf times (title hit + log of the count).
function rank(list, tables) {
  var scores = new Map();    // document → {score, words: Set, terms: Set}
  list.forEach(function (clause, c) {
    var best = new Map();
    expand(clause, tables[c]).forEach(function (match) {
      var postings = match.postings;
      var df = postings.length / 2;
      var idf = Math.log(1 + manifest.docs / df);
      var doc = 0;
      for (var i = 0; i < postings.length; i += 2) {
        doc += postings[i];
        var weight = postings[i + 1];
        var score = idf * ((weight >= TITLE_WEIGHT ? 10 : 0) + Math.log(1 + (weight % TITLE_WEIGHT))) * (match.exact ? 1 : 0.8);
        var previous = best.get(doc);
        if (!previous || previous.score < score) best.set(doc, { score: score, term: match.term, title: weight >= TITLE_WEIGHT });
      }
    });
    best.forEach(function (hit, doc) {
      var entry = scores.get(doc) || { score: 0, words: new Set(), terms: new Set(), title: false };
      entry.score += hit.score;
      entry.words.add(clause.word);
      entry.terms.add(hit.term);
      entry.title = entry.title || hit.title;
      scores.set(doc, entry);
    });
  });
  // Material's post-query boost: pages before sections, documents matching every word first.
  scores.forEach(function (entry, doc) {
    var boost = (manifest.pages[pageOf(doc)] === doc ? 1 : 0) + entry.words.size / list.length;
    entry.score *= 1 + boost * boost;
  });
  return scores;
}

function escapeHTML(text) {
  return text.replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
}

// `text` as HTML with every word that stands for a matched term in <mark>; `snippet` cuts it
// to a window around the first such word.
function highlight(text, matched, snippet) {
  var marks = [];
  var match;
  WORD.lastIndex = 0;
  while ((match = WORD.exec(text))) {
    var term = language.stem(language.normalise(match[0]));
    if (matched.has(term)) marks.push([match.index, match.index + match[0].length]);
  }
  var start = 0, end = text.length;
  if (snippet && text.length > SNIPPET) {
    start = marks.length ? Math.max(0, text.lastIndexOf(" ", Math.max(0, marks[0][0] - 60)) + 1) : 0;
    end = Math.min(text.length, start + SNIPPET);
  }
  var out = start > 0 ? "… " : "";
  var at = start;
  marks.forEach(function (mark) {
    if (mark[0] < start || mark[1] > end) return;
    out += escapeHTML(text.slice(at, mark[0])) + "<mark>" + escapeHTML(text.slice(mark[0], mark[1])) + "</mark>";
    at = mark[1];
  });
  out += escapeHTML(text.slice(at, end)) + (end < text.length ? " …" : "");
  return out;
}

function search(query, number) {
  if (!manifest) return Promise.resolve({ items: [] });
  var list = clauses(query);
  if (!list.length) return Promise.resolve({ items: [] });
  return Promise.all(list.map(function (clause) { return shard(clause.term); })).then(function (tables) {
    if (number !== latest) return null;  // superseded while its shards arrived
    var scores = rank(list, tables);
    // Group by page, pages ordered by their best document, as Material groups its results.
    var groups = new Map();
    Array.from(scores.keys()).sort(function (a, b) { return scores.get(b).score - scores.get(a).score; }).forEach(function (doc) {
      var n = pageOf(doc);
      if (!groups.has(n)) groups.set(n, []);
      groups.get(n).push(doc);
    });
    var shown = Array.from(groups.keys()).slice(0, MAX_PAGES);
    return Promise.all(shown.map(page)).then(function (loaded) {
      if (number !== latest) return null;
      var items = shown.map(function (n, i) {
        var first = manifest.pages[n];
        var docs = groups.get(n);
        if (docs.indexOf(first) < 0) docs.push(first);  // every group shows its page
        return docs.map(function (doc) {
          var record = loaded[i][doc - first];
          var entry = scores.get(doc) || { score: 0, words: new Set(), terms: new Set() };
          var words = {};
          list.forEach(function (clause) { words[clause.word] = entry.words.has(clause.word); });
          return {
            location: record[0],
            title: highlight(record[1], entry.terms, false),
            text: record[2] ? "<p>" + highlight(record[2], entry.terms, true) + "</p>" : "",
            score: entry.score,
            terms: words
          };
        });
      });
      // Suggest the terms the best title hit matched, completing the word being typed.
      var top = scores.get(groups.size ? groups.get(shown[0])[0] : -1);
      var suggest = top && top.title ? Array.from(top.terms) : [];
      return { items: items, suggest: suggest };
    });
  });
}

self.onmessage = function (event) {
  var message = event.data;
  if (message.type === 0) {
    setup(message.data && message.data.config).then(function () {
      self.postMessage({ type: 1 });
    });
  } else if (message.type === 2) {
    var number = ++latest;
    search(message.data, number).then(function (result) {
      if (result) self.postMessage({ type: 3, data: result });
    }, function () {
      if (number === latest) self.postMessage({ type: 3, data: { items: [] } });  // a shard failed to load
    });
  }
};
