// What Material's search count cannot say: how many pages match in all, "did you mean", a query in
// another script, a failed index. Our worker (search-worker.js) adds `total`, `query` and `note`
// to each result; Material counts only the items it was given (at most ten pages) and ignores the
// rest. Loaded in <head>, after the offline bundle's iframe-worker shim and before the theme's
// bundle, so the worker the bundle creates is this wrapper's: it listens to the worker's results
// and, once Material has written its count, writes ours in its place (an honest count, then the
// note, its link resolved like a result's). The count element carries `data-query`: the query
// whose result it describes (tests wait for it).
(function () {
  "use strict";
  var Native = window.Worker;
  if (!Native) return;
  var last = null;

  function base() {
    var config = document.getElementById("__config");
    var path = config ? JSON.parse(config.textContent).base : ".";
    return new URL(path, location.href);
  }

  function count(total, shown) {
    if (!total) return "No matching pages";
    if (total === 1) return "1 matching page";
    return total > shown ? "The first " + shown + " of " + total + " matching pages" : total + " matching pages";
  }

  // Write our count and note into Material's count element, unless they are there already.
  function render(meta) {
    if (!last || (meta.dataset.query === last.query && meta.textContent === meta.dataset.shown)) return;
    meta.textContent = "";
    var note = last.note;
    if (note) {
      var line = document.createElement("span");
      line.className = "search-note";
      line.appendChild(document.createTextNode(note.text || note.before || ""));
      if (note.link) {
        var link = document.createElement("a");
        link.href = new URL(note.link.location, base()).href;
        link.textContent = note.link.text;
        line.appendChild(link);
        line.appendChild(document.createTextNode(note.after || ""));
      }
      meta.appendChild(line);
    }
    if (!note || last.total) {
      meta.appendChild(document.createTextNode((note ? " " : "") + count(last.total, (last.items || []).length)));
    }
    meta.dataset.shown = meta.textContent;
    meta.dataset.query = last.query;
  }

  // Material writes its count after each result, maybe after our listener ran: write ours again.
  function watch() {
    var meta = document.querySelector(".md-search-result__meta");
    if (!meta) return;
    new MutationObserver(function () { render(meta); }).observe(meta, { childList: true, characterData: true, subtree: true });
    render(meta);
  }

  window.Worker = function (url, options) {
    var worker = new Native(url, options);
    worker.addEventListener("message", function (event) {
      var message = event.data;
      if (message && message.type === 3 && message.data && "total" in message.data) {
        last = message.data;
        var meta = document.querySelector(".md-search-result__meta");
        if (meta) setTimeout(function () { render(meta); }, 0);
      }
    });
    return worker;
  };
  window.Worker.prototype = Native.prototype;
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", watch); else watch();
})();
