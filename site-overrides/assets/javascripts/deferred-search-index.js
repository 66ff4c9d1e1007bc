// Fetch the search index when the reader opens search, not with every page.
//
// Material (and Zensical) request the whole index as soon as a page loads. At catalogue scale
// that is megabytes a reader pays for on every visit, even one who never searches. This holds
// that one request back until the search field first gets focus (opening search by click, tap or
// keyboard shortcut focuses it), then lets it through unchanged. Loaded in <head>, before the
// theme's bundle, so the bundle's fetch is the wrapped one. The offline bundle loads its index as
// a script from disk and is unaffected. On our MkDocs public site the file holds only the search
// config (documents are in the sharded index, see search-worker.js); Zensical's is still whole.
(function () {
  "use strict";
  var INDEX = /(search\/search_index|\/search)\.json(\?|$)/;
  var realFetch = window.fetch.bind(window);
  var release;
  var opened = new Promise(function (resolve) { release = resolve; });
  document.addEventListener("focusin", function (event) {
    var target = event.target;
    if (target && target.matches && target.matches("input[name=query], input[type=search], [data-md-component=search-query]")) release();
  }, true);
  document.addEventListener("click", function (event) {
    if (event.target && event.target.closest && event.target.closest("label[for=__search], [data-md-component=search], .md-search")) release();
  }, true);
  // Material requests it with XMLHttpRequest: hold back `send` for that URL.
  var open = XMLHttpRequest.prototype.open;
  var send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.open = function (method, url) {
    this.deferUntilSearch = INDEX.test(String(url));
    return open.apply(this, arguments);
  };
  XMLHttpRequest.prototype.send = function () {
    var request = this;
    var args = arguments;
    if (!request.deferUntilSearch) return send.apply(request, args);
    opened.then(function () { send.apply(request, args); });
  };
  // Zensical uses fetch.
  window.fetch = function (input, init) {
    var url = typeof input === "string" ? input : (input && input.url) || String(input);
    if (INDEX.test(url)) {
      return opened.then(function () { return realFetch(input, init); });
    }
    return realFetch(input, init);
  };
})();
