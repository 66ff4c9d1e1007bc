// Search worker for every target: reads the sharded index of generator/pages/search_shards.py.
//
// Material's page script talks to its search worker by messages (SETUP 0 → READY 1, QUERY 2 →
// RESULT 3; integrations/search/worker/message in Material's source). This worker speaks the same
// protocol, so Material's search box, results, suggestions and highlighting work unchanged; but
// instead of building a lunr index of the whole site it reads the manifest at SETUP, and per query
// only the term shards its words need and the pages of the hits it shows. On a server these are
// files under search/shards/; the offline bundle (opened from disk, where nothing can be fetched)
// hands the whole index over in SETUP's `docs`. site-overrides/main.html points Material here.
//
// Tokenising is the manifest's (`text`: the fold's name, stop words, the site's script), written
// by the Python indexer; tests/test_search_parity.py runs `configure` and `terms` here under Node
// against the indexer over the same words. A RESULT carries, besides Material's items, `total`
// (pages matching), `query` and `note` (did you mean, another script, a failure), which
// site-overrides/assets/javascripts/search-notes.js shows in place of Material's count.
"use strict";

var FORMAT = 2;
var FOLDS = {
  "nfkd-drop-marks-lower-sigma": function (text) {
    return text.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/ς/g, "σ");
  }
};
var WORD = /[\p{L}\p{N}]+/gu;
var TITLE_WEIGHT = 16;
var MAX_PAGES = 10;          // pages a result lists (the count says how many match in all)
var MAX_EXPANSIONS = 40;     // index terms one typed prefix may stand for
var SNIPPET = 300;           // characters of a section's text shown under its title
var TYPO_MIN = 4;            // shortest word corrected by one edit to a name

var text = null;             // {fold, stop: Set, name, script: RegExp, professional}
var manifest = null;         // {docs, prefix, pages: first document of each page, shards: Set, a_to_z}
var load = null;             // (folder, name) → Promise of a shard or page
var names = new Map();       // page → [{name, terms}]
var nameTerms = new Map();   // name term → [page, …]
var professional = new Set();
var failure = null;          // why search cannot work, shown for every query
var shards = new Map();      // shard name → Promise of {term: [delta, weight, …]}
var pages = new Map();       // page number → Promise of [[location, title, text], …]
var latest = 0;              // the newest query's number: older ones stop before fetching pages

// The manifest's tokeniser; throws if this worker does not know its fold.
function configure(spec) {
  var fold = FOLDS[spec.fold];
  if (!fold) throw new Error("unknown text fold " + spec.fold);
  text = {
    fold: fold, stop: new Set(spec.stop), name: spec.name, professional: spec.professional,
    script: new RegExp("^[\\p{Script=" + spec.script + "}\\p{N}]+$", "u")
  };
}

function words(value) {
  return text.fold(value).match(WORD) || [];
}

// Index terms: the folded words, stop words left out (search_shards.Language.terms).
function terms(value) {
  return words(value).filter(function (word) { return !text.stop.has(word); });
}

function fetcher(root) {
  return function (folder, name) {
    var url = new URL(folder + name + ".json", root);
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url.pathname + ": " + response.status);
      return response.json();
    });
  };
}

function inline(index) {
  return function (folder, name) {
    var table = index[folder.replace("/", "")];
    return Promise.resolve(table[name] || {});
  };
}

function hex(prefix) {
  return Array.from(new TextEncoder().encode(prefix), function (b) { return b.toString(16).padStart(2, "0"); }).join("");
}

// A term's shard: by its first `prefix` characters, or one more where the writer split a large shard.
function shard(term) {
  var longer = hex(term.slice(0, manifest.prefix + 1));
  var name = term.length > manifest.prefix && manifest.shards.has(longer) ? longer : hex(term.slice(0, manifest.prefix));
  if (!manifest.shards.has(name)) return Promise.resolve({});
  if (!shards.has(name)) shards.set(name, load("t/", name));
  return shards.get(name);
}

function page(n) {
  if (!pages.has(n)) pages.set(n, load("p/", String(n)));
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

function undelta(deltas) {
  var at = 0;
  return deltas.map(function (delta) { return (at += delta); });
}

function useManifest(data) {
  if (data.format !== FORMAT) throw new Error("index format " + data.format + ", this worker reads " + FORMAT);
  configure(data.text);
  manifest = { docs: data.docs, prefix: data.prefix, shards: new Set(data.shards), pages: undelta(data.pages), a_to_z: data.a_to_z };
  var at = 0;
  data.names.forEach(function (row) {
    at += row[0];
    var list = row.slice(1).map(function (name) { return { name: name, terms: terms(name) }; });
    names.set(at, list);
    list.forEach(function (entry) {
      entry.terms.forEach(function (term) {
        if (!nameTerms.has(term)) nameTerms.set(term, []);
        if (nameTerms.get(term).indexOf(at) < 0) nameTerms.get(term).push(at);
      });
    });
  });
  undelta(data.professional).forEach(function (n) { professional.add(n); });
}

// SETUP: the index inline (offline bundle: SETUP's docs hold it whole) or the manifest from the server.
function setup(docs) {
  var ready;
  if (docs && docs.manifest) {
    load = inline(docs);
    ready = Promise.resolve(docs.manifest);
  } else {
    try {
      load = fetcher(new URL("../../search/shards/", self.location.href));
      ready = load("", "manifest");
    } catch (error) {
      ready = Promise.reject(error);
    }
  }
  return ready.then(useManifest).catch(function (error) {
    failure = "Search is not available: its index could not be loaded (" + (error && error.message) + "). Reload the page to try again.";
  });
}

// Each query word: exact, and for the word still being typed (the last, unless followed by a
// space) every term it begins, as Material's search does.
function clauses(query) {
  var list = words(query);
  var open = !/\s$/.test(query);
  var seen = new Set();
  var out = [];
  list.forEach(function (word, i) {
    var prefix = open && i === list.length - 1;
    if (seen.has(word) || (!prefix && text.stop.has(word))) return;
    seen.add(word);
    out.push({ word: word, prefix: prefix && word.length >= manifest.prefix });
  });
  return out;
}

function expand(clause, table) {
  var found = [];
  if (table[clause.word]) found.push({ term: clause.word, postings: table[clause.word], exact: true });
  if (clause.prefix) {
    var more = Object.keys(table).filter(function (term) { return term !== clause.word && term.startsWith(clause.word); });
    more.sort(function (a, b) { return table[b].length - table[a].length; });
    more.slice(0, MAX_EXPANSIONS).forEach(function (term) { found.push({ term: term, postings: table[term], exact: false }); });
  }
  return found;
}

// Optimal string alignment distance, capped: is `a` at most one edit (insertion, deletion,
// substitution, or transposition of neighbours) from `b`?
function oneEdit(a, b) {
  if (Math.abs(a.length - b.length) > 1 || a === b) return a === b;
  var i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) {
    return a.slice(i + 1) === b.slice(i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

// The name term a word of TYPO_MIN or more letters misspells by one edit (the one most pages are named by), or null.
function correction(word) {
  if (word.length < TYPO_MIN) return null;
  var best = null;
  nameTerms.forEach(function (named, term) {
    if (oneEdit(word, term) && (!best || named.length > nameTerms.get(best).length)) best = term;
  });
  return best;
}

// A page's standing for the query by its names: 3 a name is the query, 2 a name has every query
// word, 1 some, 0 none. Pages without names (listings, hand-written pages) and pages for health
// professionals stand at 0, so they never outrank an entity named by the query.
function standing(n, list) {
  if (professional.has(n)) return 0;
  var best = 0;
  (names.get(n) || []).forEach(function (entry) {
    var matched = list.filter(function (clause) {
      return entry.terms.some(function (term) { return term === clause.word || (clause.prefix && term.startsWith(clause.word)); });
    }).length;
    var level = !matched ? 0 : matched < list.length ? 1 : entry.terms.length === list.length ? 3 : 2;
    best = Math.max(best, level);
  });
  return best;
}

// Score documents: per word the best of its terms, idf times (title hit + log of the count).
function rank(list, tables) {
  var scores = new Map();    // document → {score, words: Set, terms: Set, title}
  list.forEach(function (clause, c) {
    var best = new Map();
    expand(clause, tables[c]).forEach(function (match) {
      var postings = match.postings;
      var idf = Math.log(1 + manifest.docs / (postings.length / 2));
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

function escapeHTML(value) {
  return value.replace(/[&<>"]/g, function (c) { return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]; });
}

// `value` as HTML with every word that stands for a matched term in <mark>; `snippet` cuts it
// to a window around the first such word.
function highlight(value, matched, snippet) {
  var marks = [];
  var match;
  WORD.lastIndex = 0;
  while ((match = WORD.exec(value))) {
    if (matched.has(text.fold(match[0]))) marks.push([match.index, match.index + match[0].length]);
  }
  var start = 0, end = value.length;
  if (snippet && value.length > SNIPPET) {
    start = marks.length ? Math.max(0, value.lastIndexOf(" ", Math.max(0, marks[0][0] - 60)) + 1) : 0;
    end = Math.min(value.length, start + SNIPPET);
  }
  var out = start > 0 ? "… " : "";
  var at = start;
  marks.forEach(function (mark) {
    if (mark[0] < start || mark[1] > end) return;
    out += escapeHTML(value.slice(at, mark[0])) + "<mark>" + escapeHTML(value.slice(mark[0], mark[1])) + "</mark>";
    at = mark[1];
  });
  out += escapeHTML(value.slice(at, end)) + (end < value.length ? " …" : "");
  return out;
}

function tablesFor(list) {
  return Promise.all(list.map(function (clause) { return shard(clause.word); }));
}

// Whether a query in another script than the site's: any word with a letter outside it.
function foreign(query) {
  return words(query).some(function (word) { return !text.script.test(word); });
}

function search(query, number) {
  if (failure) return Promise.resolve({ items: [], total: 0, query: query, note: { text: failure } });
  if (!manifest) return Promise.resolve({ items: [], total: 0, query: query });
  var list = clauses(query);
  if (!list.length) return Promise.resolve({ items: [], total: 0, query: query });
  return tablesFor(list).then(function (tables) {
    // A word that finds no term at all may misspell a name: search for the name instead.
    var fixes = list.map(function (clause, c) { return expand(clause, tables[c]).length ? null : correction(clause.word); });
    if (!fixes.some(Boolean)) return show(query, list, tables, null, number);
    var fixed = list.map(function (clause, c) { return fixes[c] ? { word: fixes[c], prefix: false } : clause; });
    return tablesFor(fixed).then(function (more) { return show(query, fixed, more, fixes, number); });
  });
}

function show(query, list, tables, fixes, number) {
  if (number !== latest) return null;  // superseded while its shards arrived
  var scores = rank(list, tables);
  // Group by page; pages ordered by their standing by name, then by their best document.
  var groups = new Map();
  scores.forEach(function (entry, doc) {
    var n = pageOf(doc);
    if (!groups.has(n)) groups.set(n, { docs: [], best: 0, standing: standing(n, list) });
    var group = groups.get(n);
    group.docs.push(doc);
    group.best = Math.max(group.best, entry.score);
  });
  var order = Array.from(groups.keys()).sort(function (a, b) {
    var x = groups.get(a), y = groups.get(b);
    return y.standing - x.standing || y.best - x.best || a - b;
  });
  var shown = order.slice(0, MAX_PAGES);
  return Promise.all(shown.map(page)).then(function (loaded) {
    if (number !== latest) return null;
    var items = shown.map(function (n, i) {
      var first = manifest.pages[n];
      var docs = groups.get(n).docs.sort(function (a, b) { return scores.get(b).score - scores.get(a).score; });
      if (docs.indexOf(first) < 0) docs.push(first);  // every group shows its page
      return docs.map(function (doc) {
        var record = loaded[i][doc - first];
        var entry = scores.get(doc) || { score: 0, words: new Set(), terms: new Set() };
        var matched = {};
        list.forEach(function (clause) { matched[clause.word] = entry.words.has(clause.word); });
        var title = highlight(record[1], entry.terms, false);
        if (professional.has(n) && record[1].toLowerCase().indexOf(text.professional) < 0) {
          title += ' <span class="search-professional">(' + escapeHTML(text.professional) + ")</span>";
        }
        return {
          location: record[0], title: title, score: entry.score, terms: matched,
          text: record[2] ? "<p>" + highlight(record[2], entry.terms, true) + "</p>" : ""
        };
      });
    });
    var result = { items: items, total: order.length, query: query };
    if (fixes && shown.length) {
      result.note = { before: "Did you mean ", link: { text: nameFor(shown[0], fixes), location: loaded[0][0][0] }, after: "?" };
    } else if (!order.length && foreign(query)) {
      result.note = {
        before: "This site is in " + text.name + "; try the name in Latin letters, or look it up in the ",
        link: { text: "A–Z index", location: manifest.a_to_z }, after: "."
      };
    }
    // Suggest the terms the best title hit matched, completing the word being typed.
    var top = shown.length ? scores.get(groups.get(shown[0]).docs[0]) : null;
    result.suggest = !fixes && top && top.title ? Array.from(top.terms) : [];
    return result;
  });
}

// The name of page `n` that holds a corrected word, as the editor wrote it.
function nameFor(n, fixes) {
  var entry = (names.get(n) || []).find(function (candidate) {
    return fixes.some(function (term) { return term && candidate.terms.indexOf(term) >= 0; });
  });
  return entry ? entry.name : fixes.filter(Boolean).join(" ");
}

self.onmessage = function (event) {
  var message = event.data;
  if (message.type === 0) {
    setup(message.data && message.data.docs).then(function () {
      self.postMessage({ type: 1 });
    });
  } else if (message.type === 2) {
    var number = ++latest;
    search(message.data, number).then(function (result) {
      if (result) self.postMessage({ type: 3, data: result });
    }, function (error) {
      if (number === latest) {
        self.postMessage({ type: 3, data: { items: [], total: 0, query: message.data, note: { text: "Search failed: " + (error && error.message) + ". Reload the page to try again." } } });
      }
    });
  }
};
